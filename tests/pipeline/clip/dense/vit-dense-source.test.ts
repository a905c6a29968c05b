/**
 * createVitDenseSource on a tiny synthetic ViT through onnxruntime: one vision session gives both
 * image_embeds and the stream, batches are chunked, and ClearCLIP's features match a direct
 * float64 evaluation of the formula (README.md) on the stream the session returned. The
 * exactness against torch, for every method, is dense-torch.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createSession } from '../../../../src/pipeline/clip/encoder/onnx-clip-encoder';
import { ensureOrtConfigured, ortModule } from '../../../../src/pipeline/clip/encoder/ort-runtime';
import {
  createVitDenseSource,
  planVitDense,
} from '../../../../src/pipeline/clip/dense/vit-dense-source';
import type { VitLastBlock } from '../../../../src/pipeline/clip/dense/vit-analysis';
import { mulberry32 } from '../../../../src/pipeline/random';
import { buildHfVit, type HfVitOptions } from './synthetic-hf-vit';

function layerNorm(x: Float64Array, ln: VitLastBlock['ln1']): Float64Array {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return x.map(
    (v, i) => ((v - mean) / Math.sqrt(variance + ln.epsilon)) * ln.gamma[i] + ln.beta[i],
  );
}

function linear(x: Float64Array, l: VitLastBlock['q']): Float64Array {
  const y = Float64Array.from(l.bias);
  for (let i = 0; i < l.inDim; i++)
    for (let o = 0; o < l.outDim; o++) y[o] += x[i] * l.weight[i * l.outDim + o];
  return y;
}

/** ClearCLIP for one window: f = proj(LN_f(out_proj(softmax(q qᵀ/√d) v))), patch tokens only. */
function clearclipReference(stream: Float32Array, b: VitLastBlock): Float64Array[] {
  const { tokens: T, width: W, heads: H, headDim: d } = b;
  const h = Array.from({ length: T }, (_, t) =>
    layerNorm(Float64Array.from(stream.subarray(t * W, (t + 1) * W)), b.ln1),
  );
  const q = h.map((x) => linear(x, b.q));
  const v = h.map((x) => linear(x, b.v));
  const merged = Array.from({ length: T }, () => new Float64Array(W));
  for (let head = 0; head < H; head++) {
    for (let i = 0; i < T; i++) {
      const logits = q.map((qj) => {
        let s = 0;
        for (let c = 0; c < d; c++) s += q[i][head * d + c] * qj[head * d + c];
        return s / Math.sqrt(d);
      });
      const max = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - max));
      const sum = e.reduce((a, c) => a + c, 0);
      for (let j = 0; j < T; j++)
        for (let c = 0; c < d; c++) merged[i][head * d + c] += (e[j] / sum) * v[j][head * d + c];
    }
  }
  return merged.slice(1).map((m) => {
    const f = linear(layerNorm(linear(m, b.out), b.finalLn), b.projection);
    const norm = Math.hypot(...f);
    return f.map((x) => x / norm);
  });
}

describe('createVitDenseSource', () => {
  it.each([
    ['decomposed LayerNorm, q scaled', { layerNorm: 'decomposed', scale: 'q' }],
    ['integer attention products', { integerAttention: true }],
    ['per-column quantized linears', { perColumnQuantized: true }],
  ] as [string, HfVitOptions][])(
    '%s: chunks batches and matches ClearCLIP on the returned stream',
    async (_, options) => {
      ensureOrtConfigured({ numThreads: 1 });
      const vit = buildHfVit({ heads: 2, ...options });
      const planned = planVitDense(vit.bytes, 'vit.onnx');
      expect(planned.unavailable).toBeUndefined();
      const plan = planned.plan!;
      const vision = await createSession(plan.visionBytes, 'vit.onnx', ['wasm']);
      const source = await createVitDenseSource(plan, vision, {
        createSession: (bytes, file) => createSession(bytes, file, ['wasm']),
        pixelType: 'float32',
        maxBatch: 2,
      });
      expect(source.method).toBe('clearclip');
      expect(source.grid).toEqual({ rows: 7, cols: 7, patch: 32 });
      const random = mulberry32(5);
      const per = 3 * 224 * 224;
      const pixels = Float32Array.from({ length: 3 * per }, () => random() * 4 - 2);
      const features = await source.embedPatches(pixels, 3);
      const P = 49;
      const D = source.dim;
      expect(features.length).toBe(3 * P * D);

      // The last window alone (a chunk of one) equals its slot in the chunked batch.
      const alone = await source.embedPatches(pixels.subarray(2 * per), 1);
      expect(Array.from(alone)).toEqual(Array.from(features.subarray(2 * P * D)));

      // Same session: image_embeds and the stream in one run. The last window, which ran in a
      // chunk of its own: dynamic quantization's scales depend on the whole batch.
      const Tensor = ortModule().Tensor;
      const out = await vision.run(
        { pixel_values: new Tensor('float32', pixels.subarray(2 * per), [1, 3, 224, 224]) },
        ['image_embeds', plan.block.stream.name],
      );
      expect(out.image_embeds.dims).toEqual([1, D]);
      const stream = out[plan.block.stream.name].data as Float32Array;
      const want = clearclipReference(stream, plan.block);
      let max = 0;
      want.forEach((f, p) =>
        f.forEach((v, i) => (max = Math.max(max, Math.abs(v - features[(2 * P + p) * D + i])))),
      );
      expect(max).toBeLessThan(1e-5);
      await source.release();
      await vision.release();
    },
  );
});
