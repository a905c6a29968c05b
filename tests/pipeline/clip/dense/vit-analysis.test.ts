/**
 * vit-analysis: the last block of a CLIP ViT found by following the graph, on graphs built here
 * with known weights (synthetic-hf-vit.ts) in the variants exporters produce, on ORT-style
 * dynamically quantized graphs, and on graphs that are not a ViT.
 */
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../../src/pipeline/errors';
import { readOnnxModel } from '../../../../src/pipeline/clip/onnx/onnx-reader';
import {
  analyseVitGraph,
  type LinearWeights,
} from '../../../../src/pipeline/clip/dense/vit-analysis';
import { planVitDense } from '../../../../src/pipeline/clip/dense/vit-dense-source';
import { naclipNeighbourhood } from '../../../../src/pipeline/clip/dense/dense-block-graph';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { quantizeDynamic, quantizeWeights } from '../../../../scripts/quantize-dynamic';
import { mulberry32 } from '../../../../src/pipeline/random';
import { editGraph } from './graph-surgery';
import { buildHfVit, type HfVitOptions, type Linear } from './synthetic-hf-vit';

const analyse = (bytes: Uint8Array, numHeads?: number) =>
  analyseVitGraph(readOnnxModel(bytes, 'vision_model.onnx'), { numHeads });

function expectLinear(got: LinearWeights, want: Linear, inDim: number, outDim: number) {
  expect([got.inDim, got.outDim]).toEqual([inDim, outDim]);
  expect(got.weight).toEqual(want.w);
  expect(got.bias).toEqual(want.b);
}

function failure(fn: () => unknown): ModelError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('no ModelError');
}

