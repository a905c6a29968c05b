/**
 * The D > fusionMaxDim path: fusion in the span of the scene's top crop-feature components must
 * reproduce exact D-dimensional fusion when that span holds the features. A fake encoder is used
 * here only to control D and the rank of the embeddings (aggregation math, not CLIP).
 */
import { describe, expect, it } from 'vitest';
import { generateDemoRoom } from '../../../src/demo-room/demo-room';
import { extractFeatures } from '../../../src/pipeline/features/extract';
import type { ClipEncoder } from '../../../src/pipeline/clip/types';

/** Embeds an image as a fixed D×4 linear map of (mean R, G, B, 1), normalised: rank ≤ 4. */
function fakeEncoder(dim: number): ClipEncoder {
  const side = 224 * 224;
  const mix = Float32Array.from({ length: dim * 4 }, (_, i) => Math.sin(i * 1.7 + 0.3));
  return {
    modelId: `fake-${dim}`,
    dim,
    async embedImages(pixels, batch) {
      const out = new Float32Array(batch * dim);
      for (let b = 0; b < batch; b++) {
        const m = [0, 0, 0, 1];
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let p = 0; p < side; p++) s += pixels[(b * 3 + c) * side + p];
          m[c] = s / side;
        }
        let sq = 0;
        for (let d = 0; d < dim; d++) {
          let v = 0;
          for (let k = 0; k < 4; k++) v += mix[d * 4 + k] * m[k];
          out[b * dim + d] = v;
          sq += v * v;
        }
        for (let d = 0; d < dim; d++) out[b * dim + d] /= Math.sqrt(sq);
      }
      return out;
    },
    async embedTexts() {
      throw new Error('not used');
    },
    async dispose() {},
  };
}

describe('fusion in a per-scene basis (D > fusionMaxDim)', () => {
  it('matches exact fusion when the basis spans the crop features', async () => {
    const scene = generateDemoRoom({
      views: 2,
      width: 96,
      height: 72,
      objectPointSpacing: 0.05,
      shellPointSpacing: 0.1,
    });
    const dim = 160;
    const exact = await extractFeatures(scene, fakeEncoder(dim), { fusionMaxDim: 256 });
    const reduced = await extractFeatures(scene, fakeEncoder(dim), { fusionMaxDim: 8 });
    expect(exact.stats.fusionDim).toBe(dim);
    expect(reduced.stats.fusionDim).toBe(8);
    expect(reduced.stats.fusionMinCellCosine).toBeGreaterThan(0.9999);
    expect(Array.from(reduced.viewCounts)).toEqual(Array.from(exact.viewCounts));
    let worst = 1;
    for (let i = 0; i < exact.count; i++) {
      if (exact.viewCounts[i] === 0) continue;
      let dot = 0;
      let a = 0;
      let b = 0;
      for (let d = 0; d < dim; d++) {
        dot += exact.features[i * dim + d] * reduced.features[i * dim + d];
        a += exact.features[i * dim + d] ** 2;
        b += reduced.features[i * dim + d] ** 2;
      }
      worst = Math.min(worst, dot / Math.sqrt(a * b));
    }
    expect(worst).toBeGreaterThan(0.9999);
    expect(exact.stats.seenPoints).toBeGreaterThan(0);
  }, 300_000);
});
