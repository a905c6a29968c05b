/**
 * A bounds-checked protobuf reader for ONNX ModelProto (field numbers from onnx/onnx.proto).
 * Nodes, inputs, outputs and value_info are decoded eagerly (cheap: a ViT-B/32 has a few thousand
 * nodes); tensors (initializers and Constant `value` attributes) are only located, and decoded on
 * demand by `tensorData`, so a 350 MB model is never copied wholesale. Every length is checked
 * against the bytes that remain before it is used; anything malformed is a ModelError naming the
 * file and byte offset. A singular embedded message that appears twice is merged, as protobuf
 * requires (see `withExtraOutputs`).
 */
import { ModelError } from '../../errors';
import { ProtoWriter } from './protobuf-writer';
import {
  OnnxDataType,
  type OnnxDataTypeName,
  type OnnxDim,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-model';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const DATA_TYPE_NAMES = new Map<number, OnnxDataTypeName>(
  Object.entries(OnnxDataType).map(([name, code]) => [code, name as OnnxDataTypeName]),
);

/** A tensor located in the model bytes; decode it with `tensorData`. */
export interface TensorRef {
  readonly name: string;
  /** null when the data_type code is not a known ONNX type (see `dataTypeCode`). */
  readonly dataType: OnnxDataTypeName | null;
  readonly dataTypeCode: number;
  readonly dims: readonly number[];
  /** Product of dims. */
  readonly elementCount: number;
  /** Where the TensorProto message lies in the model bytes. */
  readonly byteOffset: number;
  readonly byteLength: number;
  /** @internal the model bytes and file name, for decoding and error messages. */
  readonly source: { readonly bytes: Uint8Array; readonly file: string };
}
/** Graph initializers are TensorRefs too. */
export type InitializerRef = TensorRef;

export type TensorData =
  | Float32Array
  | Float64Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array;

export type OnnxAttributeView =
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'tensor'; value: TensorRef }
  | { name: string; type: 'floats'; value: number[] }
  | { name: string; type: 'ints'; value: number[] }
  | { name: string; type: 'strings'; value: string[] }
  /** Graphs, sparse tensors, type protos: not decoded (CLIP exports have none). */
  | { name: string; type: 'unsupported'; typeCode: number };

export interface OnnxNodeView {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  /** '' is the default ONNX domain. */
  domain: string;
  attributes: OnnxAttributeView[];
}

/** A value's type: `shapeKnown` is false when the ValueInfoProto has no shape (unknown rank). */
export interface OnnxValueInfoView extends OnnxValueInfo {
  shape: OnnxDim[];
  shapeKnown: boolean;
}

export interface OnnxGraphView {
  name: string;
  nodes: OnnxNodeView[];
  inputs: OnnxValueInfoView[];
  outputs: OnnxValueInfoView[];
  valueInfo: OnnxValueInfoView[];
  /** In file order (Map iteration order). */
  initializers: Map<string, InitializerRef>;
  docString: string;
}

export interface OnnxModelView {
  file: string;
  irVersion: number;
  producerName: string;
  producerVersion: string;
  /** domain ('' = ai.onnx) → version. */
  opsetImports: Map<string, number>;
  graph: OnnxGraphView;
}

