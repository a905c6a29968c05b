/**
 * Test helper: tiny CLIP ViT vision graphs in Hugging Face's layout, built with GraphBuilder
 * (no torch), in the variants exporters produce: LayerNormalization or its decomposition, q
 * scaled after q_proj / scores scaled / the scale split over q and k, static or dynamic
 * reshapes, MatMul or Gemm projection, bias added before or after the product. Returns the
 * last block's weights (MatMul layout [in, out]) so analysis can be checked against them.
 */
import { GraphBuilder } from '../../../../src/pipeline/clip/onnx/graph-builder';
import { encodeOnnxModel, type OnnxTensor } from '../../../../src/pipeline/clip/onnx/onnx-model';
import { mulberry32 } from '../../../../src/pipeline/random';

export interface HfVitOptions {
  width?: number;
  heads?: number;
  patch?: number;
  layers?: number;
  mlp?: number;
  proj?: number;
  layerNorm?: 'op' | 'decomposed';
  reshapes?: 'static' | 'dynamic';
  /** Where head_dim^-0.5 is applied; 'none' = folded away (not recoverable). */
  scale?: 'q' | 'scores' | 'split' | 'sdpa' | 'none';
  projection?: 'matmul' | 'gemm';
  biasFirst?: boolean;
  /**
   * Attention products (q·kᵀ, A·v) as older onnxruntime quantize_dynamic writes them: both
   * operands through DynamicQuantizeLinear into MatMulInteger.
   */
  integerAttention?: boolean;
  /**
   * Every linear layer as dynamic quantization with per-column (output channel) uint8 scales
   * and zero points; the returned weights are then the dequantized ones.
   */
  perColumnQuantized?: boolean;
  seed?: number;
}

export interface Linear {
  w: Float32Array;
  b: Float32Array;
}
export interface Ln {
  gamma: Float32Array;
  beta: Float32Array;
}

export interface HfVit {
  bytes: Uint8Array;
  tokens: number;
  grid: number;
  last: {
    ln1: Ln;
    q: Linear;
    k: Linear;
    v: Linear;
    out: Linear;
    ln2: Ln;
    fc1: Linear;
    fc2: Linear;
  };
  finalLn: Ln;
  /** [width, proj] */
  projection: Float32Array;
}

