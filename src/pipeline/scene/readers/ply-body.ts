/**
 * PLY body decoding into columns. Each property is routed to a column target (array, stride,
 * offset); fixed-size binary elements are decoded column by column with tight typed loops, and
 * ASCII or list-bearing elements row by row. Counts are checked against the bytes present before
 * anything is allocated.
 */
import { ParseError } from '../../errors';
import { BinaryReader } from '../../io/binary-reader';
import {
  TYPE_SIZE,
  fixedRowSize,
  minRowSize,
  type PlyElement,
  type PlyHeader,
  type PlyScalarType,
} from './ply-header';

export type NumericArray =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array;

/** Where one property's values go: target[offset + row*stride]. Undefined target = skip. */
export interface ColumnTarget {
  array: NumericArray;
  stride: number;
  offset: number;
}

/**
 * Called per list property row (e.g. a face's vertex indices); values is reused between rows.
 * Returns a reason string to reject the row (the decoder adds the file location).
 */
export type ListSink = (row: number, values: ArrayLike<number>, count: number) => string | void;

export interface ElementRouting {
  columns: (ColumnTarget | undefined)[];
  lists: (ListSink | undefined)[];
}

/** Checks that the declared counts can fit in the body; throws before any allocation. */
export function checkCounts(header: PlyHeader, bodyBytes: number, file: string): void {
  let needed = 0;
  for (const el of header.elements) {
    if (el.properties.length === 0) continue;
    // ASCII tokens need at least one character and one separator each.
    const perRow =
      header.format === 'ascii' ? el.properties.length * 2 : Math.max(1, minRowSize(el));
    needed += el.count * perRow;
    const slack = header.format === 'ascii' ? 1 : 0;
    if (needed > bodyBytes + slack) {
      throw new ParseError(
        { file, byteOffset: header.bodyOffset },
        `element "${el.name}" declares ${el.count} rows, more than the ${bodyBytes} body bytes can hold`,
      );
    }
  }
}

/** Body decoder for one file; call `element` once per element, in header order. */
export interface BodyDecoder {
  element(el: PlyElement, routing: ElementRouting): void;
}

export function binaryBodyDecoder(bytes: Uint8Array, header: PlyHeader, file: string): BodyDecoder {
  const le = header.format === 'binary_little_endian';
  const reader = new BinaryReader(bytes, file, 0, le);
  reader.seek(header.bodyOffset);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    element(el, routing) {
      if (el.properties.length === 0 || el.count === 0) return;
      const rowSize = fixedRowSize(el);
      if (rowSize !== undefined) {
        const start = reader.offset;
        reader.need(el.count * rowSize, `element "${el.name}"`);
        let propOffset = 0;
        el.properties.forEach((p, k) => {
          const target = routing.columns[k];
          if (target) readColumn(view, start + propOffset, rowSize, el.count, p.type, le, target);
          propOffset += TYPE_SIZE[p.type];
        });
        reader.skip(el.count * rowSize);
        return;
      }
      readRowsBinary(reader, el, routing);
    },
  };
}

function readColumn(
  view: DataView,
  start: number,
  rowSize: number,
  count: number,
  type: PlyScalarType,
  le: boolean,
  target: ColumnTarget,
): void {
  const out = target.array;
  const stride = target.stride;
  let p = start;
  let t = target.offset;
  // One specialised loop per type keeps each loop monomorphic.
  switch (type) {
    case 'float32':
      for (let i = 0; i < count; i++, p += rowSize, t += stride) out[t] = view.getFloat32(p, le);
      break;
    case 'float64':
      for (let i = 0; i < count; i++, p += rowSize, t += stride) out[t] = view.getFloat64(p, le);
      break;
    case 'uint8':
      for (let i = 0; i < count; i++, p += rowSize, t += stride) out[t] = view.getUint8(p);
      break;
    case 'int8':
      for (let i = 0; i < count; i++, p += rowSize, t += stride) out[t] = view.getInt8(p);
      break;
    case 'uint16':
      for (let i = 0; i < count; i++, p += rowSize, t += stride) out[t] = view.getUint16(p, le);
      break;
    case 'int16':
      for (let i = 0; i < count; i++, p += rowSize, t += stride) out[t] = view.getInt16(p, le);
      break;
    case 'uint32':
      for (let i = 0; i < count; i++, p += rowSize, t += stride) out[t] = view.getUint32(p, le);
      break;
    case 'int32':
      for (let i = 0; i < count; i++, p += rowSize, t += stride) out[t] = view.getInt32(p, le);
      break;
  }
}

const TYPE_CODE: Record<PlyScalarType, number> = {
  int8: 0,
  uint8: 1,
  int16: 2,
  uint16: 3,
  int32: 4,
  uint32: 5,
  float32: 6,
  float64: 7,
};

