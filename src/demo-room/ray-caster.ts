/**
 * The demo room's software renderer: one ray per pixel centre, nearest hit → shaded colour,
 * z-depth along the optical axis (not ray length) in millimetres, and the instance id.
 */
import type { Intrinsics, Mat4 } from '../pipeline/scene/types';
import { hashToUnit } from './prng';
import type { Ray } from './ray-intersect';
import { RoomTracer, type TraceHit } from './room-tracer';
import { shadeSurface, toByte } from './shading';

export const DEMO_DEPTH_SCALE = 1000;
/** Uniform per-pixel colour noise, ± this many 8-bit levels. */
const PIXEL_NOISE_LEVELS = 2;

export interface RenderedView {
  width: number;
  height: number;
  /** width*height*3 sRGB bytes. */
  color: Uint8Array;
  /** z-depth in millimetres (depthScale 1000); every pixel hits a surface, so none is 0. */
  depth: Uint16Array;
  /** Object id per pixel, -1 for floor, walls and ceiling. */
  instances: Int32Array;
}

export interface RenderOptions {
  /** Seeds the per-pixel noise together with viewIndex; the same inputs give the same bytes. */
  noiseSeed: number;
  viewIndex: number;
}

/**
 * The camera ray through pixel (u, v) in world space. Its direction is R·((u-cx)/fx, (v-cy)/fy, 1),
 * deliberately not normalised: a hit at parameter t then has camera z-depth exactly t.
 */
export function pixelRay(intr: Intrinsics, pose: Mat4, u: number, v: number, ray: Ray): Ray {
  const xn = (u - intr.cx) / intr.fx;
  const yn = (v - intr.cy) / intr.fy;
  ray.ox = pose[3];
  ray.oy = pose[7];
  ray.oz = pose[11];
  ray.dx = pose[0] * xn + pose[1] * yn + pose[2];
  ray.dy = pose[4] * xn + pose[5] * yn + pose[6];
  ray.dz = pose[8] * xn + pose[9] * yn + pose[10];
  return ray;
}

export function renderView(
  tracer: RoomTracer,
  intr: Intrinsics,
  pose: Mat4,
  options: RenderOptions,
): RenderedView {
  const { width, height } = intr;
  const color = new Uint8Array(width * height * 3);
  const depth = new Uint16Array(width * height);
  const instances = new Int32Array(width * height).fill(-1);
  const layout = tracer.layout;
  const ray: Ray = { ox: 0, oy: 0, oz: 0, dx: 0, dy: 0, dz: 0 };
  const hit: TraceHit = { t: Infinity, objectIndex: -1, nx: 0, ny: 0, nz: 0 };
  const rgb = new Float64Array(3);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const i = v * width + u;
      pixelRay(intr, pose, u, v, ray);
      if (!tracer.trace(ray, hit)) continue; // camera outside the room: leave the pixel empty
      const x = ray.ox + hit.t * ray.dx;
      const y = ray.oy + hit.t * ray.dy;
      const z = ray.oz + hit.t * ray.dz;
      const object = hit.objectIndex >= 0 ? layout.objects[hit.objectIndex] : undefined;
      const base = object ? object.color : layout.shellColor;
      shadeSurface(base, hit.nx, hit.ny, hit.nz, x, y, z, hit.objectIndex + 2, rgb);
      // One 32-bit hash per pixel, 10 bits of noise per channel.
      const bits = hashToUnit(options.noiseSeed, options.viewIndex, i) * 4294967296;
      for (let c = 0; c < 3; c++) {
        const unit = ((bits >>> (10 * c)) & 1023) / 1023;
        color[i * 3 + c] = toByte(rgb[c] + (unit * 2 - 1) * PIXEL_NOISE_LEVELS);
      }
      depth[i] = Math.min(65534, Math.max(1, Math.round(hit.t * DEMO_DEPTH_SCALE)));
      instances[i] = object ? object.id : -1;
    }
  }
  return { width, height, color, depth, instances };
}
