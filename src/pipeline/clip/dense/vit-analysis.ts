/**
 * Finds the last transformer block of a CLIP ViT vision graph by following the graph from its
 * `image_embeds` output (never by node names, which differ between exporters), and extracts what
 * a rewritten last block needs (dense-block-graph.ts):
 *
 *   image_embeds ← projection ← final LayerNorm ← token 0 (Gather/Slice) ← block output
 *   block output = Add(h, fc2(act(fc1(LN2(h)))))      h = Add(x, out_proj(attention(LN1(x))))
 *
 * x, the residual stream entering the last block, is what the vision session exposes as an extra
 * output. Linear layers may be MatMul/Gemm with constant weights or ORT's dynamic quantization
 * (DynamicQuantizeLinear → MatMulInteger → Cast → Mul(scale)), which is dequantized here;
 * LayerNorm may be the LayerNormalization op (opset ≥ 17) or torch's decomposition
 * (ReduceMean/Sub/Pow/ReduceMean/Add(eps)/Sqrt/Div/Mul/Add). Anything else is a ModelError that
 * says what was not found, so the caller falls back to crop features with that reason.
 */
import { ModelError } from '../../errors';
import type { OnnxGraphView, OnnxModelView, OnnxNodeView } from '../onnx/onnx-reader';
import type { PatchGrid } from './types';
import {
  GraphIndex,
  floatAttribute,
  intAttribute,
  intsAttribute,
  toFloat32,
  toNumbers,
} from './graph-index';

/** The CLIP input side the grid is derived for. */
export const VIT_INPUT_SIDE = 224;

export interface LayerNormWeights {
  gamma: Float32Array;
  beta: Float32Array;
  epsilon: number;
}

/** y = x·weight + bias, weight row-major [inDim, outDim] (MatMul layout). */
export interface LinearWeights {
  weight: Float32Array;
  bias: Float32Array;
  inDim: number;
  outDim: number;
  /** Set when the weights were dequantized from this integer type. */
  quantizedFrom?: 'uint8' | 'int8';
}

/** An elementwise node of the MLP activation, copied verbatim into the rewritten block. */
export interface ActivationNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<
    string,
    { float: number } | { int: number } | { ints: number[] } | { floats: number[] }
  >;
}

/** The MLP activation (QuickGELU for OpenAI CLIP) as a small subgraph from `input` to `output`. */
export interface ActivationGraph {
  input: string;
  output: string;
  nodes: ActivationNode[];
  /** Constant inputs of those nodes (float32). */
  constants: Map<string, { dims: readonly number[]; data: Float32Array }>;
}

export interface VitLastBlock {
  file: string;
  /** The residual stream entering the last block: [B, tokens, width]. */
  stream: { name: string; elemType: 'float' | 'float16' };
  grid: PatchGrid;
  /** 1 (CLS) + rows·cols. */
  tokens: number;
  width: number;
  heads: number;
  headDim: number;
  /** Embedding dimension D (projection output). */
  dim: number;
  /** The attention scale the graph applies (q·kᵀ·scale); checked to be headDim^-0.5. */
  attentionScale: number;
  /** Where the head count came from. */
  headsFrom: 'graph' | 'config';
  quantized: boolean;
  ln1: LayerNormWeights;
  /** Unscaled q projection (the graph's head_dim^-0.5 is applied by the rewritten block). */
  q: LinearWeights;
  k: LinearWeights;
  v: LinearWeights;
  out: LinearWeights;
  ln2: LayerNormWeights;
  fc1: LinearWeights;
  fc2: LinearWeights;
  activation: ActivationGraph;
  finalLn: LayerNormWeights;
  projection: LinearWeights;
}

export interface VitAnalysisHints {
  /** config.json vision_config.num_attention_heads, used when the graph's reshapes are dynamic. */
  numHeads?: number;
}

/** Ops that only move or rename values; followed when tracing a tensor to where it was made. */
const LAYOUT_OPS = new Set(['Reshape', 'Transpose', 'Identity', 'Squeeze', 'Unsqueeze', 'Flatten']);