const decoder = new TextDecoder('utf-8');

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  fail(reason: string, at = this.pos): never {
    throw new ModelError(`${this.file} at byte ${at}: ${reason}`);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Unsigned varint as a bigint-free number when it fits 53 bits; else via BigInt. */
  varint(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint', start);
      const b = this.bytes[this.pos++];
      if (i < 7) {
        result += (b & 0x7f) * scale;
        scale *= 128;
        if (b < 0x80) return result;
      } else {
        // Past 49 bits: redo exactly with BigInt (negative int64s are 10-byte varints).
        this.pos = start;
        return Number(BigInt.asIntN(64, this.varint64()));
      }
    }
    return this.fail('varint longer than 10 bytes', start);
  }

  varint64(): bigint {
    const start = this.pos;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint', start);
      const b = this.bytes[this.pos++];
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    return this.fail('varint longer than 10 bytes', start);
  }

  /** A tag: [field number, wire type]. */
  tag(): [number, number] {
    const at = this.pos;
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field < 1 || field > 0x1fffffff) this.fail(`bad field number ${field}`, at);
    return [field, wire];
  }

  /** A length-delimited payload: [start, end] within the current bounds. */
  span(): [number, number] {
    const at = this.pos;
    const length = this.varint();
    if (length < 0 || length > this.end - this.pos) {
      this.fail(`length ${length} runs past the end (${this.end - this.pos} bytes left)`, at);
    }
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  sub(span: [number, number]): Reader {
    return new Reader(this.bytes, this.file, span[0], span[1]);
  }

  string(): string {
    const [s, e] = this.span();
    // ASCII fast path: TextDecoder costs microseconds per call, and names are short and ASCII.
    if (e - s <= 64) {
      let out = '';
      for (let i = s; i < e; i++) {
        const c = this.bytes[i];
        if (c >= 0x80) return decoder.decode(this.bytes.subarray(s, e));
        out += String.fromCharCode(c);
      }
      return out;
    }
    return decoder.decode(this.bytes.subarray(s, e));
  }

  float(): number {
    if (this.end - this.pos < 4) this.fail('truncated float');
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    scratch.setUint32(0, b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24), true);
    return scratch.getFloat32(0, true);
  }

  skip(wire: number): void {
    const at = this.pos;
    switch (wire) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_FIXED64:
        if (this.end - this.pos < 8) this.fail('truncated fixed64', at);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.span();
        return;
      case WIRE_FIXED32:
        if (this.end - this.pos < 4) this.fail('truncated fixed32', at);
        this.pos += 4;
        return;
      default:
        this.fail(`unsupported wire type ${wire}`, at);
    }
  }

  expect(wire: number, want: number, field: number, at: number): void {
    if (wire !== want) this.fail(`field ${field} has wire type ${wire}, expected ${want}`, at);
  }

  /** Repeated varint field, packed (wire 2) or not (wire 0). */
  pushVarints(wire: number, field: number, at: number, out: number[]): void {
    if (wire === WIRE_VARINT) out.push(this.varint());
    else if (wire === WIRE_LEN) {
      const r = this.sub(this.span());
      while (!r.done) out.push(r.varint());
    } else this.expect(wire, WIRE_VARINT, field, at);
  }

  /** Repeated float field, packed or not. */
  pushFloats(wire: number, field: number, at: number, out: number[]): void {
    if (wire === WIRE_FIXED32) out.push(this.float());
    else if (wire === WIRE_LEN) {
      const r = this.sub(this.span());
      if ((r.end - r.pos) % 4 !== 0) this.fail('packed floats not a multiple of 4 bytes', at);
      while (!r.done) out.push(r.float());
    } else this.expect(wire, WIRE_FIXED32, field, at);
  }
}

const scratch = new DataView(new ArrayBuffer(8));

// --- TensorProto ----------------------------------------------------------------------------

function readTensorRef(r: Reader, span: [number, number]): TensorRef {
  const t = r.sub(span);
  const dims: number[] = [];
  let dataTypeCode = 0;
  let name = '';
  let external = false;
  while (!t.done) {
    const at = t.pos;
    const [field, wire] = t.tag();
    if (field === 1) t.pushVarints(wire, field, at, dims);
    else if (field === 2 && wire === WIRE_VARINT) dataTypeCode = t.varint();
    else if (field === 8 && wire === WIRE_LEN) name = t.string();
    else if (field === 13) {
      external = true;
      t.skip(wire);
    } else if (field === 14 && wire === WIRE_VARINT) {
      if (t.varint() === 1) external = true;
    } else t.skip(wire);
  }
  if (external) {
    r.fail(`tensor '${name}' keeps its data in an external file, which is not supported`, span[0]);
  }
  let elementCount = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) r.fail(`tensor '${name}' has bad dim ${d}`, span[0]);
    elementCount *= d;
  }
  if (!Number.isSafeInteger(elementCount)) r.fail(`tensor '${name}' is too large`, span[0]);
  return {
    name,
    dataType: DATA_TYPE_NAMES.get(dataTypeCode) ?? null,
    dataTypeCode,
    dims,
    elementCount,
    byteOffset: span[0],
    byteLength: span[1] - span[0],
    source: { bytes: r.bytes, file: r.file },
  };
}

