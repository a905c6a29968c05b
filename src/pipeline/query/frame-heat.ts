/**
 * Projects per-point scores into one frame's image for the frame view: each point with a score
 * lands on its nearest pixel (z-buffered), then a small splat fills the gaps between points.
 */
import type { Intrinsics, Mat4 } from '../scene/types';

/** width*height values in 0..1 (NaN where no scored point projects). */
export function projectHeat(
  positions: Float32Array,
  scores: Float32Array,
  range: [number, number],
  cameraToWorld: Mat4,
  intr: Intrinsics,
  splatRadius = 2,
): Float32Array {
  const { width, height, fx, fy, cx, cy } = intr;
  const heat = new Float32Array(width * height).fill(NaN);
  const depth = new Float32Array(width * height).fill(Infinity);
  const m = cameraToWorld;
  // World → camera is the inverse of the rigid camera-to-world: R^T (p − t).
  const tx = m[3];
  const ty = m[7];
  const tz = m[11];
  const span = Math.max(range[1] - range[0], 1e-9);
  const n = Math.min(positions.length / 3, scores.length);
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (!(s === s)) continue;
    const dx = positions[3 * i] - tx;
    const dy = positions[3 * i + 1] - ty;
    const dz = positions[3 * i + 2] - tz;
    const x = m[0] * dx + m[4] * dy + m[8] * dz;
    const y = m[1] * dx + m[5] * dy + m[9] * dz;
    const z = m[2] * dx + m[6] * dy + m[10] * dz;
    if (z <= 1e-3) continue;
    const u = Math.round((fx * x) / z + cx);
    const v = Math.round((fy * y) / z + cy);
    const t = Math.min(1, Math.max(0, (s - range[0]) / span));
    for (let dv = -splatRadius; dv <= splatRadius; dv++) {
      const vv = v + dv;
      if (vv < 0 || vv >= height) continue;
      for (let du = -splatRadius; du <= splatRadius; du++) {
        const uu = u + du;
        if (uu < 0 || uu >= width) continue;
        const k = vv * width + uu;
        if (z < depth[k]) {
          depth[k] = z;
          heat[k] = t;
        }
      }
    }
  }
  return heat;
}