/** Elementwise ops allowed in the copied MLP activation. */
const ACTIVATION_OPS = new Set([
  'Mul',
  'Add',
  'Sub',
  'Div',
  'Sigmoid',
  'Erf',
  'Tanh',
  'Pow',
  'Relu',
  'Sqrt',
  'Neg',
  'Identity',
  'Gelu',
]);

class Analysis {
  readonly ix: GraphIndex;
  readonly graph: OnnxGraphView;

  constructor(
    model: OnnxModelView,
    readonly file: string,
  ) {
    this.graph = model.graph;
    this.ix = new GraphIndex(model.graph);
  }

  fail(what: string): never {
    throw new ModelError(`${this.file}: no dense patch features (${what})`);
  }

  producer(name: string): OnnxNodeView | undefined {
    return this.ix.producer(name);
  }

  /** The value behind Identity nodes. */
  skipIdentity(name: string): string {
    let v = name;
    for (let node = this.producer(v); node?.opType === 'Identity'; node = this.producer(v)) {
      v = node.inputs[0];
    }
    return v;
  }

  /** The two operands of `node` as [constant, other], or undefined when not exactly one is constant. */
  constOperand(node: OnnxNodeView): [string, string] | undefined {
    if (node.inputs.length !== 2) return undefined;
    const [a, b] = node.inputs;
    const ca = this.ix.isConstant(a);
    const cb = this.ix.isConstant(b);
    if (ca === cb) return undefined;
    return ca ? [a, b] : [b, a];
  }

  /**
   * Follows `name` back through layout ops (and, with `scales`, Mul/Div by a constant scalar,
   * whose factors it collects). Returns the first value made by anything else.
   */
  trace(name: string, found: { factors: number[]; reshapes: string[] }, scales: boolean): string {
    let v = name;
    for (let step = 0; step < 32; step++) {
      const node = this.producer(v);
      if (!node) return v;
      if (LAYOUT_OPS.has(node.opType)) {
        if (node.opType === 'Reshape') found.reshapes.push(node.inputs[1]);
        v = node.inputs[0];
        continue;
      }
      if (scales && (node.opType === 'Mul' || node.opType === 'Div')) {
        const pair = this.constOperand(node);
        const s = pair ? this.ix.scalar(pair[0]) : undefined;
        if (pair && s !== undefined && (node.opType === 'Mul' || pair[0] === node.inputs[1])) {
          found.factors.push(node.opType === 'Mul' ? s : 1 / s);
          v = pair[1];
          continue;
        }
      }
      return v;
    }
    return v;
  }

