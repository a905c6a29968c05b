import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bicubicCoefficients,
  resizeBicubicWindow,
} from '../../../../src/pipeline/clip/preprocess/pil-bicubic';

/** Resizes a w x h RGB image (all of it) and returns the pixels. */
function resize(data: Uint8Array, w: number, h: number, ow: number, oh: number): Uint8Array {
  return resizeBicubicWindow({ data, stride: w * 3, x0: 0, y0: 0, width: w, height: h }, ow, oh, {
    left: 0,
    top: 0,
    width: ow,
    height: oh,
  }).pixels;
}

/** A one-row grey image from levels. */
const greyRow = (levels: number[]) => new Uint8Array(levels.flatMap((v) => [v, v, v]));
const redChannel = (pixels: Uint8Array) => Array.from(pixels.filter((_, i) => i % 3 === 0));

describe("Pillow's antialiased bicubic (Resample.c)", () => {
  it('upscales [0, 255] to 4 pixels as computed by hand from the a = -0.5 kernel', () => {
    // Centres 0.25, 0.75, 1.25, 1.75; weights k(0.25) = 0.8671875, k(0.75) = 0.2265625,
    // k(1.25) = -0.0703125, normalised per pixel: 255·(-0.0882) → 0, 255·0.2071 = 52.8 → 53,
    // 255·0.7929 = 202.2 → 202, 255·1.0882 → 255.
    expect(redChannel(resize(greyRow([0, 255]), 2, 1, 4, 1))).toEqual([0, 53, 202, 255]);
  });

  it('downscales [0, 0, 255, 255] to 2 pixels with the support widened by the factor', () => {
    // Scale 2: taps at (x - 1 + 0.5)/2 → k = 0.8672, 0.8672, 0.2266, -0.0703 (sum 1.8906):
    // 255·(0.2266 - 0.0703)/1.8906 = 21.07 → 21; the mirror image gives 233.9 → 234.
    expect(redChannel(resize(greyRow([0, 0, 255, 255]), 4, 1, 2, 1))).toEqual([21, 234]);
  });

  it('has the support, bounds and normalised weights Pillow computes for 640 → 298', () => {
    const c = bicubicCoefficients(640, 298);
    const scale = 640 / 298;
    expect(c.ksize).toBe(Math.ceil(2 * scale) * 2 + 1); // 11
    for (let i = 0; i < 298; i++) {
      const taps = c.bounds[i * 2 + 1];
      expect(taps).toBeGreaterThan(0);
      expect(taps).toBeLessThanOrEqual(c.ksize);
      let sum = 0;
      for (let t = 0; t < taps; t++) sum += c.weights[i * c.ksize + t];
      // Each weight rounds separately: the fixed-point sum is 2^22 within half a unit per tap.
      expect(Math.abs(sum - 2 ** 22)).toBeLessThanOrEqual(taps / 2);
    }
    // A window of the outputs has the same coefficients as the full table.
    const window = bicubicCoefficients(640, 298, 37, 224);
    expect(Array.from(window.bounds)).toEqual(Array.from(c.bounds.subarray(74, 74 + 448)));
  });

  it('keeps a constant image constant and is the identity at the same size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ minLength: 1, maxLength: 4800 }),
        (w, h, ow, oh, level, noise) => {
          const flat = new Uint8Array(w * h * 3).fill(level);
          expect(resize(flat, w, h, ow, oh).every((v) => v === level)).toBe(true);
          const img = new Uint8Array(w * h * 3).map((_, i) => noise[i % noise.length]);
          expect(resize(img, w, h, w, h)).toEqual(img);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a window of the output equals the same part of the full resize (crop after resize)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (w, h, ow, oh, seed) => {
          let s = seed;
          const img = new Uint8Array(w * h * 3).map(
            () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24,
          );
          const full = resize(img, w, h, ow, oh);
          const left = s % ow;
          const top = (s >>> 8) % oh;
          const win = { left, top, width: ow - left, height: oh - top };
          const part = resizeBicubicWindow(
            { data: img, stride: w * 3, x0: 0, y0: 0, width: w, height: h },
            ow,
            oh,
            win,
          ).pixels;
          for (let y = 0; y < win.height; y++) {
            const a = part.subarray(y * win.width * 3, (y + 1) * win.width * 3);
            const b = full.subarray(((top + y) * ow + left) * 3, ((top + y) * ow + ow) * 3);
            expect(Array.from(a)).toEqual(Array.from(b));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays within 1.1 levels of an unrounded non-separable float bicubic on a smooth image', () => {
    // Independent float reference: 2-D kernel sum with per-axis normalisation, no rounding.
    // (On noise Pillow's clipping to 0..255 between the passes makes larger, legitimate gaps.)
    const kernel = (x: number) => {
      x = Math.abs(x);
      if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * -0.5;
      return 0;
    };
    const weights = (inSize: number, outSize: number, o: number) => {
      const scale = inSize / outSize;
      const fs = Math.max(1, scale);
      const center = (o + 0.5) * scale;
      const taps: [number, number][] = [];
      for (let i = 0; i < inSize; i++) {
        const w = kernel((i + 0.5 - center) / fs);
        if (w !== 0) taps.push([i, w]);
      }
      const total = taps.reduce((a, [, w]) => a + w, 0);
      return taps.map(([i, w]) => [i, w / total] as [number, number]);
    };
    const w = 37;
    const h = 23;
    const img = new Uint8Array(w * h * 3).map((_, i) => {
      const p = Math.floor(i / 3);
      return Math.round(
        128 + 60 * Math.sin((p % w) / 5 + (i % 3)) * Math.cos(Math.floor(p / w) / 4),
      );
    });
    for (const [ow, oh] of [
      [17, 11],
      [80, 50],
      [29, 40],
    ]) {
      const ours = resize(img, w, h, ow, oh);
      for (let y = 0; y < oh; y++) {
        const wy = weights(h, oh, y);
        for (let x = 0; x < ow; x++) {
          const wx = weights(w, ow, x);
          for (let c = 0; c < 3; c++) {
            let v = 0;
            for (const [iy, ky] of wy)
              for (const [ix, kx] of wx) v += ky * kx * img[(iy * w + ix) * 3 + c];
            const expected = Math.min(255, Math.max(0, v));
            // Rounding: ≤ 0.5 in between (times Σ|k| ≤ 1.13 of the vertical taps) + ≤ 0.5 at the end.
            expect(Math.abs(ours[(y * ow + x) * 3 + c] - expected)).toBeLessThanOrEqual(1.1);
          }
        }
      }
    }
  });
});
