import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOR_TERMS, FOCAL_SRGB } from '../../../../src/pipeline/clip/offline/color-terms';
import {
  OFFLINE_EMBED_DIM,
  OFFLINE_MODEL_ID,
} from '../../../../src/pipeline/clip/offline/offline-spec';
import {
  loadClipModel,
  type LoadedClipModel,
} from '../../../../src/pipeline/clip/model-source/load-clip-model';
import { inMemoryOfflineModelSource } from '../../../../src/pipeline/clip/model-source/offline-model-source';
import { batchOf, colorPatch, dot } from './color-patches';

// The offline encoder's promise: colour words find patches of that colour, through
// onnxruntime-web, however the patch is lit (within x0.6 .. x1.2).
let model: LoadedClipModel;
beforeAll(async () => {
  model = await loadClipModel(inMemoryOfflineModelSource(), { numThreads: 1 });
});
afterAll(async () => {
  await model?.encoder.dispose();
});

const SHADINGS: Record<string, (x: number, y: number) => number> = {
  flat: () => 1,
  'shaded x0.6': () => 0.6,
  'lit x1.2 (clamped)': () => 1.2,
  'ramp 0.6..1.2': (x) => 0.6 + (0.6 * x) / 223,
};

describe('offline colour encoder through onnxruntime-web', () => {
  it('loads with the CLIP contract and its own dimension', () => {
    expect(model.config.modelId).toBe(OFFLINE_MODEL_ID);
    expect(model.encoder.dim).toBe(OFFLINE_EMBED_DIM);
    expect(model.config.contextLength).toBe(77);
  });

  for (const [name, shade] of Object.entries(SHADINGS)) {
    it(`"a <colour> object" ranks the patch of that colour first among the 11 (${name})`, async () => {
      const patches = COLOR_TERMS.map((term) => colorPatch(FOCAL_SRGB[term], shade));
      const images = await model.encoder.embedImages(batchOf(patches), patches.length);
      const texts = await model.encoder.embedTexts(COLOR_TERMS.map((t) => `a ${t} object`));
      const D = model.encoder.dim;
      const misses: string[] = [];
      COLOR_TERMS.forEach((term, t) => {
        const scores = COLOR_TERMS.map((_, p) => dot(texts, t, images, p, D));
        const best = scores.indexOf(Math.max(...scores));
        // The winner must be clearly ahead, not a float tie.
        const runnerUp = Math.max(...scores.filter((_, p) => p !== t));
        if (best !== t || scores[t] - runnerUp < 1e-3)
          misses.push(
            `${term} → ${COLOR_TERMS[best]} (${scores[t].toFixed(4)} vs ${runnerUp.toFixed(4)})`,
          );
      });
      expect(misses).toEqual([]);
    });
  }

  it('each flat and lit patch is closest to its own colour word (image → text)', async () => {
    const texts = await model.encoder.embedTexts(COLOR_TERMS.map((t) => t));
    const D = model.encoder.dim;
    for (const shade of [SHADINGS.flat, SHADINGS['lit x1.2 (clamped)']]) {
      const patches = COLOR_TERMS.map((term) => colorPatch(FOCAL_SRGB[term], shade));
      const images = await model.encoder.embedImages(batchOf(patches), patches.length);
      const labels = COLOR_TERMS.map((_, p) => {
        const scores = COLOR_TERMS.map((_, t) => dot(images, p, texts, t, D));
        return COLOR_TERMS[scores.indexOf(Math.max(...scores))];
      });
      expect(labels).toEqual([...COLOR_TERMS]);
    }
  });

  it('reads "gray" as grey, ignores case and padding, and embeds any text to a unit vector', async () => {
    const e = await model.encoder.embedTexts([
      'a gray object',
      'A GREY OBJECT',
      'a chair 🪑 & <b>',
      '',
    ]);
    const D = model.encoder.dim;
    expect(dot(e, 0, e, 1, D)).toBeCloseTo(1, 5);
    for (let i = 0; i < 4; i++) expect(dot(e, i, e, i, D)).toBeCloseTo(1, 5);
    // A text without colour words is orthogonal to every colour's direction but not zero.
    const colours = await model.encoder.embedTexts(['red', 'blue']);
    expect(Math.abs(dot(e, 2, colours, 0, D))).toBeLessThan(0.2);
  });

  it('embeds a batch the same as one at a time', async () => {
    const patches = [colorPatch(FOCAL_SRGB.red), colorPatch(FOCAL_SRGB.blue, () => 0.7)];
    const both = await model.encoder.embedImages(batchOf(patches), 2);
    const second = await model.encoder.embedImages(patches[1], 1);
    const D = model.encoder.dim;
    for (let k = 0; k < D; k++) expect(both[D + k]).toBeCloseTo(second[k], 6);
  });
});