  /**
   * A matrix product producing `name`: MatMul(a, b), or ORT's dynamic quantization of one
   * (Mul(Cast(MatMulInteger(DQL(a), Bq, azp, bzp)), a_scale·b_scale), with Bq constant or DQL(b)).
   * With a constant right operand, its dequantized float32 values come back as `weight`.
   */
  matmul(name: string):
    | {
        a: string;
        b: string;
        weight?: { data: Float32Array; dims: readonly number[]; quantizedFrom?: 'uint8' | 'int8' };
      }
    | undefined {
    const node = this.producer(name);
    if (!node) return undefined;
    if (node.opType === 'MatMul') {
      const [a, b] = node.inputs;
      if (!this.ix.isConstant(b)) return { a, b };
      const c = this.ix.constant(b);
      if (!c) return { a, b };
      return { a, b, weight: { data: toFloat32(c), dims: c.dims } };
    }
    if (node.opType !== 'Mul') return undefined;
    // Flatten the product of scales around the integer product.
    const leaves: string[] = [];
    const collect = (v: string, depth: number) => {
      const p = this.producer(v);
      if (p?.opType === 'Mul' && depth < 3 && !this.ix.isConstant(v)) {
        collect(p.inputs[0], depth + 1);
        collect(p.inputs[1], depth + 1);
      } else leaves.push(v);
    };
    collect(node.inputs[0], 1);
    collect(node.inputs[1], 1);
    const castLeaf = leaves.find((l) => {
      const p = this.producer(l);
      return p?.opType === 'Cast' && this.producer(p.inputs[0])?.opType === 'MatMulInteger';
    });
    if (!castLeaf) return undefined;
    const mmi = this.producer(this.producer(castLeaf)!.inputs[0])!;
    const others = leaves.filter((l) => l !== castLeaf);
    const dqlOf = (v: string) => {
      const p = this.producer(v);
      return p?.opType === 'DynamicQuantizeLinear' && p.outputs[0] === v ? p : undefined;
    };
    const dqlA = dqlOf(mmi.inputs[0]);
    if (!dqlA || !others.includes(dqlA.outputs[1])) return undefined;
    const rest = others.filter((l) => l !== dqlA.outputs[1]);
    const bName = mmi.inputs[1];
    const dqlB = dqlOf(bName);
    if (dqlB) {
      if (rest.length !== 1 || rest[0] !== dqlB.outputs[1]) return undefined;
      return { a: dqlA.inputs[0], b: dqlB.inputs[0] };
    }
    const bq = this.ix.constant(bName);
    if (!bq || bq.dims.length !== 2 || !rest.every((l) => this.ix.isConstant(l))) return undefined;
    if (bq.dataType !== 'uint8' && bq.dataType !== 'int8') return undefined;
    const [inDim, outDim] = bq.dims;
    // Per-tensor or per-column (output channel) scale and zero point, as MatMulInteger allows.
    const perColumn = (values: number[], what: string): ((col: number) => number) => {
      if (values.length === 1) return () => values[0];
      if (values.length === outDim) return (col) => values[col];
      this.fail(`${what} of '${bName}' has ${values.length} values for ${outDim} columns`);
    };
    const scaleParts = rest.map((l) => perColumn(toNumbers(this.ix.constant(l)!), 'the scale'));
    const zpName = mmi.inputs[3];
    const zp =
      zpName && this.ix.isConstant(zpName)
        ? perColumn(toNumbers(this.ix.constant(zpName)!), 'the zero point')
        : () => 0;
    if (zpName && !this.ix.isConstant(zpName)) return undefined;
    const q = bq.data as Uint8Array | Int8Array;
    const data = new Float32Array(inDim * outDim);
    for (let col = 0; col < outDim; col++) {
      let s = 1;
      for (const part of scaleParts) s *= part(col);
      const z = zp(col);
      for (let row = 0; row < inDim; row++) {
        data[row * outDim + col] = (q[row * outDim + col] - z) * s;
      }
    }
    return {
      a: dqlA.inputs[0],
      b: bName,
      weight: { data, dims: bq.dims, quantizedFrom: bq.dataType },
    };
  }

  /** A linear layer producing `name` (MatMul/Gemm/quantized, then an optional constant bias). */
  linear(name: string): { input: string; weights: LinearWeights } | undefined {
    const v = this.skipIdentity(name);
    const node = this.producer(v);
    if (!node) return undefined;
    if (node.opType === 'Gemm') return this.gemm(node);
    let core = v;
    let biasName: string | undefined;
    if (node.opType === 'Add') {
      const pair = this.constOperand(node);
      if (!pair) return undefined;
      biasName = pair[0];
      core = this.skipIdentity(pair[1]);
      const inner = this.producer(core);
      if (inner?.opType === 'Gemm' && inner.inputs.length < 3) {
        const g = this.gemm(inner);
        if (!g) return undefined;
        return this.withBias(g, biasName);
      }
    }
    const m = this.matmul(core);
    if (!m?.weight || m.weight.dims.length !== 2) return undefined;
    const [inDim, outDim] = m.weight.dims;
    const weights: LinearWeights = {
      weight: m.weight.data,
      bias: new Float32Array(outDim),
      inDim,
      outDim,
      ...(m.weight.quantizedFrom ? { quantizedFrom: m.weight.quantizedFrom } : {}),
    };
    const result = { input: m.a, weights };
    return biasName ? this.withBias(result, biasName) : result;
  }

