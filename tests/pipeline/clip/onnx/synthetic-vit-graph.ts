/**
 * A ViT-B/32-shaped vision graph with the CLIP I/O contract (pixel_values [B,3,224,224] →
 * image_embeds [B,D]) and seeded random weights, for benchmarks: the same op mix and FLOPs per
 * crop as CLIP's image tower (patch conv, pre-LN transformer blocks with 12-head attention and
 * QuickGELU MLPs, projection), without a download. Layers share one set of weights so the file
 * stays ~30 MB however deep it is; compute is unchanged.
 */
import { mulberry32 } from '../../../../src/pipeline/random';
import { GraphBuilder } from '../../../../src/pipeline/clip/onnx/graph-builder';

export interface SyntheticVitOptions {
  /** Transformer blocks (ViT-B/32: 12). */
  layers?: number;
  width?: number;
  heads?: number;
  patch?: number;
  mlpRatio?: number;
  /** Output dimension (CLIP ViT-B/32: 512). */
  embedDim?: number;
  seed?: number;
}

export function buildSyntheticVitModel(options: SyntheticVitOptions = {}): Uint8Array {
  const layers = options.layers ?? 12;
  const width = options.width ?? 768;
  const heads = options.heads ?? 12;
  const patch = options.patch ?? 32;
  const hidden = width * (options.mlpRatio ?? 4);
  const embedDim = options.embedDim ?? 512;
  const grid = 224 / patch;
  const tokens = grid * grid;
  const headDim = width / heads;
  const random = mulberry32(options.seed ?? 1);
  const weights = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);

  const g = new GraphBuilder('synthetic_vit', 17);
  const x = g.input('pixel_values', 'float', ['batch_size', 3, 224, 224]);
  const conv = g.node(
    'Conv',
    [x, g.floats('patch_w', [width, 3, patch, patch], weights(width * 3 * patch * patch, 0.02))],
    {
      strides: { ints: [patch, patch] },
    },
  );
  // [B, width, grid, grid] → [B, tokens, width]
  const flat = g.node('Reshape', [conv, g.int64s('flat_shape', [3], [0, width, tokens])]);
  let h = g.node('Transpose', [flat], { perm: { ints: [0, 2, 1] } });
  h = g.node('Add', [h, g.floats('pos', [tokens, width], weights(tokens * width, 0.02))]);

  const gamma = g.floats('ln_g', [width], new Float32Array(width).fill(1));
  const beta = g.floats('ln_b', [width], new Float32Array(width));
  const layerNorm = (v: string) =>
    g.node('LayerNormalization', [v, gamma, beta], { axis: { int: -1 } });
  const qkvW = g.floats('qkv_w', [width, 3 * width], weights(width * 3 * width, 0.02));
  const outW = g.floats('out_w', [width, width], weights(width * width, 0.02));
  const fc1 = g.floats('fc1_w', [width, hidden], weights(width * hidden, 0.02));
  const fc2 = g.floats('fc2_w', [hidden, width], weights(hidden * width, 0.02));
  const headsShape = g.int64s('heads_shape', [4], [0, tokens, heads, headDim]);
  const mergeShape = g.int64s('merge_shape', [3], [0, tokens, width]);
  const scale = g.floats('attn_scale', [], [1 / Math.sqrt(headDim)]);
  const geluK = g.floats('gelu_k', [], [1.702]);
  const splitSizes = g.int64s('qkv_split', [3], [width, width, width]);

  for (let layer = 0; layer < layers; layer++) {
    const qkv = g.node('MatMul', [layerNorm(h), qkvW]);
    const parts = ['q', 'k', 'v'].map((p) => `${p}_${layer}`);
    const [q, k, v] = g.nodeMulti('Split', [qkv, splitSizes], parts, { axis: { int: 2 } });
    const toHeads = (t: string, perm: number[]) =>
      g.node('Transpose', [g.node('Reshape', [t, headsShape])], { perm: { ints: perm } });
    const scores = g.node('Mul', [
      g.node('MatMul', [toHeads(q, [0, 2, 1, 3]), toHeads(k, [0, 2, 3, 1])]),
      scale,
    ]);
    const attended = g.node('MatMul', [
      g.node('Softmax', [scores], { axis: { int: -1 } }),
      toHeads(v, [0, 2, 1, 3]),
    ]);
    const merged = g.node('Reshape', [
      g.node('Transpose', [attended], { perm: { ints: [0, 2, 1, 3] } }),
      mergeShape,
    ]);
    h = g.node('Add', [h, g.node('MatMul', [merged, outW])]);
    const up = g.node('MatMul', [layerNorm(h), fc1]);
    const gelu = g.node('Mul', [up, g.node('Sigmoid', [g.node('Mul', [up, geluK])])]);
    h = g.node('Add', [h, g.node('MatMul', [gelu, fc2])]);
  }
  const pooled = g.node('ReduceMean', [layerNorm(h)], {
    axes: { ints: [1] },
    keepdims: { int: 0 },
  });
  const embeds = g.node(
    'MatMul',
    [pooled, g.floats('proj', [width, embedDim], weights(width * embedDim, 0.02))],
    {},
    'image_embeds',
  );
  g.output(embeds, 'float', ['batch_size', embedDim]);
  return g.encode();
}