describe('analyseVitGraph on Hugging Face-layout ViTs', () => {
  const variants: [string, HfVitOptions][] = [
    ['LayerNormalization, q·kᵀ / √d', {}],
    ['decomposed LayerNorm, q scaled after q_proj', { layerNorm: 'decomposed', scale: 'q' }],
    [
      'scale split over q and k, bias first, Gemm projection',
      { scale: 'split', biasFirst: true, projection: 'gemm' },
    ],
    ['patch 16, 4 heads', { patch: 16, heads: 4, width: 32 }],
    ['attention products as MatMulInteger (older quantize_dynamic)', { integerAttention: true }],
    ['per-column quantized linears (dequantized)', { perColumnQuantized: true }],
    ['SDPA export: q and kᵀ times Sqrt(scale), not folded', { scale: 'sdpa' }],
  ];
  for (const [label, options] of variants) {
    it(label, () => {
      const vit = buildHfVit(options);
      const W = options.width ?? 16;
      const block = analyse(vit.bytes);
      expect(block.grid).toEqual({ rows: vit.grid, cols: vit.grid, patch: 224 / vit.grid });
      expect(block.tokens).toBe(vit.tokens);
      expect([block.width, block.heads, block.headsFrom]).toEqual([W, options.heads ?? 2, 'graph']);
      expect(block.attentionScale).toBeCloseTo(1 / Math.sqrt(block.headDim), 6);
      expect(block.quantized).toBe(options.perColumnQuantized === true);
      const { last } = vit;
      // Unscaled q: the graph's scale is re-applied by the rewritten block.
      expectLinear(block.q, last.q, W, W);
      expectLinear(block.k, last.k, W, W);
      expectLinear(block.v, last.v, W, W);
      expectLinear(block.out, last.out, W, W);
      expectLinear(block.fc1, last.fc1, W, 32);
      expectLinear(block.fc2, last.fc2, 32, W);
      for (const [got, want] of [
        [block.ln1, last.ln1],
        [block.ln2, last.ln2],
        [block.finalLn, vit.finalLn],
      ] as const) {
        expect(got.gamma).toEqual(want.gamma);
        expect(got.beta).toEqual(want.beta);
        expect(got.epsilon).toBeCloseTo(1e-5, 10);
      }
      expect(block.projection.weight).toEqual(vit.projection);
      expect(block.dim).toBe(8);
      expect(block.activation.nodes.map((n) => n.opType)).toEqual(['Mul', 'Sigmoid', 'Mul']);
      // The stream is LN1's input: the previous block's output Add.
      expect(block.stream.elemType).toBe('float');
    });
  }

  it('takes the head count from config.json when the reshapes are dynamic, and needs it then', () => {
    const vit = buildHfVit({ reshapes: 'dynamic', heads: 4 });
    expect(failure(() => analyse(vit.bytes)).message).toMatch(
      /head count is neither fixed in the attention reshapes nor given by config.json vision_config.num_attention_heads/,
    );
    const block = analyse(vit.bytes, 4);
    expect([block.heads, block.headDim, block.headsFrom]).toEqual([4, 4, 'config']);
  });

  it('refuses a config.json head count the graph contradicts', () => {
    const vit = buildHfVit({ heads: 2 });
    expect(failure(() => analyse(vit.bytes, 4)).message).toMatch(
      /the graph splits 2 attention heads but config.json says 4/,
    );
  });

  it('refuses a graph whose attention scale is not head_dim^-0.5 (folded into the weights)', () => {
    const vit = buildHfVit({ scale: 'none' });
    expect(failure(() => analyse(vit.bytes)).message).toMatch(
      /vision_model.onnx: no dense patch features \(the attention scale is 1.000, not head_dim\^-0.5 = 0.3536/,
    );
  });
});

describe('analyseVitGraph on dynamically quantized graphs', () => {
  for (const weightType of ['uint8', 'int8'] as const) {
    it(`dequantizes ${weightType} MatMulInteger weights exactly`, () => {
      const vit = buildHfVit({ layerNorm: 'decomposed', scale: 'q' });
      const q = quantizeDynamic(vit.bytes, 'vision_model.onnx', { weightType }).bytes;
      const block = analyse(q);
      expect(block.quantized).toBe(true);
      const dequantized = (w: Float32Array) => {
        const { q: values, scale, zeroPoint } = quantizeWeights(w, weightType);
        return Float32Array.from(values, (v) => (v - zeroPoint) * scale);
      };
      for (const key of ['q', 'k', 'v', 'out', 'fc1', 'fc2'] as const) {
        expect(block[key].quantizedFrom, key).toBe(weightType);
        expect(block[key].weight, key).toEqual(dequantized(vit.last[key].w));
        expect(block[key].bias, key).toEqual(vit.last[key].b);
      }
      expect(block.projection.weight).toEqual(dequantized(vit.projection));
      expect(block.ln1.gamma).toEqual(vit.last.ln1.gamma);
    });
  }
});

describe('graphs that are not a CLIP ViT', () => {
  it("the offline encoder's vision graph: a reason, not a throw", () => {
    const files = buildOfflineModelFiles();
    const vision = files.get('onnx/vision_model.onnx')!;
    const planned = planVitDense(vision, 'offline/vision_model.onnx');
    expect(planned.plan).toBeUndefined();
    expect(planned.unavailable).toMatch(
      /^offline\/vision_model.onnx: no dense patch features \(.+\)$/,
    );
  });

  it('a ViT without image_embeds', () => {
    const vit = buildHfVit();
    const bytes = vit.bytes;
    const renamed = new Uint8Array(bytes);
    // Rename the output in place (same length): 'image_embeds' → 'image_embedz'.
    const needle = new TextEncoder().encode('image_embeds');
    for (let i = 0; i + needle.length <= renamed.length; i++) {
      if (needle.every((b, j) => renamed[i + j] === b)) renamed[i + needle.length - 1] = 0x7a;
    }
    expect(planVitDense(renamed, 'v.onnx').unavailable).toBe(
      'v.onnx: no dense patch features (no image_embeds output)',
    );
  });
});

describe('NACLIP neighbourhood Ω', () => {
  it('is a Gaussian of grid distance between patches, 0 on the CLS row and column', () => {
    const omega = naclipNeighbourhood(7, 7, 5);
    const T = 50;
    for (let j = 0; j < T; j++) {
      expect(omega[j]).toBe(0);
      expect(omega[j * T]).toBe(0);
    }
    // Patch (0,0) is token 1, (0,1) token 2, (1,0) token 8, (6,6) token 49.
    expect(omega[1 * T + 1]).toBe(1);
    expect(omega[1 * T + 2]).toBeCloseTo(Math.exp(-1 / 50), 7);
    expect(omega[1 * T + 8]).toBeCloseTo(Math.exp(-1 / 50), 7);
    expect(omega[1 * T + 49]).toBeCloseTo(Math.exp(-72 / 50), 7);
    expect(omega[49 * T + 1]).toBe(omega[1 * T + 49]);
  });
});

describe('planVitDense on mutated ViT graphs', () => {
  it('never throws: a plan or a reason for 100 rewired or retyped graphs', () => {
    const vit = buildHfVit({ layerNorm: 'decomposed', scale: 'q' });
    const random = mulberry32(11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const ops = ['Identity', 'Add', 'Mul', 'MatMul', 'Softmax', 'Reshape', 'Gather', 'Sub'];
    let plans = 0;
    for (let i = 0; i < 100; i++) {
      const bytes = editGraph(vit.bytes, (nodes) => {
        const values = nodes.flatMap((n) => n.outputs);
        for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
          const node = pick(nodes);
          if (random() < 0.5) node.opType = pick(ops);
          else if (node.inputs.length > 0)
            node.inputs[Math.floor(random() * node.inputs.length)] = pick(values);
        }
        return nodes;
      });
      const planned = planVitDense(bytes, 'mutated.onnx');
      if (planned.plan) plans++;
      else expect(planned.unavailable).toMatch(/^mutated.onnx: no dense patch features \(.+\)$/);
    }
    // Some mutations miss the path the analysis follows (earlier blocks), and still plan.
    expect(plans).toBeGreaterThan(0);
    expect(plans).toBeLessThan(100);
  });
});