  private withBias(
    linear: { input: string; weights: LinearWeights },
    biasName: string,
  ): { input: string; weights: LinearWeights } | undefined {
    const c = this.ix.constant(biasName);
    if (!c) return undefined;
    const bias = toFloat32(c);
    const { outDim } = linear.weights;
    if (bias.length !== outDim) return undefined;
    const sum = Float32Array.from(linear.weights.bias, (b, i) => b + bias[i]);
    return { input: linear.input, weights: { ...linear.weights, bias: sum } };
  }

  private gemm(node: OnnxNodeView): { input: string; weights: LinearWeights } | undefined {
    const [a, b, c] = node.inputs;
    if (intAttribute(node, 'transA')) return undefined;
    const bc = this.ix.constant(b);
    if (!bc || bc.dims.length !== 2) return undefined;
    const alpha = floatAttribute(node, 'alpha') ?? 1;
    const beta = floatAttribute(node, 'beta') ?? 1;
    const transB = intAttribute(node, 'transB') === 1;
    const raw = toFloat32(bc);
    const [inDim, outDim] = transB ? [bc.dims[1], bc.dims[0]] : [bc.dims[0], bc.dims[1]];
    const weight = new Float32Array(inDim * outDim);
    for (let i = 0; i < inDim; i++) {
      for (let o = 0; o < outDim; o++) {
        weight[i * outDim + o] = alpha * (transB ? raw[o * inDim + i] : raw[i * outDim + o]);
      }
    }
    let bias = new Float32Array(outDim);
    if (c) {
      const cc = this.ix.constant(c);
      if (!cc) return undefined;
      const values = toFloat32(cc);
      if (values.length !== outDim && values.length !== 1) return undefined;
      bias = Float32Array.from(bias, (_, i) => beta * values[values.length === 1 ? 0 : i]);
    }
    return { input: a, weights: { weight, bias, inDim, outDim } };
  }

  /** LayerNormalization, or torch's decomposition of it, producing `name`. */
  layerNorm(name: string): { input: string; weights: LayerNormWeights } | undefined {
    const v = this.skipIdentity(name);
    const node = this.producer(v);
    if (!node) return undefined;
    if (node.opType === 'LayerNormalization') {
      const [x, scale, bias] = node.inputs;
      const g = this.ix.constant(scale);
      if (!g) return undefined;
      const gamma = toFloat32(g);
      const b = bias ? this.ix.constant(bias) : undefined;
      if (bias && !b) return undefined;
      const beta = b ? toFloat32(b) : new Float32Array(gamma.length);
      const epsilon = floatAttribute(node, 'epsilon') ?? 1e-5;
      return { input: x, weights: { gamma, beta, epsilon } };
    }
    // Affine part: Add(Mul(normalised, gamma), beta), either operand order, either part optional.
    let cur = v;
    let beta: Float32Array | undefined;
    let gamma: Float32Array | undefined;
    let p = this.producer(cur);
    if (p?.opType === 'Add') {
      const pair = this.constOperand(p);
      if (!pair) return undefined;
      beta = toFloat32(this.ix.constant(pair[0])!);
      cur = pair[1];
      p = this.producer(cur);
    }
    if (p?.opType === 'Mul') {
      const pair = this.constOperand(p);
      if (!pair) return undefined;
      gamma = toFloat32(this.ix.constant(pair[0])!);
      cur = pair[1];
      p = this.producer(cur);
    }
    if (p?.opType !== 'Div') return undefined;
    const [centred, std] = p.inputs;
    const sub = this.producer(centred);
    if (sub?.opType !== 'Sub') return undefined;
    const [x, meanName] = sub.inputs;
    const mean = this.producer(meanName);
    if (mean?.opType !== 'ReduceMean' || mean.inputs[0] !== x) return undefined;
    const sqrt = this.producer(std);
    if (sqrt?.opType !== 'Sqrt') return undefined;
    const addEps = this.producer(sqrt.inputs[0]);
    if (addEps?.opType !== 'Add') return undefined;
    const epsPair = this.constOperand(addEps);
    const epsilon = epsPair ? this.ix.scalar(epsPair[0]) : undefined;
    if (!epsPair || epsilon === undefined) return undefined;
    const variance = this.producer(epsPair[1]);
    if (variance?.opType !== 'ReduceMean') return undefined;
    const square = this.producer(variance.inputs[0]);
    const squares =
      (square?.opType === 'Pow' &&
        square.inputs[0] === centred &&
        this.ix.scalar(square.inputs[1]) === 2) ||
      (square?.opType === 'Mul' && square.inputs[0] === centred && square.inputs[1] === centred);
    if (!squares) return undefined;
    const width = gamma?.length ?? beta?.length;
    if (width === undefined) return undefined;
    return {
      input: x,
      weights: {
        gamma: gamma ?? new Float32Array(width).fill(1),
        beta: beta ?? new Float32Array(width),
        epsilon,
      },
    };
  }

