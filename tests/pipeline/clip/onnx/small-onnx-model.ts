// Test helper: a small model with every kind of value the reader decodes (shared with the fuzz test).
import { GraphBuilder } from '../../../../src/pipeline/clip/onnx/graph-builder';
import { encodeOnnxModel } from '../../../../src/pipeline/clip/onnx/onnx-model';

/** x [B,4] → MatMul W → Add b → Relu → y; with a Constant node carrying a tensor. */
export function smallModel(): Uint8Array {
  const g = new GraphBuilder('small', 17);
  const x = g.input('x', 'float', ['batch', 4]);
  const w = g.floats('W', [4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const mm = g.node('MatMul', [x, w], {}, 'mm');
  const b = g.floats('b', [3], [0.5, -1, 2]);
  const added = g.node('Add', [mm, b], {}, 'added');
  const y = g.node('Relu', [added], {}, 'y');
  g.output(y, 'float', ['batch', 3]);
  const model = g.model();
  const constant = {
    opType: 'Constant',
    inputs: [],
    outputs: ['k'],
    name: 'const_k',
    attributes: [
      {
        name: 'value',
        type: 'tensor' as const,
        value: {
          name: 'kv',
          dataType: 'int64' as const,
          dims: [2],
          data: new BigInt64Array([-1n, 7n]),
        },
      },
    ],
  };
  return encodeOnnxModel({
    ...model,
    graph: { ...model.graph, nodes: [constant, ...model.graph.nodes] },
  });
}
