/**
 * PLY header parsing: format, elements and their properties, with each problem reported as a
 * ParseError naming the header line.
 */
import { ParseError } from '../../errors';

export type PlyFormat = 'ascii' | 'binary_little_endian' | 'binary_big_endian';

export type PlyScalarType =
  'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

const TYPE_ALIASES: Record<string, PlyScalarType> = {
  char: 'int8',
  int8: 'int8',
  uchar: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};

export const TYPE_SIZE: Record<PlyScalarType, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
};

export interface PlyProperty {
  name: string;
  type: PlyScalarType;
  /** For list properties: the type of the per-row count. */
  countType?: PlyScalarType;
}

export interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

export interface PlyHeader {
  format: PlyFormat;
  elements: PlyElement[];
  comments: string[];
  /** Byte offset of the first body byte (just after `end_header` and its newline). */
  bodyOffset: number;
}

/** Headers are small; a file whose header runs past this is not a PLY we can read. */
const MAX_HEADER_BYTES = 1 << 20;

/** Parses the header; `file` names the file in errors. */
export function parsePlyHeader(bytes: Uint8Array, file: string): PlyHeader {
  const scanEnd = Math.min(bytes.byteLength, MAX_HEADER_BYTES);
  // Header is ASCII; find "end_header" followed by a newline.
  const marker = 'end_header';
  let bodyOffset = -1;
  let headerEnd = -1;
  for (let i = 0; i + marker.length <= scanEnd; i++) {
    if (bytes[i] !== 0x65 /* e */) continue;
    let match = true;
    for (let k = 1; k < marker.length; k++) {
      if (bytes[i + k] !== marker.charCodeAt(k)) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    // Must start a line.
    if (i > 0 && bytes[i - 1] !== 0x0a && bytes[i - 1] !== 0x0d) continue;
    let j = i + marker.length;
    while (j < bytes.byteLength && (bytes[j] === 0x20 || bytes[j] === 0x09)) j++;
    if (bytes[j] === 0x0d) j++;
    if (bytes[j] === 0x0a) j++;
    headerEnd = i;
    bodyOffset = j;
    break;
  }
  if (bytes.byteLength < 4 || String.fromCharCode(bytes[0], bytes[1], bytes[2]) !== 'ply') {
    throw new ParseError({ file, byteOffset: 0 }, 'not a PLY file (missing "ply" magic)');
  }
  if (headerEnd < 0) {
    throw new ParseError({ file, byteOffset: scanEnd }, 'PLY header has no end_header line');
  }
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, headerEnd));
  const lines = text.split(/\r?\n|\r/);
  if (lines[0].trim() !== 'ply') {
    throw new ParseError({ file, line: 1 }, 'not a PLY file (first line is not "ply")');
  }
  let format: PlyFormat | undefined;
  const elements: PlyElement[] = [];
  const comments: string[] = [];
  for (let li = 1; li < lines.length; li++) {
    const lineNo = li + 1;
    const raw = lines[li];
    const words = raw.trim().split(/\s+/);
    const kw = words[0];
    const fail = (reason: string) => new ParseError({ file, line: lineNo }, reason);
    if (kw === '' || kw === undefined) continue;
    if (kw === 'comment' || kw === 'obj_info') {
      comments.push(raw.trim().slice(kw.length).trim());
    } else if (kw === 'format') {
      const f = words[1];
      if (f !== 'ascii' && f !== 'binary_little_endian' && f !== 'binary_big_endian') {
        throw fail(`unknown PLY format "${f ?? ''}"`);
      }
      if (words[2] !== undefined && words[2] !== '1.0')
        throw fail(`unsupported PLY version ${words[2]}`);
      format = f;
    } else if (kw === 'element') {
      if (words.length !== 3) throw fail('expected "element <name> <count>"');
      const count = Number(words[2]);
      if (!/^\d+$/.test(words[2]) || !Number.isSafeInteger(count)) {
        throw fail(`bad element count "${words[2]}"`);
      }
      elements.push({ name: words[1], count, properties: [] });
    } else if (kw === 'property') {
      const el = elements[elements.length - 1];
      if (!el) throw fail('property before any element');
      if (words[1] === 'list') {
        if (words.length !== 5) throw fail('expected "property list <count type> <type> <name>"');
        const countType = TYPE_ALIASES[words[2]];
        const type = TYPE_ALIASES[words[3]];
        if (!countType || !type) throw fail(`unknown property type in "${raw.trim()}"`);
        if (countType === 'float32' || countType === 'float64') {
          throw fail('list count type must be an integer type');
        }
        el.properties.push({ name: words[4], type, countType });
      } else {
        if (words.length !== 3) throw fail('expected "property <type> <name>"');
        const type = TYPE_ALIASES[words[1]];
        if (!type) throw fail(`unknown property type "${words[1]}"`);
        el.properties.push({ name: words[2], type });
      }
    } else {
      throw fail(`unknown header keyword "${kw}"`);
    }
  }
  if (!format) throw new ParseError({ file, line: 2 }, 'PLY header has no format line');
  return { format, elements, comments, bodyOffset };
}

/** Bytes of one row when the element has no list properties, else undefined. */
export function fixedRowSize(el: PlyElement): number | undefined {
  let size = 0;
  for (const p of el.properties) {
    if (p.countType) return undefined;
    size += TYPE_SIZE[p.type];
  }
  return size;
}

/** The smallest possible row in bytes (lists empty), for count-vs-size checks. */
export function minRowSize(el: PlyElement): number {
  let size = 0;
  for (const p of el.properties) size += TYPE_SIZE[p.countType ?? p.type];
  return size;
}
