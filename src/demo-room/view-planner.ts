/**
 * Where the demo room's cameras stand and look. Like a hand-held scan, every view is a close look
 * at one object: views take the objects in turn, each from the open side of the room (away from
 * its wall), at a distance where it fills a good part of the frame, at 1.2–2.0 m height, looking
 * slightly down at it. Candidate positions are tried in a fixed order and the first that keeps
 * clear of the furniture and shows enough of the object wins (checked by ray casting a small
 * instance image). The views are then ordered by their angle around the room, so the
 * trajectory is a loop.
 */
import { intrinsicsFromFov } from '../pipeline/render/camera-model';
import type { Vec3 } from '../pipeline/render/types';
import type { Intrinsics, Mat4 } from '../pipeline/scene/types';
import { lookAtCameraToWorld } from './look-at';
import { pixelRay } from './ray-caster';
import type { Ray } from './ray-intersect';
import type { RoomLayout, RoomObject } from './room-layout';
import { RoomTracer, type TraceHit } from './room-tracer';

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
  /** The object this view was planned for. */
  objectId: number;
}

export const CAMERA_MIN_HEIGHT_M = 1.2;
export const CAMERA_MAX_HEIGHT_M = 2.0;
/** No camera comes closer than this to any object's bounding box. */
export const CAMERA_CLEARANCE_M = 0.35;
/** ... nor to a wall. */
const WALL_CLEARANCE_M = 0.3;
/** The object's bounding sphere should span about this fraction of the vertical field of view. */
const FRAME_FILL = 0.85;
/** A candidate is good enough once the object covers this fraction of the image. */
const GOOD_COVERAGE = 0.35;
/** Half the angle (degrees) between the two views of a pair, for the first and later rounds. */
const PAIR_SPREAD_DEG = [25, 55, 40];
const SEARCH_OFFSETS_DEG = [0, 15, -15, 30, -30, 45, -45, 60, -60, 90, -90];
const SEARCH_DISTANCE_FACTORS = [1, 0.85, 0.7, 0.55, 0.4];
/** Views closer than this to an earlier view are not planned again. */
const DISTINCT_EYES_M = 0.4;
/** Size of the instance image used to score candidates. */
const PROBE_WIDTH = 40;
/** Size of the instance image used to count which objects a view shows. */
const COUNT_PROBE_WIDTH = 80;

export function planViews(layout: RoomLayout, options: ViewPlanOptions): PlannedView[] {
  const intrinsics = intrinsicsFromFov(options.width, options.height, options.horizontalFovDeg);
  const tracer = new RoomTracer(layout);
  const probeHeight = Math.max(2, Math.round((PROBE_WIDTH * options.height) / options.width));
  const probe = intrinsicsFromFov(PROBE_WIDTH, probeHeight, options.horizontalFovDeg);
  const verticalFov = 2 * Math.atan(options.height / 2 / intrinsics.fy);
  // Views come in pairs, one object from two sides, next to each other in the trajectory: any
  // every-other-frame subset still sees every object. After one pair per object, extra pairs go
  // to the objects that the views so far show least.
  const pairCount = Math.ceil(options.count / 2);
  const counter = new VisibilityCounter(layout, tracer, options);
  const pairs: PlannedView[][] = [];
  const taken: Vec3[] = [];
  for (let p = 0; p < pairCount; p++) {
    const round = Math.floor(p / layout.objects.length);
    const object = round === 0 ? layout.objects[p] : counter.leastSeen();
    const spread = PAIR_SPREAD_DEG[round % PAIR_SPREAD_DEG.length];
    const pair = [-spread, spread].map((offset) => ({
      ...planObjectView(layout, tracer, object, offset, verticalFov, probe, taken),
      intrinsics: { ...intrinsics },
    }));
    pairs.push(pair);
    taken.push(...pair.map((v) => v.eye));
    // Visibility matters only for the extra pairs: count once the first round is complete.
    const n = layout.objects.length;
    if (pairs.length === n) for (const q of pairs.flat()) counter.add(q);
    else if (pairs.length > n) for (const q of pair) counter.add(q);
  }
  // An odd count: the last extra pair keeps one view.
  if (2 * pairs.length > options.count) pairs[pairs.length - 1].pop();
  // Around the room in one loop, by the angle of each pair's first eye.
  const angle = (v: PlannedView) => Math.atan2(v.eye[1], v.eye[0]);
  pairs.sort((a, b) => angle(a[0]) - angle(b[0]) || a[0].objectId - b[0].objectId);
  return pairs.flat();
}

