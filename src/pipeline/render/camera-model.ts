/**
 * Cameras for rendered views: intrinsics from a field of view, look-at poses for any up axis,
 * and the checks every render does before allocating (image size, intrinsics, pose).
 */
import { RENDER_DEFAULTS } from '../defaults';
import { UnsupportedError } from '../errors';
import { invert, isFiniteMatrix } from '../geometry/mat4';
import type { Intrinsics, Mat4 } from '../scene/types';
import type { DepthRange, Vec3 } from './types';

/** Refuses image sizes that are not positive integers or exceed the pixel budget. */
export function checkImageSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new UnsupportedError(`render size must be positive integers, got ${width}×${height}`);
  }
  if (width * height > RENDER_DEFAULTS.maxPixels) {
    throw new UnsupportedError(
      `render size ${width}×${height} exceeds ${RENDER_DEFAULTS.maxPixels} pixels`,
    );
  }
}

/**
 * Square-pixel pinhole intrinsics with the given horizontal field of view and the principal point
 * at the image centre ((w − 1)/2, (h − 1)/2 with pixel centres at integers).
 */
export function intrinsicsFromFov(
  width: number,
  height: number,
  horizontalFovDeg: number,
): Intrinsics {
  checkImageSize(width, height);
  if (!(horizontalFovDeg > 0 && horizontalFovDeg < 180)) {
    throw new UnsupportedError(`field of view must be in (0°, 180°), got ${horizontalFovDeg}`);
  }
  const f = width / 2 / Math.tan((horizontalFovDeg * Math.PI) / 360);
  return { fx: f, fy: f, cx: (width - 1) / 2, cy: (height - 1) / 2, width, height };
}

/** Refuses intrinsics a render cannot use (non-positive focal lengths, NaNs, bad sizes). */
export function checkIntrinsics(k: Intrinsics): void {
  checkImageSize(k.width, k.height);
  if (!(k.fx > 0 && k.fy > 0 && Number.isFinite(k.fx) && Number.isFinite(k.fy))) {
    throw new UnsupportedError(`focal lengths must be positive, got fx=${k.fx} fy=${k.fy}`);
  }
  if (!Number.isFinite(k.cx) || !Number.isFinite(k.cy)) {
    throw new UnsupportedError(`principal point must be finite, got (${k.cx}, ${k.cy})`);
  }
}

export function checkDepthRange(range: DepthRange): void {
  if (!(range.nearM > 0 && range.farM > range.nearM && Number.isFinite(range.farM))) {
    throw new UnsupportedError(
      `need 0 < near < far < ∞, got near ${range.nearM} m, far ${range.farM} m`,
    );
  }
}

/** World-to-camera of a pose (general inverse), or an UnsupportedError for NaN/singular poses. */
export function worldToCameraOrThrow(cameraToWorld: Mat4): Mat4 {
  if (cameraToWorld.length !== 16 || !isFiniteMatrix(cameraToWorld)) {
    throw new UnsupportedError('camera pose must be 16 finite numbers');
  }
  const inverse = invert(cameraToWorld);
  if (!inverse) throw new UnsupportedError('camera pose is singular');
  return inverse;
}

export function normalise3(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return n > 0 ? [v[0] / n, v[1] / n, v[2] / n] : [NaN, NaN, NaN];
}

export function cross3(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot3(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Two unit vectors spanning the plane perpendicular to the unit vector `up`. */
export function horizontalBasis(up: Vec3): [Vec3, Vec3] {
  // Start from the world axis least aligned with up, so the cross product is well conditioned.
  const a = Math.abs(up[0]);
  const b = Math.abs(up[1]);
  const c = Math.abs(up[2]);
  const seed: Vec3 = a <= b && a <= c ? [1, 0, 0] : b <= c ? [0, 1, 0] : [0, 0, 1];
  const e1 = normalise3(cross3(seed, up));
  const e2 = cross3(up, e1);
  return [e1, e2];
}

/**
 * Camera-to-world pose (OpenCV axes: x right, y down, z forward) of a camera at `eye` looking at
 * `target`, with no roll about the world's `up`. Looking straight along ±up picks a horizontal
 * right axis instead of failing. Throws UnsupportedError when eye and target coincide.
 */
export function lookAtPose(eye: Vec3, target: Vec3, up: Vec3): Mat4 {
  const forward = normalise3([target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]]);
  if (!Number.isFinite(forward[0])) {
    throw new UnsupportedError('look-at needs distinct, finite eye and target points');
  }
  let right = cross3(forward, up);
  if (Math.hypot(right[0], right[1], right[2]) < 1e-9) right = horizontalBasis(up)[0];
  right = normalise3(right);
  const down = cross3(forward, right);
  const m = new Float64Array(16);
  for (let r = 0; r < 3; r++) {
    m[r * 4] = right[r];
    m[r * 4 + 1] = down[r];
    m[r * 4 + 2] = forward[r];
    m[r * 4 + 3] = eye[r];
  }
  m[15] = 1;
  return m;
}