const RAW_ARRAYS = {
  float: Float32Array,
  double: Float64Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int8: Int8Array,
  float16: Uint16Array,
  uint16: Uint16Array,
  int16: Int16Array,
} as const;
type DecodableType = keyof typeof RAW_ARRAYS;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes a tensor's values into a fresh, aligned typed array (float16: half bit patterns). */
export function tensorData(ref: TensorRef): TensorData {
  const { bytes, file } = ref.source;
  const r = new Reader(bytes, file, ref.byteOffset, ref.byteOffset + ref.byteLength);
  const type = ref.dataType;
  if (type === null || !(type in RAW_ARRAYS)) {
    r.fail(`tensor '${ref.name}' has data type ${type ?? ref.dataTypeCode}, not supported`);
  }
  const Array_ = RAW_ARRAYS[type as DecodableType];
  const size = Array_.BYTES_PER_ELEMENT;
  const count = ref.elementCount;
  let raw: [number, number] | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const int64s: bigint[] = [];
  let doubles: number[] | undefined;
  while (!r.done) {
    const at = r.pos;
    const [field, wire] = r.tag();
    if (field === 9 && wire === WIRE_LEN) raw = r.span();
    else if (field === 4) r.pushFloats(wire, field, at, floats);
    else if (field === 5) r.pushVarints(wire, field, at, ints);
    else if (field === 7) {
      if (wire === WIRE_VARINT) int64s.push(BigInt.asIntN(64, r.varint64()));
      else if (wire === WIRE_LEN) {
        const p = r.sub(r.span());
        while (!p.done) int64s.push(BigInt.asIntN(64, p.varint64()));
      } else r.expect(wire, WIRE_VARINT, field, at);
    } else if (field === 10 && wire === WIRE_LEN) {
      const p = r.sub(r.span());
      if ((p.end - p.pos) % 8 !== 0) r.fail('packed doubles not a multiple of 8 bytes', at);
      doubles ??= [];
      for (; !p.done; p.pos += 8) {
        doubles.push(new DataView(bytes.buffer, bytes.byteOffset + p.pos, 8).getFloat64(0, true));
      }
    } else r.skip(wire);
  }
  const at = ref.byteOffset;
  const mismatch = (have: number): never =>
    r.fail(
      `tensor '${ref.name}': dims [${ref.dims.join(',')}] need ${count} values, found ${have}`,
      at,
    );
  if (raw) {
    const length = raw[1] - raw[0];
    if (length !== count * size) mismatch(length / size);
    // slice() copies into a fresh, aligned buffer in one pass (no zero-fill first).
    const copy = bytes.slice(raw[0], raw[1]);
    if (!littleEndian && size > 1) swapBytes(copy, size);
    return new Array_(copy.buffer, 0, count);
  }
  if (Array_ === Float32Array) {
    if (floats.length !== count) mismatch(floats.length);
    return Float32Array.from(floats);
  }
  if (Array_ === BigInt64Array) {
    if (int64s.length !== count) mismatch(int64s.length);
    return BigInt64Array.from(int64s);
  }
  if (Array_ === Float64Array) {
    const values = doubles ?? [];
    if (values.length !== count) mismatch(values.length);
    return Float64Array.from(values);
  }
  // int32_data also carries int8/uint8/int16/uint16/bool/float16 values, one per entry.
  if (ints.length !== count) mismatch(ints.length);
  return (Array_ as typeof Int32Array).from(ints);
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
}