/** Counts, per object, the views that show it with at least ~50 full-resolution pixels. */
class VisibilityCounter {
  private readonly counts: number[];
  private readonly intr: Intrinsics;
  private readonly minPixels: number;

  constructor(
    private readonly layout: RoomLayout,
    private readonly tracer: RoomTracer,
    options: ViewPlanOptions,
  ) {
    this.counts = layout.objects.map(() => 0);
    const h = Math.max(2, Math.round((COUNT_PROBE_WIDTH * options.height) / options.width));
    this.intr = intrinsicsFromFov(COUNT_PROBE_WIDTH, h, options.horizontalFovDeg);
    const scale = (COUNT_PROBE_WIDTH * h) / (options.width * options.height);
    // Twice the 50 full-resolution pixels: the coarse probe overestimates thin objects.
    this.minPixels = Math.max(3, Math.round(100 * scale));
  }

  add(view: PlannedView) {
    const pixels = instancePixelCounts(this.tracer, this.intr, view.eye, view.target);
    this.layout.objects.forEach((o, i) => {
      if ((pixels.get(o.id) ?? 0) >= this.minPixels) this.counts[i]++;
    });
  }

  leastSeen(): RoomObject {
    let best = 0;
    for (let i = 1; i < this.counts.length; i++) if (this.counts[i] < this.counts[best]) best = i;
    return this.layout.objects[best];
  }
}

function planObjectView(
  layout: RoomLayout,
  tracer: RoomTracer,
  object: RoomObject,
  offsetDeg: number,
  verticalFov: number,
  probe: Intrinsics,
  taken: Vec3[],
): Omit<PlannedView, 'intrinsics'> {
  const { min, max } = object.aabb;
  const target: Vec3 = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  const radius = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) / 2;
  const nominal = Math.max(0.8, radius / Math.tan((FRAME_FILL * verticalFov) / 2));
  const base = openDirection(layout, target);
  // Good enough: the object fills enough of the frame without being cut. Otherwise keep the best,
  // preferring whole objects (a close-up of a lamp pole is not a lamp).
  let best: { eye: Vec3; score: number } | undefined;
  for (const factor of SEARCH_DISTANCE_FACTORS) {
    for (const search of SEARCH_OFFSETS_DEG) {
      const theta = base + ((offsetDeg + search) * Math.PI) / 180;
      const eye = eyeAt(target, theta, nominal * factor);
      if (!isClear(layout, eye) || taken.some((e) => distance3(e, eye) < DISTINCT_EYES_M)) continue;
      const { coverage, cut } = objectCoverage(tracer, probe, eye, target, object.id);
      if (coverage >= GOOD_COVERAGE && !cut) {
        return {
          eye,
          target,
          objectId: object.id,
          cameraToWorld: lookAtCameraToWorld(eye, target),
        };
      }
      // A cut object never beats a whole one that fills GOOD_COVERAGE / 2 of the frame.
      const score = cut ? Math.min(coverage, GOOD_COVERAGE) / 2 : coverage;
      if (!best || score > best.score) best = { eye, score };
    }
  }
  // Every layout has free space above the table height near the room centre.
  const eye = best?.eye ?? [0, 0, CAMERA_MAX_HEIGHT_M];
  return { eye, target, objectId: object.id, cameraToWorld: lookAtCameraToWorld(eye, target) };
}

