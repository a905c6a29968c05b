/**
 * Generated RGB-D scenes for reader tests: a textured wall at world z = WALL_Z seen by a few
 * cameras with known poses, rendered analytically (ray–plane intersection), so tests can check
 * that every reader's poses, intrinsics and depth land points back on the wall.
 */
import { fromQuaternion, toQuaternion } from '../../../src/pipeline/geometry/mat4';
import { encodePng16, encodePngRgb } from '../../../src/pipeline/image/encode';
import type { Intrinsics, Mat4, RgbImage } from '../../../src/pipeline/scene/types';

export const WALL_Z = 3;
/** Colour channel = 128 + world coordinate · gain (stays inside 0..255 for the fixture poses). */
const COLOR_GAIN = 40;
export const K: Intrinsics = { fx: 20, fy: 22, cx: 7.5, cy: 5.5, width: 16, height: 12 };

/** Camera-to-world poses: small rotations and translations, all looking roughly along +z. */
export function fixturePoses(count = 3): Mat4[] {
  const poses: Mat4[] = [];
  for (let i = 0; i < count; i++) {
    const a = 0.05 * i;
    poses.push(
      fromQuaternion(
        Math.sin(a / 2) * 0.6,
        Math.sin(a / 2) * 0.8,
        0,
        Math.cos(a / 2),
        0.1 * i,
        -0.05 * i,
        0.2 * i,
      ),
    );
  }
  return poses;
}

export interface RenderedView {
  color: RgbImage;
  /** Raw depth at the given scale. */
  depth: Uint16Array;
}

/** Ray-casts the wall: per pixel the camera-z depth and a colour from the hit's world x, y. */
export function renderWall(k: Intrinsics, pose: Mat4, depthScale: number): RenderedView {
  const depth = new Uint16Array(k.width * k.height);
  const color = new Uint8Array(k.width * k.height * 3);
  for (let v = 0; v < k.height; v++) {
    for (let u = 0; u < k.width; u++) {
      const dc = [(u - k.cx) / k.fx, (v - k.cy) / k.fy, 1];
      const dwz = pose[8] * dc[0] + pose[9] * dc[1] + pose[10] * dc[2];
      const t = (WALL_Z - pose[11]) / dwz; // camera z of the hit, since dc.z = 1
      const i = v * k.width + u;
      if (!(t > 0)) continue;
      depth[i] = Math.round(t * depthScale);
      const wx = pose[3] + t * (pose[0] * dc[0] + pose[1] * dc[1] + pose[2] * dc[2]);
      const wy = pose[7] + t * (pose[4] * dc[0] + pose[5] * dc[1] + pose[6] * dc[2]);
      color[i * 3] = Math.max(0, Math.min(255, Math.round(128 + wx * COLOR_GAIN)));
      color[i * 3 + 1] = Math.max(0, Math.min(255, Math.round(128 + wy * COLOR_GAIN)));
      color[i * 3 + 2] = 77;
    }
  }
  return { color: { width: k.width, height: k.height, data: color }, depth };
}

export function pngViews(poses: Mat4[], depthScale: number) {
  return poses.map((p) => {
    const r = renderWall(K, p, depthScale);
    return { color: encodePngRgb(r.color), depth: encodePng16(K.width, K.height, r.depth), raw: r };
  });
}

export function matrixText(m: ArrayLike<number>, rows: number, cols: number): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    lines.push(Array.from({ length: cols }, (_, c) => m[r * cols + c].toFixed(9)).join(' '));
  }
  return lines.join('\n') + '\n';
}

export function intrinsicsText(k: Intrinsics): string {
  return matrixText([k.fx, 0, k.cx, 0, k.fy, k.cy, 0, 0, 1], 3, 3);
}

export function quaternionOf(pose: Mat4): [number, number, number, number] {
  return toQuaternion(pose);
}

export const text = (s: string) => new TextEncoder().encode(s);

export function expectPosesClose(a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-6) {
  for (let i = 0; i < 16; i++) {
    if (Math.abs(a[i] - b[i]) > eps) {
      throw new Error(`pose entry ${i}: ${a[i]} vs ${b[i]}`);
    }
  }
}

/**
 * Independent check of a reader's conventions: every valid depth pixel of every frame,
 * back-projected with the frame's intrinsics, pose and depth scale, lands on the wall, and its
 * colour encodes the hit's world x, y as rendered.
 */
export async function expectFramesSeeWall(
  frames: Array<{
    depthIntrinsics: Intrinsics;
    cameraToWorld: Mat4;
    loadDepth(): Promise<{
      width: number;
      height: number;
      data: Uint16Array;
      depthScale: number;
      invalidValues: number[];
    }>;
    loadColor(): Promise<RgbImage>;
  }>,
  colorTolerance = 1,
): Promise<number> {
  let checked = 0;
  for (const f of frames) {
    const depth = await f.loadDepth();
    const color = await f.loadColor();
    const k = f.depthIntrinsics;
    const m = f.cameraToWorld;
    for (let v = 0; v < depth.height; v++) {
      for (let u = 0; u < depth.width; u++) {
        const raw = depth.data[v * depth.width + u];
        if (depth.invalidValues.includes(raw)) continue;
        const z = raw / depth.depthScale;
        const xc = ((u - k.cx) / k.fx) * z;
        const yc = ((v - k.cy) / k.fy) * z;
        const wx = m[0] * xc + m[1] * yc + m[2] * z + m[3];
        const wy = m[4] * xc + m[5] * yc + m[6] * z + m[7];
        const wz = m[8] * xc + m[9] * yc + m[10] * z + m[11];
        if (Math.abs(wz - WALL_Z) > 2e-3) throw new Error(`pixel ${u},${v}: world z ${wz}`);
        const i = (v * color.width + u) * 3;
        const er = Math.abs(color.data[i] - (128 + wx * COLOR_GAIN));
        const eg = Math.abs(color.data[i + 1] - (128 + wy * COLOR_GAIN));
        if (er > colorTolerance + 0.6 || eg > colorTolerance + 0.6) {
          throw new Error(
            `pixel ${u},${v}: colour ${color.data[i]},${color.data[i + 1]} for ${wx},${wy}`,
          );
        }
        checked++;
      }
    }
  }
  return checked;
}