/** A TensorRef decoded into the writer's OnnxTensor (for re-encoding with encodeOnnxModel). */
export function materializeTensor(ref: TensorRef): OnnxTensor {
  const data = tensorData(ref);
  if (data instanceof Float64Array || data instanceof Int16Array) {
    throw new ModelError(`tensor '${ref.name}' of type ${ref.dataType} cannot be re-encoded`);
  }
  return { name: ref.name, dataType: ref.dataType!, dims: ref.dims, data };
}

// --- ValueInfoProto -------------------------------------------------------------------------

interface TypeAcc {
  elemType: number;
  shapeKnown: boolean;
  shape: OnnxDim[];
}

function readShape(r: Reader, acc: TypeAcc): void {
  acc.shapeKnown = true;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_LEN) {
      const d = r.sub(r.span());
      let dim: OnnxDim = '?';
      while (!d.done) {
        const [f, w] = d.tag();
        if (f === 1 && w === WIRE_VARINT) dim = d.varint();
        else if (f === 2 && w === WIRE_LEN) dim = d.string();
        else d.skip(w);
      }
      acc.shape.push(dim);
    } else r.skip(wire);
  }
}

function readTensorType(r: Reader, acc: TypeAcc): void {
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_VARINT) acc.elemType = r.varint();
    else if (field === 2 && wire === WIRE_LEN) readShape(r.sub(r.span()), acc);
    else r.skip(wire);
  }
}

function readValueInfo(r: Reader, span: [number, number]): OnnxValueInfoView {
  const v = r.sub(span);
  let name = '';
  const acc: TypeAcc = { elemType: 0, shapeKnown: false, shape: [] };
  while (!v.done) {
    const [field, wire] = v.tag();
    if (field === 1 && wire === WIRE_LEN) name = v.string();
    else if (field === 2 && wire === WIRE_LEN) {
      const t = v.sub(v.span());
      while (!t.done) {
        const [f, w] = t.tag();
        if (f === 1 && w === WIRE_LEN) readTensorType(t.sub(t.span()), acc);
        else t.skip(w);
      }
    } else v.skip(wire);
  }
  const elemType = DATA_TYPE_NAMES.get(acc.elemType);
  if (!elemType)
    r.fail(`value '${name}' has no known tensor element type (${acc.elemType})`, span[0]);
  return { name, elemType, shape: acc.shape, shapeKnown: acc.shapeKnown };
}

// --- NodeProto / AttributeProto -------------------------------------------------------------

function readAttribute(r: Reader, span: [number, number]): OnnxAttributeView {
  const a = r.sub(span);
  let name = '';
  let type = 0;
  let f = 0;
  let i = 0;
  let s = '';
  let t: TensorRef | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: string[] = [];
  while (!a.done) {
    const at = a.pos;
    const [field, wire] = a.tag();
    if (field === 1 && wire === WIRE_LEN) name = a.string();
    else if (field === 20 && wire === WIRE_VARINT) type = a.varint();
    else if (field === 2 && wire === WIRE_FIXED32) f = a.float();
    else if (field === 3 && wire === WIRE_VARINT) i = a.varint();
    else if (field === 4 && wire === WIRE_LEN) s = a.string();
    else if (field === 5 && wire === WIRE_LEN) t = readTensorRef(a, a.span());
    else if (field === 7) a.pushFloats(wire, field, at, floats);
    else if (field === 8) a.pushVarints(wire, field, at, ints);
    else if (field === 9 && wire === WIRE_LEN) strings.push(a.string());
    else a.skip(wire);
  }
  switch (type) {
    case 1:
      return { name, type: 'float', value: f };
    case 2:
      return { name, type: 'int', value: i };
    case 3:
      return { name, type: 'string', value: s };
    case 4:
      if (!t) return r.fail(`attribute '${name}' is a tensor without one`, span[0]);
      return { name, type: 'tensor', value: t };
    case 6:
      return { name, type: 'floats', value: floats };
    case 7:
      return { name, type: 'ints', value: ints };
    case 8:
      return { name, type: 'strings', value: strings };
    default:
      return { name, type: 'unsupported', typeCode: type };
  }
}

