/**
 * Where the demo room's cameras stand and look: a loop around the room at 1.2–2.0 m height.
 * Even views stand on an outer ellipse and look across the room; odd views stand on an inner one
 * and look out towards the walls, so every wall object is seen from far and from near. Each
 * camera keeps a clearance from every object.
 */
import type { Intrinsics, Mat4 } from '../scene/types';
import { lookAtCameraToWorld } from './look-at';
import type { Vec3 } from './primitives';
import type { RoomLayout } from './room-layout';

export interface ViewPlanOptions {
  count: number;
  width: number;
  height: number;
  horizontalFovDeg: number;
}

export interface PlannedView {
  intrinsics: Intrinsics;
  cameraToWorld: Mat4;
  eye: Vec3;
  target: Vec3;
}

export const CAMERA_MIN_HEIGHT_M = 1.2;
export const CAMERA_MAX_HEIGHT_M = 2.0;
/** No camera comes closer than this to any object's bounding box. */
export const CAMERA_CLEARANCE_M = 0.35;
/** Outer loop distance from the walls. */
const OUTER_WALL_DISTANCE_M = 1.1;
const INNER_RADIUS_FACTOR = 0.5;

export function demoIntrinsics(
  width: number,
  height: number,
  horizontalFovDeg: number,
): Intrinsics {
  const f = width / 2 / Math.tan((horizontalFovDeg * Math.PI) / 360);
  return { fx: f, fy: f, cx: (width - 1) / 2, cy: (height - 1) / 2, width, height };
}

export function planViews(layout: RoomLayout, options: ViewPlanOptions): PlannedView[] {
  const intrinsics = demoIntrinsics(options.width, options.height, options.horizontalFovDeg);
  const a = layout.width / 2 - OUTER_WALL_DISTANCE_M;
  const b = layout.depth / 2 - OUTER_WALL_DISTANCE_M;
  const views: PlannedView[] = [];
  for (let i = 0; i < options.count; i++) {
    const angle = (2 * Math.PI * i) / options.count;
    const outer = i % 2 === 0;
    const wave = 0.5 + 0.5 * Math.sin(3 * angle + 0.7);
    const eyeZ = CAMERA_MIN_HEIGHT_M + (CAMERA_MAX_HEIGHT_M - CAMERA_MIN_HEIGHT_M) * wave;
    const radius = findClearRadius(layout, a, b, angle, eyeZ, outer ? 1 : INNER_RADIUS_FACTOR);
    const eye: Vec3 = [a * radius * Math.cos(angle), b * radius * Math.sin(angle), eyeZ];
    const target: Vec3 = outer
      ? // across the room, past the centre: the far walls and the floor between
        [-0.8 * eye[0], -0.8 * eye[1], 0.5]
      : // outwards, towards the wall behind the inner camera
        [eye[0] + 2.2 * Math.cos(angle), eye[1] + 2.2 * Math.sin(angle), 0.6];
    views.push({
      intrinsics: { ...intrinsics },
      cameraToWorld: lookAtCameraToWorld(eye, target),
      eye,
      target,
    });
  }
  return views;
}

/** Shrinks the ellipse radius factor from `start` until the camera is clear of every object. */
function findClearRadius(
  layout: RoomLayout,
  a: number,
  b: number,
  angle: number,
  z: number,
  start: number,
): number {
  for (let r = start; r > 0.05; r -= 0.05) {
    const p: Vec3 = [a * r * Math.cos(angle), b * r * Math.sin(angle), z];
    if (layout.objects.every((o) => distanceToAabb(p, o.aabb) >= CAMERA_CLEARANCE_M)) return r;
  }
  return start; // the centre is always free above table height; not reached for our layouts
}

export function distanceToAabb(p: Vec3, box: { min: number[]; max: number[] }): number {
  let s = 0;
  for (let k = 0; k < 3; k++) {
    const d = Math.max(box.min[k] - p[k], 0, p[k] - box.max[k]);
    s += d * d;
  }
  return Math.sqrt(s);
}