export function buildHfVit(options: HfVitOptions = {}): HfVit {
  const W = options.width ?? 16;
  const H = options.heads ?? 2;
  const P = options.patch ?? 32;
  const layers = options.layers ?? 2;
  const M = options.mlp ?? 32;
  const D = options.proj ?? 8;
  const d = W / H;
  const grid = 224 / P;
  const N = grid * grid;
  const T = N + 1;
  const random = mulberry32(options.seed ?? 7);
  const rand = (n: number, scale: number, base = 0) =>
    Float32Array.from({ length: n }, () => base + (random() * 2 - 1) * scale);
  const g = new GraphBuilder('hf_vit', 17);
  let id = 0;
  const name = (base: string) => `${base}_${id++}`;

  const layerNorm = (x: string): [string, Ln] => {
    const ln = { gamma: rand(W, 0.1, 1), beta: rand(W, 0.1) };
    const gamma = g.floats(name('ln_w'), [W], ln.gamma);
    const beta = g.floats(name('ln_b'), [W], ln.beta);
    if (options.layerNorm !== 'decomposed') {
      return [
        g.node('LayerNormalization', [x, gamma, beta], {
          axis: { int: -1 },
          epsilon: { float: 1e-5 },
        }),
        ln,
      ];
    }
    const mean = g.node('ReduceMean', [x], { axes: { ints: [-1] } });
    const centred = g.node('Sub', [x, mean]);
    const variance = g.node(
      'ReduceMean',
      [g.node('Pow', [centred, g.floats(name('two'), [], [2])])],
      {
        axes: { ints: [-1] },
      },
    );
    const std = g.node('Sqrt', [g.node('Add', [variance, g.floats(name('eps'), [], [1e-5])])]);
    const y = g.node('Add', [g.node('Mul', [g.node('Div', [centred, std]), gamma]), beta]);
    return [y, ln];
  };
  const extra: OnnxTensor[] = [];
  const quantizedInputs = new Map<string, [string, string, string]>();
  const quantizedProduct = (x: string, w: Float32Array, inDim: number, outDim: number) => {
    const q = new Uint8Array(inDim * outDim);
    const scales = new Float32Array(outDim);
    const zeros = new Uint8Array(outDim);
    for (let o = 0; o < outDim; o++) {
      let lo = 0;
      let hi = 0;
      for (let i = 0; i < inDim; i++) {
        lo = Math.min(lo, w[i * outDim + o]);
        hi = Math.max(hi, w[i * outDim + o]);
      }
      scales[o] = (hi - lo) / 255;
      zeros[o] = Math.round(-lo / scales[o]);
      for (let i = 0; i < inDim; i++) {
        const v = Math.round(w[i * outDim + o] / scales[o]) + zeros[o];
        q[i * outDim + o] = Math.min(255, Math.max(0, v));
        w[i * outDim + o] = (q[i * outDim + o] - zeros[o]) * scales[o];
      }
    }
    const [wq, ws, wz] = [name('wq'), name('ws'), name('wz')];
    extra.push(
      { name: wq, dataType: 'uint8', dims: [inDim, outDim], data: q },
      { name: wz, dataType: 'uint8', dims: [outDim], data: zeros },
    );
    g.floats(ws, [outDim], scales);
    let xq = quantizedInputs.get(x);
    if (!xq) {
      xq = g.nodeMulti('DynamicQuantizeLinear', [x], [name('xq'), name('xs'), name('xz')]) as [
        string,
        string,
        string,
      ];
      quantizedInputs.set(x, xq);
    }
    const integer = g.node('MatMulInteger', [xq[0], wq, xq[2], wz]);
    const float = g.node('Cast', [integer], { to: { int: 1 } });
    return g.node('Mul', [float, g.node('Mul', [xq[1], ws])]);
  };
  const linear = (x: string, inDim: number, outDim: number, gain = 1): [string, Linear] => {
    const l = { w: rand(inDim * outDim, gain / Math.sqrt(inDim)), b: rand(outDim, 0.05) };
    const mm = options.perColumnQuantized
      ? quantizedProduct(x, l.w, inDim, outDim)
      : g.node('MatMul', [x, g.floats(name('w'), [inDim, outDim], l.w)]);
    const b = g.floats(name('b'), [outDim], l.b);
    return [g.node('Add', options.biasFirst ? [b, mm] : [mm, b]), l];
  };
  const shape = (t: string) => {
    if (options.reshapes !== 'dynamic') return g.int64s(name('shape'), [4], [0, T, H, d]);
    // torch with dynamic axes: the leading dims come from Shape at run time.
    const lead = g.node('Slice', [
      g.node('Shape', [t]),
      g.int64s(name('s0'), [1], [0]),
      g.int64s(name('s1'), [1], [2]),
    ]);
    return g.node('Concat', [lead, g.int64s(name('hd'), [2], [H, d])], { axis: { int: 0 } });
  };
  const split = (t: string, perm: number[]) =>
    g.node('Transpose', [g.node('Reshape', [t, shape(t)])], { perm: { ints: perm } });
  const s = 1 / Math.sqrt(d);
  const product = (a: string, b: string) => {
    if (!options.integerAttention) return g.node('MatMul', [a, b]);
    const [qa, sa, za] = g.nodeMulti(
      'DynamicQuantizeLinear',
      [a],
      [name('qa'), name('sa'), name('za')],
    );
    const [qb, sb, zb] = g.nodeMulti(
      'DynamicQuantizeLinear',
      [b],
      [name('qb'), name('sb'), name('zb')],
    );
    const integer = g.node('MatMulInteger', [qa, qb, za, zb]);
    const float = g.node('Cast', [integer], { to: { int: 1 } });
    return g.node('Mul', [float, g.node('Mul', [sa, sb])]);
  };

  const pixels = g.input('pixel_values', 'float', ['batch_size', 3, 224, 224]);
  const conv = g.node(
    'Conv',
    [pixels, g.floats('patch_w', [W, 3, P, P], rand(W * 3 * P * P, 0.05))],
    {
      strides: { ints: [P, P] },
    },
  );
  const patches = g.node(
    'Transpose',
    [g.node('Reshape', [conv, g.int64s('flat', [3], [0, W, N])])],
    {
      perm: { ints: [0, 2, 1] },
    },
  );
  // A zero token in front, then class + position embeddings added (row 0 holds the class token).
  const padded = g.node('Pad', [patches, g.int64s('pads', [6], [0, 1, 0, 0, 0, 0])]);
  let x = g.node('Add', [padded, g.floats('pos', [T, W], rand(T * W, 0.5))]);
  x = layerNorm(x)[0];

  let last!: HfVit['last'];
  for (let layer = 0; layer < layers; layer++) {
    const [h1, ln1] = layerNorm(x);
    const [qProj, qw] = linear(h1, W, W, 2.5);
    let q = qProj;
    const [k, kw] = linear(h1, W, W, 2.5);
    const [v, vw] = linear(h1, W, W);
    if (options.scale === 'q') q = g.node('Mul', [q, g.floats(name('scale'), [], [s])]);
    let qh = split(q, [0, 2, 1, 3]);
    let kt = split(k, [0, 2, 3, 1]);
    if (options.scale === 'sdpa') {
      // torch's scaled_dot_product_attention export without constant folding: Sqrt(scale).
      const root = () => g.node('Sqrt', [g.floats(name('scale'), [], [s])]);
      qh = g.node('Mul', [qh, root()]);
      kt = g.node('Mul', [kt, root()]);
    }
    if (options.scale === 'split') {
      qh = g.node('Mul', [qh, g.floats(name('sq'), [], [Math.sqrt(s)])]);
      kt = g.node('Mul', [kt, g.floats(name('sk'), [], [Math.sqrt(s)])]);
    }
    let scores = product(qh, kt);
    if (options.scale === undefined || options.scale === 'scores') {
      scores = g.node('Div', [scores, g.floats(name('sqrt_d'), [], [Math.sqrt(d)])]);
    }
    const attn = g.node('Softmax', [scores], { axis: { int: -1 } });
    const o = g.node('Transpose', [product(attn, split(v, [0, 2, 1, 3]))], {
      perm: { ints: [0, 2, 1, 3] },
    });
    const merged = g.node('Reshape', [o, g.int64s(name('merge'), [3], [0, T, W])]);
    const [attnOut, ow] = linear(merged, W, W);
    const h = g.node('Add', [x, attnOut]);
    const [h2, ln2] = layerNorm(h);
    const [u, f1] = linear(h2, W, M);
    const act = g.node('Mul', [
      u,
      g.node('Sigmoid', [g.node('Mul', [u, g.floats(name('k'), [], [1.702])])]),
    ]);
    const [m, f2] = linear(act, M, W);
    x = g.node('Add', [h, m]);
    last = { ln1, q: qw, k: kw, v: vw, out: ow, ln2, fc1: f1, fc2: f2 };
  }
  const pooled = g.node('Gather', [x, g.int64s('zero', [], [0])], { axis: { int: 1 } });
  const [normed, finalLn] = layerNorm(pooled);
  const projection = rand(W * D, 1 / Math.sqrt(W));
  if (options.projection === 'gemm') {
    const transposed = new Float32Array(W * D);
    for (let i = 0; i < W; i++)
      for (let o = 0; o < D; o++) transposed[o * W + i] = projection[i * D + o];
    g.node(
      'Gemm',
      [normed, g.floats('proj_t', [D, W], transposed)],
      { transB: { int: 1 } },
      'image_embeds',
    );
  } else {
    g.node('MatMul', [normed, g.floats('proj', [W, D], projection)], {}, 'image_embeds');
  }
  g.output('image_embeds', 'float', ['batch_size', D]);
  // GraphBuilder has no uint8 initializers: add the quantized weights to its model directly.
  const model = g.model();
  (model.graph.initializers as OnnxTensor[]).push(...extra);
  return { bytes: encodeOnnxModel(model), tokens: T, grid, last, finalLn, projection };
}