function readNode(r: Reader, span: [number, number]): OnnxNodeView {
  const n = r.sub(span);
  const node: OnnxNodeView = {
    opType: '',
    inputs: [],
    outputs: [],
    name: '',
    domain: '',
    attributes: [],
  };
  while (!n.done) {
    const [field, wire] = n.tag();
    if (wire !== WIRE_LEN) n.skip(wire);
    else if (field === 1) node.inputs.push(n.string());
    else if (field === 2) node.outputs.push(n.string());
    else if (field === 3) node.name = n.string();
    else if (field === 4) node.opType = n.string();
    else if (field === 5) node.attributes.push(readAttribute(n, n.span()));
    else if (field === 7) node.domain = n.string();
    else n.skip(wire);
  }
  return node;
}

// --- GraphProto / ModelProto ----------------------------------------------------------------

/** Parses one GraphProto occurrence into `g` (repeated fields append: protobuf merge). */
function readGraphInto(r: Reader, g: OnnxGraphView): void {
  while (!r.done) {
    const [field, wire] = r.tag();
    if (wire !== WIRE_LEN) r.skip(wire);
    else if (field === 1) g.nodes.push(readNode(r, r.span()));
    else if (field === 2) g.name = r.string();
    else if (field === 5) {
      const ref = readTensorRef(r, r.span());
      g.initializers.set(ref.name, ref);
    } else if (field === 10) g.docString = r.string();
    else if (field === 11) g.inputs.push(readValueInfo(r, r.span()));
    else if (field === 12) g.outputs.push(readValueInfo(r, r.span()));
    else if (field === 13) g.valueInfo.push(readValueInfo(r, r.span()));
    else r.skip(wire);
  }
}

/** Reads a .onnx file's ModelProto. Tensor payloads stay in `bytes` (keep it alive). */
export function readOnnxModel(bytes: Uint8Array, file: string): OnnxModelView {
  const r = new Reader(bytes, file, 0, bytes.length);
  const graph: OnnxGraphView = {
    name: '',
    nodes: [],
    inputs: [],
    outputs: [],
    valueInfo: [],
    initializers: new Map(),
    docString: '',
  };
  const model: OnnxModelView = {
    file,
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    opsetImports: new Map(),
    graph,
  };
  let sawGraph = false;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_VARINT) model.irVersion = r.varint();
    else if (field === 2 && wire === WIRE_LEN) model.producerName = r.string();
    else if (field === 3 && wire === WIRE_LEN) model.producerVersion = r.string();
    else if (field === 7 && wire === WIRE_LEN) {
      sawGraph = true;
      readGraphInto(r.sub(r.span()), graph);
    } else if (field === 8 && wire === WIRE_LEN) {
      const o = r.sub(r.span());
      let domain = '';
      let version = 0;
      while (!o.done) {
        const [f, w] = o.tag();
        if (f === 1 && w === WIRE_LEN) domain = o.string();
        else if (f === 2 && w === WIRE_VARINT) version = o.varint();
        else o.skip(w);
      }
      model.opsetImports.set(domain === 'ai.onnx' ? '' : domain, version);
    } else r.skip(wire);
  }
  if (!sawGraph) r.fail('no graph in the model', 0);
  return model;
}

/**
 * Returns `bytes` with a second ModelProto.graph field appended that holds only `outputs`
 * (element type set, shape unknown). Protobuf merges repeated singular messages, so a runtime
 * sees the original graph with these values added as graph outputs; the model is not re-encoded.
 */
export function withExtraOutputs(
  bytes: Uint8Array,
  outputs: readonly { name: string; elemType: OnnxDataTypeName }[],
): Uint8Array {
  const w = new ProtoWriter();
  w.message(7, (g) => {
    for (const o of outputs) {
      g.message(12, (v) => {
        v.string(1, o.name);
        v.message(2, (type) => type.message(1, (tt) => tt.int(1, OnnxDataType[o.elemType])));
      });
    }
  });
  const tail = w.finish();
  const out = new Uint8Array(bytes.length + tail.length);
  out.set(bytes);
  out.set(tail, bytes.length);
  return out;
}
