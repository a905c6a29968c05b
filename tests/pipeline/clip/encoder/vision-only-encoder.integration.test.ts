/**
 * Vision-only encoders: generated graphs with a `pixel_values` input and a 1408-d output (the
 * width of 3D-LLM's EVA-ViT-g features), pooled [B, D] and token [B, T, D]; embeddings checked
 * against the per-channel means × W worked out here; text queries refused with a clear message.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/pipeline/clip/onnx/graph-builder';
import { VisionOnlyEncoder } from '../../../../src/pipeline/clip/encoder/vision-only-encoder';
import { ModelError } from '../../../../src/pipeline/errors';
import { mulberry32 } from '../../../../src/pipeline/random';

const D = 1408;
const SIDE = 224;
const r = mulberry32(1408);
const W = Float32Array.from({ length: 3 * D }, () => r() * 2 - 1);

/** pixel_values → per-channel mean (pooled) or per-row channel means as 224 tokens → ·W. */
function graph(tokens: boolean, outputName: string): Uint8Array {
  const g = new GraphBuilder('vision-only', 17);
  const x = g.input('pixel_values', 'float', ['batch', 3, SIDE, SIDE]);
  const w = g.floats('W', [3, D], W);
  let feats: string;
  if (tokens) {
    const rows = g.node('ReduceMean', [x], { axes: { ints: [3] }, keepdims: { int: 0 } }, 'rows');
    feats = g.node('Transpose', [rows], { perm: { ints: [0, 2, 1] } }, 'tok');
  } else {
    feats = g.node('ReduceMean', [x], { axes: { ints: [2, 3] }, keepdims: { int: 0 } }, 'mean');
  }
  const y = g.node('MatMul', [feats, w], {}, outputName);
  g.output(y, 'float', tokens ? ['batch', SIDE, D] : ['batch', D]);
  return g.encode();
}

/** Two images: constant channels (0.5, -1, 2) and a ramp. */
function images(): { pixels: Float32Array; means: number[][] } {
  const per = 3 * SIDE * SIDE;
  const pixels = new Float32Array(2 * per);
  const means: number[][] = [
    [0.5, -1, 2],
    [0, 0, 0],
  ];
  for (let c = 0; c < 3; c++) {
    pixels.fill([0.5, -1, 2][c], c * SIDE * SIDE, (c + 1) * SIDE * SIDE);
    let sum = 0;
    for (let i = 0; i < SIDE * SIDE; i++) {
      const v = ((i % SIDE) / SIDE) * (c + 1);
      pixels[per + c * SIDE * SIDE + i] = v;
      sum += v;
    }
    means[1][c] = sum / (SIDE * SIDE);
  }
  return { pixels, means };
}

function expected(means: number[]): Float32Array {
  const e = new Float32Array(D);
  for (let d = 0; d < D; d++) for (let c = 0; c < 3; c++) e[d] += means[c] * W[c * D + d];
  return e;
}

describe('vision-only encoder', () => {
  for (const tokens of [false, true]) {
    it(`reads a 1408-d ${tokens ? '[B, T, D] token' : '[B, D] pooled'} output`, async () => {
      const enc = await VisionOnlyEncoder.create({
        modelId: 'eva-test',
        vision: {
          bytes: graph(tokens, tokens ? 'last_hidden_state' : 'image_features'),
          file: 'v.onnx',
        },
        executionProviders: ['wasm'],
      });
      try {
        expect(enc.dim).toBe(D);
        const { pixels, means } = images();
        const raw = await enc.embedImagesRaw(pixels, 2);
        for (let b = 0; b < 2; b++) {
          const want = expected(means[b]);
          let worst = 0;
          for (let d = 0; d < D; d++) worst = Math.max(worst, Math.abs(raw[b * D + d] - want[d]));
          expect(worst).toBeLessThan(1e-4);
        }
        const unit = await enc.embedImages(pixels, 2);
        let norm = 0;
        for (let d = 0; d < D; d++) norm += unit[d] ** 2;
        expect(Math.sqrt(norm)).toBeCloseTo(1, 5);
        await expect(enc.embedTexts(['a chair'])).rejects.toThrow(
          /'eva-test' is a vision-only encoder \(no text tower\).*not queried by text/,
        );
      } finally {
        await enc.dispose();
      }
    });
  }

  it('refuses a graph without pixel_values, naming the file', async () => {
    const g = new GraphBuilder('no-pixels', 17);
    const x = g.input('images', 'float', ['batch', 3, SIDE, SIDE]);
    g.output(g.node('Relu', [x], {}, 'y'), 'float', ['batch', 3, SIDE, SIDE]);
    await expect(
      VisionOnlyEncoder.create({
        modelId: 'x',
        vision: { bytes: g.encode(), file: 'bad.onnx' },
        executionProviders: ['wasm'],
      }),
    ).rejects.toThrow(ModelError);
    await expect(
      VisionOnlyEncoder.create({
        modelId: 'x',
        vision: { bytes: g.encode(), file: 'bad.onnx' },
        executionProviders: ['wasm'],
      }),
    ).rejects.toThrow(/bad\.onnx: a vision-only encoder needs a float 'pixel_values'/);
  });
});
