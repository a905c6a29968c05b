import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/pipeline/clip/onnx/graph-builder';
import { encodeOnnxModel } from '../../../../src/pipeline/clip/onnx/onnx-model';

// onnxruntime-web is the independent reader of our bytes: graphs must load and compute the
// values worked out by hand below.
describe('ONNX writer through onnxruntime-web', () => {
  it('MatMul + Gather + ReduceSum + Add give the hand-computed result', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float', ['batch', 3]);
    const ids = g.input('ids', 'int64', ['batch', 4]);
    const w = g.floats('w', [3, 2], [1, 2, 3, 4, 5, 6]);
    const table = g.floats('table', [5, 2], [0, 0, 1, 0, 0, 1, 1, 1, 2, 2]);
    const rows = g.node('Gather', [table, ids], { axis: { int: 0 } });
    const summed = g.node('ReduceSum', [rows, g.int64s('axes', [1], [1])], {
      keepdims: { int: 0 },
    });
    const out = g.node('Add', [g.node('MatMul', [x, w]), summed], {}, 'out');
    g.output(out, 'float', ['batch', 2]);
    const session = await ort.InferenceSession.create(g.encode());
    expect(session.inputMetadata.map((m) => m.name)).toEqual(['x', 'ids']);
    const result = await session.run({
      x: new ort.Tensor('float32', new Float32Array([1, 0, 1, 0, 1, 0]), [2, 3]),
      ids: new ort.Tensor('int64', BigInt64Array.from([1n, 2n, 0n, 0n, 4n, 4n, 3n, 0n]), [2, 4]),
    });
    // Row 0: [1,0,1]·w = [6,8]; rows 1+2 = [1,1] → [7,9]. Row 1: [3,4] + [2,2]+[2,2]+[1,1] → [8,9].
    expect(Array.from(result.out.data as Float32Array)).toEqual([7, 9, 8, 9]);
    expect(result.out.dims).toEqual([2, 2]);
  });

  it('Conv 1x1 + Softmax(axis 1) + ReduceMean(axes attribute) match a hand computation', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float', [1, 2, 1, 2]);
    const conv = g.node('Conv', [
      x,
      g.floats('w', [2, 2, 1, 1], [1, 0, 0, 2]),
      g.floats('b', [2], [0, 1]),
    ]);
    const soft = g.node('Softmax', [conv], { axis: { int: 1 } });
    const mean = g.node(
      'ReduceMean',
      [soft],
      { axes: { ints: [2, 3] }, keepdims: { int: 0 } },
      'y',
    );
    g.output(mean, 'float', [1, 2]);
    const session = await ort.InferenceSession.create(g.encode());
    // Pixels (channel values): p0 = (0, 0), p1 = (1, 0.5). Conv → p0 (0, 1), p1 (1, 2).
    const result = await session.run({
      x: new ort.Tensor('float32', new Float32Array([0, 1, 0, 0.5]), [1, 2, 1, 2]),
    });
    const s = 1 / (1 + Math.E); // softmax(0,1)[0] = softmax(1,2)[0]
    const y = result.y.data as Float32Array;
    expect(y[0]).toBeCloseTo(s, 6);
    expect(y[1]).toBeCloseTo(1 - s, 6);
  });

  it('writes symbolic and fixed dims that ort reports back', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('pixel_values', 'float', ['batch_size', 3, 4, 4]);
    g.output(g.node('Identity', [x], {}, 'same'), 'float', ['batch_size', 3, 4, 4]);
    const session = await ort.InferenceSession.create(g.encode());
    const meta = session.inputMetadata[0];
    expect(meta.isTensor && meta.shape).toEqual(['batch_size', 3, 4, 4]);
    expect(meta.isTensor && meta.type).toBe('float32');
  });

  it('rejects inconsistent graphs and tensors before writing', () => {
    const g = new GraphBuilder('t');
    g.input('x', 'float', [1]);
    expect(() => g.input('x', 'float', [1])).toThrow(/duplicate/);
    expect(() => g.output('nope', 'float', [1])).toThrow(/never produced/);
    expect(() =>
      encodeOnnxModel({
        opsetVersion: 13,
        graph: {
          name: 'g',
          nodes: [],
          inputs: [],
          outputs: [],
          initializers: [{ name: 'w', dataType: 'float', dims: [2, 2], data: new Float32Array(3) }],
        },
      }),
    ).toThrow(/hold 4 values, data has 3/);
  });
});