/** Horizontal direction (radians) from the point into the room: away from the nearest wall. */
function openDirection(layout: RoomLayout, p: Vec3): number {
  const { min, max } = layout.interior;
  const gaps = [
    { d: p[1] - min[1], angle: Math.PI / 2 }, // near the south wall: look from the north
    { d: max[1] - p[1], angle: -Math.PI / 2 },
    { d: p[0] - min[0], angle: 0 },
    { d: max[0] - p[0], angle: Math.PI },
  ];
  gaps.sort((a, b) => a.d - b.d);
  // Objects in the middle of the room: view them from the roomier side.
  return gaps[0].d < 1.2 ? gaps[0].angle : gaps[3].angle + Math.PI;
}

/**
 * The eye about `distance` from the target along horizontal direction theta, above it: looking
 * down by about 27°, never more than 45° (a low camera stays back instead).
 */
function eyeAt(target: Vec3, theta: number, distance: number): Vec3 {
  const z = Math.min(
    CAMERA_MAX_HEIGHT_M,
    Math.max(CAMERA_MIN_HEIGHT_M, target[2] + 0.15, target[2] + 0.45 * distance),
  );
  const dz = z - target[2];
  const horizontal = Math.max(Math.sqrt(Math.max(distance * distance - dz * dz, 0)), dz);
  return [target[0] + horizontal * Math.cos(theta), target[1] + horizontal * Math.sin(theta), z];
}

function isClear(layout: RoomLayout, eye: Vec3): boolean {
  const { min, max } = layout.interior;
  for (let k = 0; k < 2; k++) {
    if (eye[k] < min[k] + WALL_CLEARANCE_M || eye[k] > max[k] - WALL_CLEARANCE_M) return false;
  }
  return layout.objects.every((o) => distanceToAabb(eye, o.aabb) >= CAMERA_CLEARANCE_M);
}

/**
 * How well a small rendered instance image shows the object: the fraction of pixels it covers,
 * and whether the frame cuts it (it touches the image border).
 */
function objectCoverage(
  tracer: RoomTracer,
  intr: Intrinsics,
  eye: Vec3,
  target: Vec3,
  id: number,
): { coverage: number; cut: boolean } {
  const ids = instanceImage(tracer, intr, eye, target);
  const { width, height } = intr;
  let count = 0;
  let cut = false;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      if (ids[v * width + u] !== id) continue;
      count++;
      if (u === 0 || v === 0 || u === width - 1 || v === height - 1) cut = true;
    }
  }
  return { coverage: count / (width * height), cut };
}

/** Pixels per object id in a small instance image rendered from eye towards target. */
function instancePixelCounts(
  tracer: RoomTracer,
  intr: Intrinsics,
  eye: Vec3,
  target: Vec3,
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const id of instanceImage(tracer, intr, eye, target)) {
    if (id >= 0) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** A small instance-id image (-1 for the shell) rendered from eye towards target. */
function instanceImage(tracer: RoomTracer, intr: Intrinsics, eye: Vec3, target: Vec3): Int32Array {
  const pose = lookAtCameraToWorld(eye, target);
  const ray: Ray = { ox: 0, oy: 0, oz: 0, dx: 0, dy: 0, dz: 0 };
  const hit: TraceHit = { t: Infinity, objectIndex: -1, nx: 0, ny: 0, nz: 0 };
  const ids = new Int32Array(intr.width * intr.height).fill(-1);
  for (let v = 0; v < intr.height; v++) {
    for (let u = 0; u < intr.width; u++) {
      if (tracer.trace(pixelRay(intr, pose, u, v, ray), hit) && hit.objectIndex >= 0) {
        ids[v * intr.width + u] = tracer.layout.objects[hit.objectIndex].id;
      }
    }
  }
  return ids;
}

function distance3(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

export function distanceToAabb(p: Vec3, box: { min: number[]; max: number[] }): number {
  let s = 0;
  for (let k = 0; k < 3; k++) {
    const d = Math.max(box.min[k] - p[k], 0, p[k] - box.max[k]);
    s += d * d;
  }
  return Math.sqrt(s);
}