/** One value at byte `p` (bounds already checked by the caller). */
function scalarAt(view: DataView, p: number, code: number, le: boolean): number {
  switch (code) {
    case 0:
      return view.getInt8(p);
    case 1:
      return view.getUint8(p);
    case 2:
      return view.getInt16(p, le);
    case 3:
      return view.getUint16(p, le);
    case 4:
      return view.getInt32(p, le);
    case 5:
      return view.getUint32(p, le);
    case 6:
      return view.getFloat32(p, le);
    default:
      return view.getFloat64(p, le);
  }
}

/** Rows with list properties (faces): sequential, one bounds check per value group. */
function readRowsBinary(reader: BinaryReader, el: PlyElement, routing: ElementRouting): void {
  const bytes = reader.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = reader.littleEndian;
  const end = bytes.byteLength;
  const props = el.properties.map((p, k) => ({
    name: p.name,
    code: TYPE_CODE[p.type],
    size: TYPE_SIZE[p.type],
    countCode: p.countType ? TYPE_CODE[p.countType] : -1,
    countSize: p.countType ? TYPE_SIZE[p.countType] : 0,
    column: routing.columns[k],
    sink: routing.lists[k],
  }));
  let listBuf = new Float64Array(16);
  let pos = reader.offset;
  for (let row = 0; row < el.count; row++) {
    for (let k = 0; k < props.length; k++) {
      const p = props[k];
      if (p.countCode >= 0) {
        const at = pos;
        if (pos + p.countSize > end)
          throw reader.error(`unexpected end of data in list "${p.name}"`, pos);
        const n = scalarAt(view, pos, p.countCode, le);
        pos += p.countSize;
        if (n < 0) throw reader.error(`negative list length ${n} in element "${el.name}"`, at);
        const listBytes = n * p.size;
        if (pos + listBytes > end) {
          throw reader.error(`list "${p.name}" of ${n} values runs past the end of the file`, at);
        }
        if (p.sink) {
          if (n > listBuf.length) listBuf = new Float64Array(n);
          for (let j = 0; j < n; j++) listBuf[j] = scalarAt(view, pos + j * p.size, p.code, le);
          const problem = p.sink(row, listBuf, n);
          if (problem) throw reader.error(problem, at);
        }
        pos += listBytes;
      } else {
        if (pos + p.size > end)
          throw reader.error(`unexpected end of data reading "${p.name}"`, pos);
        if (p.column) {
          p.column.array[p.column.offset + row * p.column.stride] = scalarAt(view, pos, p.code, le);
        }
        pos += p.size;
      }
    }
  }
  reader.seek(pos);
}

export function asciiBodyDecoder(bytes: Uint8Array, header: PlyHeader, file: string): BodyDecoder {
  const text = new TextDecoder('latin1').decode(bytes.subarray(header.bodyOffset));
  // Line numbers for messages: the header's lines come first.
  let line = 1;
  for (let i = 0; i < header.bodyOffset; i++) if (bytes[i] === 0x0a) line++;
  let pos = 0;
  const n = text.length;

  const nextToken = (what: string): string => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      pos++;
    }
    if (pos >= n) throw new ParseError({ file, line }, `unexpected end of file reading ${what}`);
    const start = pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 13 || c === 10) break;
      pos++;
    }
    return text.slice(start, pos);
  };

  const nextNumber = (type: PlyScalarType, what: string): number => {
    const tok = nextToken(what);
    const v = Number(tok);
    if (Number.isNaN(v) && tok !== 'nan' && tok !== 'NaN') {
      throw new ParseError(
        { file, line },
        `expected a number for ${what}, got "${tok.slice(0, 32)}"`,
      );
    }
    if (type !== 'float32' && type !== 'float64' && !Number.isInteger(v)) {
      throw new ParseError(
        { file, line },
        `expected an integer for ${what}, got "${tok.slice(0, 32)}"`,
      );
    }
    return v;
  };

  let listBuf = new Float64Array(16);
  return {
    element(el, routing) {
      if (el.properties.length === 0) return;
      for (let row = 0; row < el.count; row++) {
        for (let k = 0; k < el.properties.length; k++) {
          const p = el.properties[k];
          if (p.countType) {
            const len = nextNumber(p.countType, `list length of "${p.name}"`);
            // Each value needs at least two characters; refuse lengths the text cannot hold.
            if (len < 0 || len * 2 > n - pos + 1) {
              throw new ParseError({ file, line }, `bad list length ${len} for "${p.name}"`);
            }
            if (len > listBuf.length) listBuf = new Float64Array(len);
            for (let j = 0; j < len; j++) listBuf[j] = nextNumber(p.type, `"${p.name}"`);
            const problem = routing.lists[k]?.(row, listBuf, len);
            if (problem) throw new ParseError({ file, line }, problem);
          } else {
            const v = nextNumber(p.type, `"${p.name}" of ${el.name} ${row}`);
            const target = routing.columns[k];
            if (target) target.array[target.offset + row * target.stride] = v;
          }
        }
      }
    },
  };
}
