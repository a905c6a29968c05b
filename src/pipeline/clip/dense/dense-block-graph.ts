/**
 * The rewritten last ViT block as a small ONNX graph (formulas in ./README.md):
 *
 *   stream [B, T, W] (the residual stream entering the last block, from the vision session)
 *     → the method's attention (and, for SCLIP, residual + FFN)
 *     → final LayerNorm → visual projection per patch token (CLS dropped)
 *     → patch_embeds [B, rows·cols, D], not yet L2-normalised (done in JS).
 *
 * Weights come from vit-analysis.ts (dequantized float32 for quantized models).
 */
import { GraphBuilder } from '../onnx/graph-builder';
import type { DenseBlockMethod } from './types';
import type { LayerNormWeights, LinearWeights, VitLastBlock } from './vit-analysis';

export const DENSE_STREAM_INPUT = 'stream';
export const DENSE_PATCH_OUTPUT = 'patch_embeds';

/** NACLIP's neighbourhood prior: σ in patches. */
export const NACLIP_SIGMA = 5;

/**
 * NACLIP's Ω [T, T]: exp(−‖p_i − p_j‖² / (2σ²)) between patch tokens at grid positions
 * p = (row, col); the CLS row and column are 0.
 */
export function naclipNeighbourhood(
  rows: number,
  cols: number,
  sigma = NACLIP_SIGMA,
): Float32Array {
  const tokens = 1 + rows * cols;
  const omega = new Float32Array(tokens * tokens);
  for (let i = 1; i < tokens; i++) {
    const ri = Math.floor((i - 1) / cols);
    const ci = (i - 1) % cols;
    for (let j = 1; j < tokens; j++) {
      const rj = Math.floor((j - 1) / cols);
      const cj = (j - 1) % cols;
      const d2 = (ri - rj) ** 2 + (ci - cj) ** 2;
      omega[i * tokens + j] = Math.exp(-d2 / (2 * sigma * sigma));
    }
  }
  return omega;
}

/** Encodes the rewritten block for `method` as ONNX bytes (opset 17). */
export function buildDenseBlockGraph(block: VitLastBlock, method: DenseBlockMethod): Uint8Array {
  const { tokens: T, width: W, heads: H, headDim: d, grid } = block;
  const g = new GraphBuilder(`dense_${method}`, 17);
  const x = g.input(DENSE_STREAM_INPUT, 'float', ['batch', T, W]);
  let counter = 0;
  const uid = (base: string) => `${base}_${counter++}`;

  const layerNorm = (input: string, ln: LayerNormWeights, name: string) =>
    g.node(
      'LayerNormalization',
      [
        input,
        g.floats(`${name}_gamma`, [ln.gamma.length], ln.gamma),
        g.floats(`${name}_beta`, [ln.beta.length], ln.beta),
      ],
      { axis: { int: -1 }, epsilon: { float: ln.epsilon } },
    );
  const linear = (input: string, l: LinearWeights, name: string) => {
    const y = g.node('MatMul', [input, g.floats(`${name}_w`, [l.inDim, l.outDim], l.weight)]);
    if (l.bias.every((b) => b === 0)) return y;
    return g.node('Add', [y, g.floats(`${name}_b`, [l.outDim], l.bias)]);
  };
  const headsShape = g.int64s('heads_shape', [4], [0, T, H, d]);
  const mergeShape = g.int64s('merge_shape', [3], [0, T, W]);
  const scale = g.floats('attn_scale', [], [1 / Math.sqrt(d)]);
  // [B,T,W] → [B,H,T,d] (or [B,H,d,T] for the right operand of a score product).
  const split = (t: string, perm: number[]) =>
    g.node('Transpose', [g.node('Reshape', [t, headsShape])], { perm: { ints: perm } });
  const scores = (t: string) =>
    g.node('Mul', [g.node('MatMul', [split(t, [0, 2, 1, 3]), split(t, [0, 2, 3, 1])]), scale]);
  const softmax = (s: string) => g.node('Softmax', [s], { axis: { int: -1 } });
  const attend = (attn: string, v: string) =>
    g.node('Reshape', [
      g.node('Transpose', [g.node('MatMul', [attn, split(v, [0, 2, 1, 3])])], {
        perm: { ints: [0, 2, 1, 3] },
      }),
      mergeShape,
    ]);

  const h = layerNorm(x, block.ln1, 'ln1');
  let y: string;
  switch (method) {
    case 'maskclip':
      y = linear(linear(h, block.v, 'v'), block.out, 'out');
      break;
    case 'clearclip': {
      const attn = softmax(scores(linear(h, block.q, 'q')));
      y = linear(attend(attn, linear(h, block.v, 'v')), block.out, 'out');
      break;
    }
    case 'naclip': {
      const omega = g.floats('naclip_omega', [T, T], naclipNeighbourhood(grid.rows, grid.cols));
      const attn = softmax(g.node('Add', [scores(linear(h, block.k, 'k')), omega]));
      y = linear(attend(attn, linear(h, block.v, 'v')), block.out, 'out');
      break;
    }
    case 'sclip': {
      const attn = g.node('Add', [
        softmax(scores(linear(h, block.q, 'q'))),
        softmax(scores(linear(h, block.k, 'k'))),
      ]);
      const z = g.node('Add', [x, linear(attend(attn, linear(h, block.v, 'v')), block.out, 'out')]);
      const up = linear(layerNorm(z, block.ln2, 'ln2'), block.fc1, 'fc1');
      y = g.node('Add', [z, linear(copyActivation(g, block, up, uid), block.fc2, 'fc2')]);
      break;
    }
  }

  const patches = g.node('Slice', [
    y,
    g.int64s('patch_start', [1], [1]),
    g.int64s('patch_end', [1], [T]),
    g.int64s('patch_axis', [1], [1]),
  ]);
  const projected = linear(layerNorm(patches, block.finalLn, 'final_ln'), block.projection, 'proj');
  const out = g.node('Identity', [projected], {}, DENSE_PATCH_OUTPUT);
  g.output(out, 'float', ['batch', grid.rows * grid.cols, block.dim]);
  return g.encode({ docString: `CLIP ViT last block rewritten for dense features (${method})` });
}

/** Copies the model's own MLP activation (QuickGELU, GELU, …) onto `input`; returns its output. */
function copyActivation(
  g: GraphBuilder,
  block: VitLastBlock,
  input: string,
  uid: (base: string) => string,
): string {
  const { activation } = block;
  const names = new Map<string, string>([[activation.input, input]]);
  for (const [name, c] of activation.constants) {
    names.set(name, g.floats(uid('act_const'), c.dims, c.data));
  }
  for (const node of activation.nodes) {
    const inputs = node.inputs.map((i) => {
      const mapped = names.get(i);
      if (mapped === undefined) throw new Error(`activation input '${i}' is not produced`);
      return mapped;
    });
    names.set(node.outputs[0], g.node(node.opType, inputs, node.attributes));
  }
  const out = names.get(activation.output);
  if (out === undefined) throw new Error('activation output is not produced');
  return out;
}
