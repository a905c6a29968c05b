/**
 * Test helper: decode an .onnx file, edit its node list, encode it again (initializers and
 * Constant tensors materialised). For making "almost a ViT" graphs out of real torch exports.
 */
import {
  encodeOnnxModel,
  type OnnxAttribute,
  type OnnxNode,
} from '../../../../src/pipeline/clip/onnx/onnx-model';
import {
  materializeTensor,
  readOnnxModel,
  type OnnxNodeView,
} from '../../../../src/pipeline/clip/onnx/onnx-reader';

function toNode(n: OnnxNodeView): OnnxNode {
  return {
    opType: n.opType,
    inputs: n.inputs,
    outputs: n.outputs,
    name: n.name || undefined,
    domain: n.domain || undefined,
    attributes: n.attributes.map((a): OnnxAttribute => {
      if (a.type === 'tensor')
        return { name: a.name, type: 'tensor', value: materializeTensor(a.value) };
      if (a.type === 'strings' || a.type === 'unsupported') throw new Error(`attribute ${a.name}`);
      return a;
    }),
  };
}

/** Re-encodes `bytes` with `edit` applied to the decoded nodes (graph order). */
export function editGraph(
  bytes: Uint8Array,
  edit: (nodes: OnnxNodeView[]) => OnnxNodeView[],
): Uint8Array {
  const model = readOnnxModel(bytes, 'edit.onnx');
  const g = model.graph;
  const nodes = edit(
    g.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs] })),
  );
  return encodeOnnxModel({
    graph: {
      name: g.name,
      nodes: nodes.map(toNode),
      initializers: [...g.initializers.values()].map(materializeTensor),
      inputs: g.inputs,
      outputs: g.outputs,
    },
    opsetVersion: model.opsetImports.get('') ?? 17,
    irVersion: model.irVersion,
  });
}

/** The last node of `opType` in graph order. */
export function lastOf(nodes: OnnxNodeView[], opType: string): OnnxNodeView {
  const found = nodes.filter((n) => n.opType === opType).at(-1);
  if (!found) throw new Error(`no ${opType}`);
  return found;
}
