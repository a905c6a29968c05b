/**
 * Pinhole camera math in our conventions (OpenCV axes, pixel centres at integer coordinates,
 * camera-to-world poses; see scene/types.ts).
 */
import type { Intrinsics, Mat4 } from '../scene/types';
import { invertRigid } from './mat4';

export interface PixelProjection {
  /** Sub-pixel column and row (not rounded). */
  u: number;
  v: number;
  /** Depth along the camera's +z axis in metres (≤ 0: behind the camera). */
  z: number;
}

/**
 * Projects a world point through a camera: camera = inverse(cameraToWorld) · world, then
 * u = fx·x/z + cx, v = fy·y/z + cy. Pass `worldToCamera` when projecting many points with one
 * camera to avoid inverting per call. Returns z ≤ 0 with u = v = NaN for points behind.
 */
export function projectWorldPoint(
  intrinsics: Intrinsics,
  worldToCamera: Mat4,
  x: number,
  y: number,
  z: number,
): PixelProjection {
  const m = worldToCamera;
  const cx = m[0] * x + m[1] * y + m[2] * z + m[3];
  const cy = m[4] * x + m[5] * y + m[6] * z + m[7];
  const cz = m[8] * x + m[9] * y + m[10] * z + m[11];
  if (!(cz > 0)) return { u: NaN, v: NaN, z: cz };
  return {
    u: (intrinsics.fx * cx) / cz + intrinsics.cx,
    v: (intrinsics.fy * cy) / cz + intrinsics.cy,
    z: cz,
  };
}

/** World-to-camera for a rigid camera-to-world pose. */
export function worldToCameraOf(cameraToWorld: Mat4): Mat4 {
  return invertRigid(cameraToWorld);
}

/**
 * Back-projects pixel (u, v) with depth z (metres along +z) to world coordinates, writing into
 * `out` (length ≥ 3) at `offset`.
 */
export function backprojectPixel(
  intrinsics: Intrinsics,
  cameraToWorld: Mat4,
  u: number,
  v: number,
  depth: number,
  out: Float64Array | Float32Array | number[] = new Float64Array(3),
  offset = 0,
): Float64Array | Float32Array | number[] {
  const xc = ((u - intrinsics.cx) / intrinsics.fx) * depth;
  const yc = ((v - intrinsics.cy) / intrinsics.fy) * depth;
  const m = cameraToWorld;
  out[offset] = m[0] * xc + m[1] * yc + m[2] * depth + m[3];
  out[offset + 1] = m[4] * xc + m[5] * yc + m[6] * depth + m[7];
  out[offset + 2] = m[8] * xc + m[9] * yc + m[10] * depth + m[11];
  return out;
}

/**
 * Intrinsics for the same camera at another resolution. With pixel centres at integers, pixel
 * edges sit at −0.5 and width−0.5, so the principal point maps as (c + 0.5)·s − 0.5.
 */
export function scaleIntrinsics(intrinsics: Intrinsics, width: number, height: number): Intrinsics {
  const sx = width / intrinsics.width;
  const sy = height / intrinsics.height;
  return {
    fx: intrinsics.fx * sx,
    fy: intrinsics.fy * sy,
    cx: (intrinsics.cx + 0.5) * sx - 0.5,
    cy: (intrinsics.cy + 0.5) * sy - 0.5,
    width,
    height,
  };
}