  /** Splits Add(a, b) into [residual, branch]: the operand that is an ancestor of the other. */
  residual(node: OnnxNodeView | undefined, what: string): [string, string] {
    if (node?.opType !== 'Add' || node.inputs.length !== 2) {
      this.fail(
        `${what} is ${node ? `made by ${node.opType}` : 'not computed'}, not a residual Add`,
      );
    }
    const [a, b] = node.inputs;
    if (this.ix.isAncestor(a, b)) return [a, b];
    if (this.ix.isAncestor(b, a)) return [b, a];
    return this.fail(`${what}: neither operand of the Add is the residual of the other`);
  }

  /** Shape values of a Reshape's shape input: constants, or a Concat of constants and scalars. */
  shapeValues(name: string): (number | null)[] | undefined {
    const c = this.ix.constant(name);
    if (c) return toNumbers(c);
    const node = this.producer(name);
    if (node?.opType !== 'Concat') return undefined;
    const out: (number | null)[] = [];
    for (const input of node.inputs) {
      const ci = this.ix.constant(input);
      if (ci) {
        out.push(...toNumbers(ci));
        continue;
      }
      // A dynamic part is one element when it is an unsqueezed scalar (torch's pattern).
      const p = this.producer(input);
      if (p?.opType !== 'Unsqueeze') return undefined;
      const inner = this.producer(p.inputs[0]);
      const ciInner = this.ix.constant(p.inputs[0]);
      if (ciInner) out.push(...toNumbers(ciInner));
      else if (inner) out.push(null);
      else return undefined;
    }
    return out;
  }

