/**
 * The offline encoder's dense variant (`patch_embeds`, method 'native'): a patch's feature is the
 * image embedding of a window filled with that patch's content — checked against image_embeds of
 * uniform windows (an independent path through the same graph) and on a two-colour window whose
 * boundary falls on, and off, the 32-px patch grid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOR_TERMS, FOCAL_SRGB } from '../../../../src/pipeline/clip/offline/color-terms';
import {
  loadClipModel,
  type LoadedClipModel,
} from '../../../../src/pipeline/clip/model-source/load-clip-model';
import { inMemoryOfflineModelSource } from '../../../../src/pipeline/clip/model-source/offline-model-source';
import { CLIP_PREPROCESS_DEFAULTS } from '../../../../src/pipeline/defaults';
import { batchOf, colorPatch } from './color-patches';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

let model: LoadedClipModel;
beforeAll(async () => {
  model = await loadClipModel(inMemoryOfflineModelSource(), { numThreads: 1 });
});
afterAll(async () => {
  await model?.encoder.dispose();
});

/** A window whose pixels left of column `split` are `left`, the rest `right`. */
function twoColours(
  left: readonly number[],
  right: readonly number[],
  split: number,
): Float32Array {
  const { mean, std } = CLIP_PREPROCESS_DEFAULTS;
  const out = new Float32Array(3 * 224 * 224);
  for (let y = 0; y < 224; y++) {
    for (let x = 0; x < 224; x++) {
      const rgb = x < split ? left : right;
      for (let c = 0; c < 3; c++)
        out[c * 224 * 224 + y * 224 + x] = (rgb[c] / 255 - mean[c]) / std[c];
    }
  }
  return out;
}

describe('offline encoder, dense variant', () => {
  it('declares dense features on the ViT-B/16 grid (14×14 of 16 px)', () => {
    const dense = model.encoder.dense!;
    expect(dense).toBeDefined();
    expect(dense.method).toBe('native');
    expect(dense.grid).toEqual({ rows: 14, cols: 14, patch: 16 });
    expect(dense.dim).toBe(model.encoder.dim);
  });

  it('gives every patch of a uniform window the window’s image embedding', async () => {
    const terms = COLOR_TERMS.slice(0, 6);
    const batch = batchOf(terms.map((t) => colorPatch(FOCAL_SRGB[t])));
    const global = await model.encoder.embedImages(batch, terms.length);
    const patches = await model.encoder.dense!.embedPatches(batch, terms.length);
    const D = model.encoder.dim;
    expect(patches.length).toBe(terms.length * 196 * D);
    for (let b = 0; b < terms.length; b++) {
      for (let p = 0; p < 196; p++) {
        const f = patches.subarray((b * 196 + p) * D, (b * 196 + p + 1) * D);
        expect(dot(f, f)).toBeCloseTo(1, 5);
        expect(dot(f, global.subarray(b * D, (b + 1) * D))).toBeGreaterThan(1 - 1e-5);
      }
    }
  });

  it('keeps two colours apart at the patch grid and mixes them only in the patch they share', async () => {
    const red = FOCAL_SRGB.red;
    const blue = FOCAL_SRGB.blue;
    const D = model.encoder.dim;
    const pure = await model.encoder.embedImages(batchOf([colorPatch(red), colorPatch(blue)]), 2);
    const redG = pure.subarray(0, D);
    const blueG = pure.subarray(D, 2 * D);
    // Split on a patch boundary (column 6·16 = 96), then inside patch column 6 (at 104).
    const patches = await model.encoder.dense!.embedPatches(
      batchOf([twoColours(red, blue, 96), twoColours(red, blue, 104)]),
      2,
    );
    const at = (b: number, r: number, c: number) =>
      patches.subarray((b * 196 + r * 14 + c) * D, (b * 196 + r * 14 + c + 1) * D);
    for (let r = 0; r < 14; r++) {
      for (let c = 0; c < 14; c++) {
        const f = at(0, r, c);
        expect(dot(f, c < 6 ? redG : blueG)).toBeGreaterThan(1 - 1e-5);
      }
      // Half red, half blue: closer to both than either pure colour is to the other.
      const mixed = at(1, r, 6);
      const pureCos = dot(redG, blueG);
      expect(dot(mixed, redG)).toBeGreaterThan(pureCos + 0.1);
      expect(dot(mixed, blueG)).toBeGreaterThan(pureCos + 0.1);
      expect(dot(at(1, r, 5), redG)).toBeGreaterThan(1 - 1e-5);
      expect(dot(at(1, r, 7), blueG)).toBeGreaterThan(1 - 1e-5);
    }
  });
});
