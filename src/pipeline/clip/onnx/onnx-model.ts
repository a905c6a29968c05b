/**
 * Just enough of the ONNX schema (onnx/onnx.proto, IR version 8) to write the graphs we build:
 * ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto and ValueInfoProto, with field
 * numbers from onnx.proto. Tensors are written as little-endian raw_data.
 */
import { ProtoWriter } from './protobuf-writer';

/** TensorProto.DataType values we use. */
export const OnnxDataType = {
  float: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  double: 11,
  uint32: 12,
  uint64: 13,
  complex64: 14,
  complex128: 15,
  bfloat16: 16,
} as const;
export type OnnxDataTypeName = keyof typeof OnnxDataType;

export interface OnnxTensor {
  name: string;
  dataType: OnnxDataTypeName;
  dims: readonly number[];
  /** float16 tensors carry their IEEE half bit patterns in a Uint16Array. */
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array;
}

/** A dimension: a fixed size or a symbolic name such as 'batch_size'. */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  elemType: OnnxDataTypeName;
  shape: readonly OnnxDim[];
  /** false: written without a shape (unknown rank); `shape` is then ignored. */
  shapeKnown?: boolean;
}

export type OnnxAttributeValue = number | readonly number[] | string | OnnxTensor;

export interface OnnxAttribute {
  name: string;
  /** 'float' and 'int' disambiguate numbers (ONNX attributes are typed). */
  type: 'float' | 'int' | 'floats' | 'ints' | 'string' | 'tensor';
  value: OnnxAttributeValue;
}

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Operator set domain; '' (the default ONNX domain) when absent. */
  domain?: string;
  attributes?: readonly OnnxAttribute[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  docString?: string;
}

export interface OnnxModel {
  graph: OnnxGraph;
  opsetVersion: number;
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

/** Little-endian bytes of a typed array, independent of the platform's byte order. */
function littleEndianBytes(tensor: OnnxTensor): Uint8Array {
  const { data } = tensor;
  if (data instanceof Uint8Array || data instanceof Int8Array)
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const out = new Uint8Array(data.length * data.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (data instanceof Int32Array) data.forEach((v, i) => view.setInt32(i * 4, v, true));
  else if (data instanceof Uint16Array) data.forEach((v, i) => view.setUint16(i * 2, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return out;
}

function checkTensor(tensor: OnnxTensor): void {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (count !== tensor.data.length) {
    throw new RangeError(
      `tensor '${tensor.name}': dims [${tensor.dims.join(',')}] hold ${count} values, data has ${tensor.data.length}`,
    );
  }
}

function writeTensor(w: ProtoWriter, tensor: OnnxTensor): void {
  checkTensor(tensor);
  w.packedInts(1, tensor.dims);
  w.int(2, OnnxDataType[tensor.dataType]);
  w.string(8, tensor.name);
  w.bytes(9, littleEndianBytes(tensor));
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, OnnxDataType[info.elemType]);
      if (info.shapeKnown === false) return;
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}

function writeAttribute(w: ProtoWriter, attr: OnnxAttribute): void {
  w.string(1, attr.name);
  const v = attr.value;
  switch (attr.type) {
    case 'float':
      w.float(2, v as number);
      break;
    case 'int':
      w.int(3, v as number);
      break;
    case 'string':
      w.string(4, v as string);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, v as OnnxTensor));
      break;
    case 'floats':
      w.packedFloats(7, v as number[]);
      break;
    case 'ints':
      w.packedInts(8, v as number[]);
      break;
  }
  w.int(20, ATTRIBUTE_TYPE[attr.type]);
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  if (node.name) w.string(3, node.name);
  w.string(4, node.opType);
  for (const attr of node.attributes ?? []) w.message(5, (a) => writeAttribute(a, attr));
  if (node.domain) w.string(7, node.domain);
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const init of graph.initializers) w.message(5, (t) => writeTensor(t, init));
  if (graph.docString) w.string(10, graph.docString);
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

/** Serialises a model to the bytes of a .onnx file. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion ?? 8);
  if (model.producerName) w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => writeGraph(g, model.graph));
  w.message(8, (opset) => {
    opset.string(1, '');
    opset.int(2, model.opsetVersion);
  });
  return w.finish();
}
