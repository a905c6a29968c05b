// Test helper: CLIP-normalised colour patches (flat, or with a shading factor / ramp).
import { CLIP_PREPROCESS_DEFAULTS } from '../../../../src/pipeline/defaults';

const SIDE = 224;
const PLANE = SIDE * SIDE;

/** One 224x224 patch; `shade(x, y)` multiplies the colour (then clamped to 0..255 and rounded). */
export function colorPatch(
  rgb: readonly number[],
  shade: (x: number, y: number) => number = () => 1,
): Float32Array {
  const { mean, std } = CLIP_PREPROCESS_DEFAULTS;
  const out = new Float32Array(3 * PLANE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const s = shade(x, y);
      for (let c = 0; c < 3; c++) {
        const v = Math.min(255, Math.max(0, Math.round(rgb[c] * s)));
        out[c * PLANE + y * SIDE + x] = (v / 255 - mean[c]) / std[c];
      }
    }
  }
  return out;
}

export function batchOf(patches: Float32Array[]): Float32Array {
  const out = new Float32Array(patches.length * 3 * PLANE);
  patches.forEach((p, i) => out.set(p, i * 3 * PLANE));
  return out;
}

export function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += a[ai * dim + k] * b[bi * dim + k];
  return s;
}
