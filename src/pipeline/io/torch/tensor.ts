/**
 * What a PyTorch file holds once read: tensors (dtype, shape, C-order data) and the plain Python
 * values around them (dicts, lists, tuples, numbers, strings, bools, None).
 *
 * float16 and bfloat16 data are raw 16-bit patterns in a Uint16Array (no Float16Array in
 * Node 20), bool is one byte per element, int64 is a BigInt64Array.
 */

export type TorchDtype =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

export type TorchData =
  | Float32Array
  | Float64Array
  | Uint16Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

export interface TorchTensor {
  readonly kind: 'tensor';
  dtype: TorchDtype;
  shape: number[];
  /** Elements in C (row-major) order, a copy when the file's strides were not contiguous. */
  data: TorchData;
}

/** A Python tuple (lists are JS arrays). */
export interface PyTuple {
  readonly kind: 'tuple';
  items: PyValue[];
}

export type PyKey = string | number | bigint | boolean | null;

/** A Python dict (or collections.OrderedDict), keys in insertion order. */
export interface PyDict {
  readonly kind: 'dict';
  entries: Map<PyKey, PyValue>;
}

export type PyValue =
  null | boolean | number | bigint | string | TorchTensor | PyTuple | PyDict | PyValue[];

interface DtypeInfo {
  /** torch.<name>Storage, the class torch.save names in a storage's persistent id. */
  storage: string;
  itemSize: number;
  make(buffer: ArrayBuffer, byteOffset: number, length: number): TorchData;
}

export const TORCH_DTYPES: Record<TorchDtype, DtypeInfo> = {
  float32: { storage: 'FloatStorage', itemSize: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  float16: { storage: 'HalfStorage', itemSize: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  bfloat16: {
    storage: 'BFloat16Storage',
    itemSize: 2,
    make: (b, o, n) => new Uint16Array(b, o, n),
  },
  float64: { storage: 'DoubleStorage', itemSize: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  int64: { storage: 'LongStorage', itemSize: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
  int32: { storage: 'IntStorage', itemSize: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  int16: { storage: 'ShortStorage', itemSize: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  int8: { storage: 'CharStorage', itemSize: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  uint8: { storage: 'ByteStorage', itemSize: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  bool: { storage: 'BoolStorage', itemSize: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

const DTYPE_BY_STORAGE = new Map<string, TorchDtype>(
  (Object.keys(TORCH_DTYPES) as TorchDtype[]).map((d) => [TORCH_DTYPES[d].storage, d]),
);

/** The dtype of a `torch.<X>Storage` class name, or undefined. */
export function dtypeOfStorage(name: string): TorchDtype | undefined {
  return DTYPE_BY_STORAGE.get(name);
}

/** The JS array class each dtype's data must be (for the writer's checks). */
export function dataMatchesDtype(data: TorchData, dtype: TorchDtype): boolean {
  switch (dtype) {
    case 'float32':
      return data instanceof Float32Array;
    case 'float64':
      return data instanceof Float64Array;
    case 'float16':
    case 'bfloat16':
      return data instanceof Uint16Array;
    case 'int64':
      return data instanceof BigInt64Array;
    case 'int32':
      return data instanceof Int32Array;
    case 'int16':
      return data instanceof Int16Array;
    case 'int8':
      return data instanceof Int8Array;
    case 'uint8':
    case 'bool':
      return data instanceof Uint8Array;
  }
}

export function tensor(dtype: TorchDtype, shape: number[], data: TorchData): TorchTensor {
  return { kind: 'tensor', dtype, shape, data };
}

export function pyTuple(...items: PyValue[]): PyTuple {
  return { kind: 'tuple', items };
}

/** A dict from a JS object or entries (string keys keep their order). */
export function pyDict(entries: Record<string, PyValue> | Iterable<[PyKey, PyValue]>): PyDict {
  const map =
    Symbol.iterator in entries
      ? new Map(entries as Iterable<[PyKey, PyValue]>)
      : new Map(Object.entries(entries as Record<string, PyValue>));
  return { kind: 'dict', entries: map };
}

export function isTensor(v: PyValue | undefined): v is TorchTensor {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'tensor';
}

export function isDict(v: PyValue | undefined): v is PyDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'dict';
}

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