  headsFromReshapes(shapes: string[], width: number): number | undefined {
    const found = new Set<number>();
    for (const s of shapes) {
      const values = this.shapeValues(s);
      if (!values || values.length < 2) continue;
      const last = values[values.length - 1];
      const pen = values[values.length - 2];
      if (last !== null && last > 0 && last < width && width % last === 0) {
        if (pen !== null && pen > 0 && pen * last !== width && values.length >= 3) continue;
        found.add(width / last);
      } else if (last === -1 && pen !== null && pen > 0 && width % pen === 0) found.add(pen);
    }
    if (found.size > 1) {
      this.fail(`the attention reshapes disagree on the head count (${[...found].join(', ')})`);
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  /** The MLP activation between fc1's output and fc2's input, as nodes to copy. */
  activation(from: string, to: string): ActivationGraph {
    const nodes: OnnxNodeView[] = [];
    const seen = new Set<string>();
    const constants = new Map<string, { dims: readonly number[]; data: Float32Array }>();
    const visit = (v: string) => {
      if (v === from || seen.has(v)) return;
      seen.add(v);
      if (this.ix.isConstant(v)) {
        const c = this.ix.constant(v)!;
        if (c.dataType !== 'float' && c.dataType !== 'float16' && c.dataType !== 'double') {
          this.fail(`the MLP activation has a ${c.dataType} constant '${v}'`);
        }
        constants.set(v, { dims: c.dims, data: toFloat32(c) });
        return;
      }
      const node = this.producer(v);
      if (!node || !this.ix.isAncestor(from, v)) {
        this.fail(`the MLP activation reads '${v}', which does not come from fc1`);
      }
      if (!ACTIVATION_OPS.has(node.opType) || node.outputs.length !== 1) {
        this.fail(`the MLP activation uses ${node.opType}, which is not an elementwise op`);
      }
      for (const input of node.inputs) visit(input);
      nodes.push(node);
    };
    visit(to);
    // Graph order is topological; keep it.
    const order = new Map(this.graph.nodes.map((n, i) => [n, i]));
    nodes.sort((a, b) => order.get(a)! - order.get(b)!);
    return {
      input: from,
      output: to,
      constants,
      nodes: nodes.map((n) => ({
        opType: n.opType,
        inputs: [...n.inputs],
        outputs: [...n.outputs],
        attributes: Object.fromEntries(
          n.attributes.map((a) => {
            if (a.type === 'float') return [a.name, { float: a.value }];
            if (a.type === 'int') return [a.name, { int: a.value }];
            if (a.type === 'floats') return [a.name, { floats: a.value }];
            if (a.type === 'ints') return [a.name, { ints: a.value }];
            return this.fail(`the MLP activation's ${n.opType} has a ${a.type} attribute`);
          }),
        ),
      })),
    };
  }

  /** The patch grid and channel count from the one convolution over the RGB input. */
  patchGrid(): PatchGrid & { channels: number } {
    const convs = this.graph.nodes.filter((n) => {
      if (n.opType !== 'Conv' && n.opType !== 'ConvInteger') return false;
      const dims = this.ix.constantDims(n.inputs[1]);
      return dims?.length === 4 && dims[1] === 3;
    });
    if (convs.length !== 1) {
      this.fail(
        convs.length === 0
          ? 'no patch-embedding convolution over the RGB input'
          : `${convs.length} convolutions over RGB, expected one patch embedding`,
      );
    }
    const conv = convs[0];
    const dims = this.ix.constantDims(conv.inputs[1])!;
    const [out, , kh, kw] = dims;
    if (kh !== kw) this.fail(`the patch embedding's kernel is ${kh}×${kw}, not square`);
    const strides = intsAttribute(conv, 'strides');
    if (strides && strides.some((s) => s !== kh)) {
      this.fail(`the patch embedding's stride ${strides.join('×')} is not its kernel ${kh}`);
    }
    if (VIT_INPUT_SIDE % kh !== 0) this.fail(`patch ${kh} does not divide ${VIT_INPUT_SIDE}`);
    const side = VIT_INPUT_SIDE / kh;
    return { rows: side, cols: side, patch: kh, channels: out };
  }
}

function checkLn(a: Analysis, ln: LayerNormWeights, width: number, what: string): void {
  if (ln.gamma.length !== width || ln.beta.length !== width) {
    a.fail(`${what} has ${ln.gamma.length} weights, expected ${width}`);
  }
}

function checkLinear(
  a: Analysis,
  l: LinearWeights,
  inDim: number,
  outDim: number | null,
  what: string,
): void {
  if (l.inDim !== inDim || (outDim !== null && l.outDim !== outDim)) {
    a.fail(`${what} is ${l.inDim}×${l.outDim}, expected ${inDim}×${outDim ?? 'any'}`);
  }
}

/**
 * Analyses a decoded vision graph (onnx-reader's readOnnxModel). Throws ModelError naming what
 * was not found.
 */
export function analyseVitGraph(
  model: OnnxModelView,
  hints: VitAnalysisHints = {},
  file = model.file,
): VitLastBlock {
  const a: Analysis = new Analysis(model, file);
  const { ix } = a;
  if (!model.graph.outputs.some((o) => o.name === 'image_embeds')) a.fail('no image_embeds output');
  // First the cheap sign of a ViT, so that other graphs get the plainest reason.
  const { channels, ...grid } = a.patchGrid();

  // image_embeds ← projection ← final LayerNorm ← token 0.
  const projection = a.linear('image_embeds');
  if (!projection) a.fail('image_embeds is not a linear projection with constant weights');
  const finalLn = a.layerNorm(projection.input);
  if (!finalLn) a.fail('the projection does not read a LayerNorm');
  let pooled = finalLn.input;
  for (let p = a.producer(pooled); p && LAYOUT_OPS.has(p.opType); p = a.producer(pooled)) {
    pooled = p.inputs[0];
  }
  const select = a.producer(pooled);
  let blockOut: string | undefined;
  if (select?.opType === 'Gather') {
    const index = ix.scalar(select.inputs[1]);
    if (index === 0 && (intAttribute(select, 'axis') ?? 0) === 1) blockOut = select.inputs[0];
  } else if (select?.opType === 'Slice') {
    const [data, starts, ends, axes] = select.inputs;
    const s = ix.constant(starts);
    const e = ix.constant(ends);
    const ax = axes ? ix.constant(axes) : undefined;
    if (
      s &&
      e &&
      ax &&
      toNumbers(s).join() === '0' &&
      toNumbers(e).join() === '1' &&
      toNumbers(ax).join() === '1'
    ) {
      blockOut = data;
    }
  }
  if (!blockOut) {
    a.fail(
      `the final LayerNorm reads ${select ? `the output of ${select.opType}` : 'an input'}, not token 0 of the sequence`,
    );
  }

  // Block output = Add(h, mlp(h)); mlp = fc2(act(fc1(LN2(h)))).
  const [h, mlpOut] = a.residual(a.producer(blockOut), 'the last block output');
  const fc2 = a.linear(mlpOut);
  if (!fc2) a.fail('the MLP branch does not end in a linear layer (fc2)');
  // fc1's output is the first linear found walking up from fc2's input through the activation.
  const fc1Out = findUpstream(a, fc2.input, (v) => a.linear(v) !== undefined, 12);
  if (!fc1Out) a.fail('no linear layer (fc1) before the MLP activation');
  const fc1 = a.linear(fc1Out)!;
  const ln2 = a.layerNorm(fc1.input);
  if (!ln2 || ln2.input !== h) a.fail('fc1 does not read LayerNorm(h) of the residual stream');
  const activation = a.activation(fc1Out, fc2.input);

  // h = Add(x, out_proj(attention(LN1(x)))).
  const [x, attnOut] = a.residual(a.producer(h), 'the attention residual');
  const outProj = a.linear(attnOut);
  if (!outProj) a.fail('the attention branch does not end in a linear layer (out_proj)');
  const scratch = { factors: [] as number[], reshapes: [] as string[] };
  const av = a.matmul(a.trace(outProj.input, scratch, false));
  if (!av || av.weight) a.fail('out_proj does not read attention·values');
  const probs = a.trace(av.a, { factors: [], reshapes: [] }, false);
  const softmax = a.producer(probs);
  if (softmax?.opType !== 'Softmax') a.fail('attention·values does not read a Softmax');
  const scoreTrace = { factors: [] as number[], reshapes: [] as string[] };
  const scores = a.matmul(a.trace(softmax.inputs[0], scoreTrace, true));
  if (!scores || scores.weight) a.fail('the Softmax does not read q·kᵀ');
  const qTrace = { factors: [] as number[], reshapes: [] as string[] };
  const kTrace = { factors: [] as number[], reshapes: [] as string[] };
  const vTrace = { factors: [] as number[], reshapes: [] as string[] };
  const q = a.linear(a.trace(scores.a, qTrace, true));
  const k = a.linear(a.trace(scores.b, kTrace, true));
  const v = a.linear(a.trace(av.b, vTrace, false));
  if (!q || !k || !v) {
    const missing = [!q && 'q', !k && 'k', !v && 'v'].filter(Boolean).join(', ');
    a.fail(`the attention's ${missing} is not a linear projection of the block input`);
  }
  if (q.input !== k.input || k.input !== v.input) {
    a.fail('q, k and v do not project the same tensor');
  }
  const ln1 = a.layerNorm(q.input);
  if (!ln1 || ln1.input !== x) a.fail('q, k and v do not project LayerNorm(x) of the residual');

  const width = ln1.weights.gamma.length;
  checkLn(a, ln1.weights, width, 'LN1');
  checkLn(a, ln2.weights, width, 'LN2');
  checkLn(a, finalLn.weights, width, 'the final LayerNorm');
  checkLinear(a, q.weights, width, width, 'q_proj');
  checkLinear(a, k.weights, width, width, 'k_proj');
  checkLinear(a, v.weights, width, width, 'v_proj');
  checkLinear(a, outProj.weights, width, width, 'out_proj');
  checkLinear(a, fc1.weights, width, null, 'fc1');
  checkLinear(a, fc2.weights, fc1.weights.outDim, width, 'fc2');
  checkLinear(a, projection.weights, width, null, 'the visual projection');

  const fromGraph = a.headsFromReshapes(
    [...qTrace.reshapes, ...kTrace.reshapes, ...vTrace.reshapes],
    width,
  );
  if (fromGraph !== undefined && hints.numHeads !== undefined && fromGraph !== hints.numHeads) {
    a.fail(`the graph splits ${fromGraph} attention heads but config.json says ${hints.numHeads}`);
  }
  const heads = fromGraph ?? hints.numHeads;
  if (heads === undefined) {
    a.fail(
      'the head count is neither fixed in the attention reshapes nor given by config.json vision_config.num_attention_heads',
    );
  }
  if (!Number.isInteger(heads) || heads < 1 || width % heads !== 0) {
    a.fail(`${heads} heads do not divide the width ${width}`);
  }
  const headDim = width / heads;
  const scale = [...qTrace.factors, ...kTrace.factors, ...scoreTrace.factors].reduce(
    (p, f) => p * f,
    1,
  );
  if (Math.abs(scale * Math.sqrt(headDim) - 1) > 1e-3) {
    a.fail(
      `the attention scale is ${scale.toPrecision(4)}, not head_dim^-0.5 = ${(1 / Math.sqrt(headDim)).toPrecision(4)} (folded into the weights?)`,
    );
  }

  if (channels !== width) {
    a.fail(`the patch embedding makes ${channels} channels but the last block is ${width} wide`);
  }
  const gammaDims = ln1Gamma(a, q.input);
  const quantized = [q, k, v, outProj, fc1, fc2, projection].some(
    (l) => l.weights.quantizedFrom !== undefined,
  );
  return {
    file,
    stream: { name: x, elemType: gammaDims === 'float16' ? 'float16' : 'float' },
    grid,
    tokens: 1 + grid.rows * grid.cols,
    width,
    heads,
    headDim,
    dim: projection.weights.outDim,
    attentionScale: scale,
    headsFrom: fromGraph !== undefined ? 'graph' : 'config',
    quantized,
    ln1: ln1.weights,
    q: q.weights,
    k: k.weights,
    v: v.weights,
    out: outProj.weights,
    ln2: ln2.weights,
    fc1: fc1.weights,
    fc2: fc2.weights,
    activation,
    finalLn: finalLn.weights,
    projection: projection.weights,
  };
}

/** The element type of LN1's weights: the stream has the same type. */
function ln1Gamma(a: Analysis, ln1Out: string): string {
  const node = a.producer(a.skipIdentity(ln1Out));
  if (!node) return 'float';
  for (const input of node.inputs) {
    const dims = a.ix.constantDims(input);
    if (dims?.length === 1) return a.ix.constant(input)?.dataType ?? 'float';
  }
  return 'float';
}

/** Breadth-first up from `start` (inclusive) to the first value satisfying `test`. */
function findUpstream(
  a: Analysis,
  start: string,
  test: (v: string) => boolean,
  limit: number,
): string | undefined {
  let frontier = [start];
  const seen = new Set<string>();
  for (let depth = 0; depth < limit && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const v of frontier) {
      if (seen.has(v) || a.ix.isConstant(v)) continue;
      seen.add(v);
      if (test(v)) return v;
      const p = a.producer(v);
      if (p) next.push(...p.inputs.filter(Boolean));
    }
    frontier = next;
  }
  return undefined;
}
