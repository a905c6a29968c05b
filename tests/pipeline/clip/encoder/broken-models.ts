// Test helper: tiny CLIP-shaped graphs with one thing wrong at a time.
import { GraphBuilder } from '../../../../src/pipeline/clip/onnx/graph-builder';

export function tinyVisionModel(
  o: { inputName?: string; outputName?: string; side?: number; dim?: number; half?: boolean } = {},
): Uint8Array {
  const side = o.side ?? 224;
  const dim = o.dim ?? 64;
  const elem = o.half ? 'float16' : 'float';
  const g = new GraphBuilder('tiny_vision');
  let x = g.input(o.inputName ?? 'pixel_values', elem, ['batch_size', 3, side, side]);
  if (o.half) x = g.node('Cast', [x], { to: { int: 1 } });
  const pooled = g.node('ReduceMean', [x], { axes: { ints: [2, 3] }, keepdims: { int: 0 } });
  const w = g.floats(
    'w',
    [3, dim],
    Array.from({ length: 3 * dim }, (_, i) => ((i * 7) % 5) - 2),
  );
  const name = o.outputName ?? 'image_embeds';
  const embeds = o.half
    ? g.node('Cast', [g.node('MatMul', [pooled, w])], { to: { int: 10 } }, name)
    : g.node('MatMul', [pooled, w], {}, name);
  g.output(embeds, elem, ['batch_size', dim]);
  return g.encode();
}

export function tinyTextModel(
  o: {
    inputName?: string;
    outputName?: string;
    dim?: number;
    vocab?: number;
    seq?: number | string;
    /** Every output value NaN (0/0), as a numerically broken export gives. */
    nan?: boolean;
  } = {},
): Uint8Array {
  const dim = o.dim ?? 64;
  const vocab = o.vocab ?? 600;
  const g = new GraphBuilder('tiny_text');
  const ids = g.input(o.inputName ?? 'input_ids', 'int64', [
    'batch_size',
    o.seq ?? 'sequence_length',
  ]);
  const table = g.floats(
    'table',
    [vocab, dim],
    Array.from({ length: vocab * dim }, (_, i) => (i % 3) - 1),
  );
  const rows = g.node('Gather', [table, ids], { axis: { int: 0 } });
  const name = o.outputName ?? 'text_embeds';
  let summed = g.node(
    'ReduceSum',
    [rows, g.int64s('axes', [1], [1])],
    { keepdims: { int: 0 } },
    o.nan ? undefined : name,
  );
  if (o.nan) {
    const zero = g.node('Sub', [summed, summed]);
    summed = g.node('Div', [zero, zero], {}, name);
  }
  g.output(summed, 'float', ['batch_size', dim]);
  return g.encode();
}
