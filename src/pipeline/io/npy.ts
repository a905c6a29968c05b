/**
 * NumPy `.npy` reader and writer (format versions 1.0, 2.0 and 3.0; C order; little-endian
 * dtypes only), the format 3D-LLM and OpenScene users load features from.
 *
 * float16 data is carried as raw IEEE half bits in a Uint16Array (JS has no Float16Array in
 * Node 20); `float32ToFloat16Bits` / `float16BitsToFloat32` convert.
 */
import { ParseError, UnsupportedError } from '../errors';
import {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  fromFloat16Array,
  toFloat16Array,
} from './float16';

export { float16BitsToFloat32, float32ToFloat16Bits, fromFloat16Array, toFloat16Array };

export type NpyDtype = '<f4' | '<f2' | '|u1' | '<u2' | '<i4' | '<f8';

export type NpyData = Float32Array | Uint16Array | Uint8Array | Int32Array | Float64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Elements in C order; for '<f2' the raw half-float bits. */
  data: NpyData;
  /** Byte offset of the array data in the file (for errors about a value). */
  dataOffset?: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const ITEM_SIZE: Record<NpyDtype, number> = {
  '<f4': 4,
  '<f2': 2,
  '|u1': 1,
  '<u2': 2,
  '<i4': 4,
  '<f8': 8,
};

/** Spellings numpy also writes for the same layouts. */
const DTYPE_ALIASES: Record<string, NpyDtype> = {
  '<f4': '<f4',
  '<f2': '<f2',
  '|u1': '|u1',
  '<u1': '|u1',
  '|b1': '|u1',
  '<u2': '<u2',
  '<i4': '<i4',
  '<f8': '<f8',
};

/** Header dictionaries longer than this are not something numpy writes for our arrays. */
const MAX_HEADER_BYTES = 1 << 16;

function elementCount(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function expectedArrayType(dtype: NpyDtype): string {
  switch (dtype) {
    case '<f4':
      return 'Float32Array';
    case '<f2':
    case '<u2':
      return 'Uint16Array';
    case '|u1':
      return 'Uint8Array';
    case '<i4':
      return 'Int32Array';
    case '<f8':
      return 'Float64Array';
  }
}

/** Serialises an array as a version 1.0 .npy file (2.0 if the header needs it). */
export function writeNpy(data: NpyData, shape: number[], dtype: NpyDtype): Uint8Array {
  const want = expectedArrayType(dtype);
  if (data.constructor.name !== want) {
    throw new UnsupportedError(
      `writeNpy: dtype ${dtype} needs a ${want}, got ${data.constructor.name}`,
    );
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new UnsupportedError(`writeNpy: bad shape [${shape.join(', ')}]`);
  }
  if (elementCount(shape) !== data.length) {
    throw new UnsupportedError(
      `writeNpy: shape [${shape.join(', ')}] has ${elementCount(shape)} elements, data has ${data.length}`,
    );
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = 1;
  let prefix = 10;
  let total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 0xffff) {
    version = 2;
    prefix = 12;
    total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  }
  const headerLen = total - prefix;
  const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(total + payload.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  for (let i = 0; i < headerLen - 1; i++)
    out[prefix + i] = i < dict.length ? dict.charCodeAt(i) : 0x20;
  out[total - 1] = 0x0a;
  out.set(payload, total);
  return out;
}

function fail(file: string, byteOffset: number, reason: string): never {
  throw new ParseError({ file, byteOffset }, reason);
}

interface HeaderFields {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** Parses numpy's header dict literal; strict: only the three keys numpy writes. */
function parseHeaderDict(text: string, file: string, offset: number): HeaderFields {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape)
    fail(file, offset, 'npy header dict lacks descr, fortran_order or shape');
  const dims: number[] = [];
  for (const part of shape[1].split(',')) {
    const t = part.trim();
    if (t === '') continue;
    if (!/^\d{1,15}$/.test(t))
      fail(file, offset, `npy shape has a bad dimension '${t.slice(0, 20)}'`);
    dims.push(Number(t));
  }
  return { descr: descr[1], fortranOrder: fortran[1] === 'True', shape: dims };
}

/** Parses a .npy file. Throws ParseError (with byte offset) or UnsupportedError. */
export function readNpy(bytes: Uint8Array, file = 'array.npy'): NpyArray {
  if (bytes.length < 10) fail(file, bytes.length, 'file too short for a .npy header');
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) fail(file, i, 'not a .npy file (bad magic)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let prefix: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    prefix = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail(file, bytes.length, 'file too short for a .npy v2 header');
    headerLen = view.getUint32(8, true);
    prefix = 12;
  } else {
    fail(file, 6, `unsupported .npy version ${major}.${bytes[7]}`);
  }
  if (headerLen > MAX_HEADER_BYTES) fail(file, 8, `npy header length ${headerLen} is absurd`);
  const dataOffset = prefix + headerLen;
  if (dataOffset > bytes.length) fail(file, bytes.length, 'file ends inside the .npy header');
  let text = '';
  for (let i = prefix; i < dataOffset; i++) {
    const c = bytes[i];
    if (c > 0x7e || (c < 0x20 && c !== 0x0a && c !== 0x09))
      fail(file, i, 'non-ASCII byte in .npy header');
    text += String.fromCharCode(c);
  }
  const header = parseHeaderDict(text, file, prefix);
  const dtype = DTYPE_ALIASES[header.descr];
  if (!dtype) {
    throw new UnsupportedError(
      `${file}: .npy dtype '${header.descr.slice(0, 16)}' is not supported (use <f4, <f2, |u1, <u2, <i4, <f8)`,
    );
  }
  if (header.fortranOrder)
    throw new UnsupportedError(`${file}: Fortran-order .npy arrays are not supported`);
  const itemSize = ITEM_SIZE[dtype];
  // Check the count against the file size before allocating anything.
  const available = bytes.length - dataOffset;
  let count = 1;
  const dims = header.shape.includes(0) ? [0] : header.shape;
  for (const d of dims) {
    count *= d;
    if (count * itemSize > available) {
      fail(
        file,
        bytes.length,
        `shape [${header.shape.join(', ')}] needs more bytes than the file has`,
      );
    }
  }
  const byteLength = count * itemSize;
  if (byteLength !== available) {
    fail(
      file,
      dataOffset + byteLength,
      `${available - byteLength} unexpected bytes after the array data`,
    );
  }
  // Copy so the typed array is aligned regardless of the header length.
  const raw = bytes.slice(dataOffset, dataOffset + byteLength).buffer;
  let data: NpyData;
  switch (dtype) {
    case '<f4':
      data = new Float32Array(raw);
      break;
    case '<f2':
    case '<u2':
      data = new Uint16Array(raw);
      break;
    case '|u1':
      data = new Uint8Array(raw);
      break;
    case '<i4':
      data = new Int32Array(raw);
      break;
    case '<f8':
      data = new Float64Array(raw);
      break;
  }
  return { dtype, shape: header.shape, data, dataOffset };
}
