/**
 * PLY writer (binary little endian, or ascii for tests): every PointCloud attribute, so
 * parsePly(writePly(cloud)) gives the cloud back exactly. Used by the scene bundle, the demo room,
 * export and tests.
 */
import type { PointCloud } from '../types';
import { TYPE_SIZE, type PlyScalarType } from './ply-header';

export interface PlyWriteOptions {
  format?: 'binary_little_endian' | 'binary_big_endian' | 'ascii';
  comments?: string[];
  /** Extra per-vertex columns (one value per vertex), written as the given type. */
  extraVertexProperties?: Record<string, { type: PlyScalarType; values: ArrayLike<number> }>;
}

const PLY_TYPE_NAME: Record<PlyScalarType, string> = {
  int8: 'char',
  uint8: 'uchar',
  int16: 'short',
  uint16: 'ushort',
  int32: 'int',
  uint32: 'uint',
  float32: 'float',
  float64: 'double',
};

interface Column {
  name: string;
  type: PlyScalarType;
  values: ArrayLike<number>;
  stride: number;
  offset: number;
}

export function writePly(cloud: PointCloud, options: PlyWriteOptions = {}): Uint8Array {
  const format = options.format ?? 'binary_little_endian';
  const n = cloud.positions.length / 3;
  const cols: Column[] = [];
  const add3 = (names: string[], type: PlyScalarType, values: ArrayLike<number>) =>
    names.forEach((name, k) => cols.push({ name, type, values, stride: 3, offset: k }));
  add3(['x', 'y', 'z'], 'float32', cloud.positions);
  if (cloud.normals) add3(['nx', 'ny', 'nz'], 'float32', cloud.normals);
  add3(['red', 'green', 'blue'], 'uint8', cloud.colors);
  if (cloud.semanticIds) {
    cols.push({ name: 'label', type: 'int32', values: cloud.semanticIds, stride: 1, offset: 0 });
  }
  if (cloud.instanceIds) {
    cols.push({ name: 'instance', type: 'int32', values: cloud.instanceIds, stride: 1, offset: 0 });
  }
  for (const [name, extra] of Object.entries(options.extraVertexProperties ?? {})) {
    cols.push({ name, type: extra.type, values: extra.values, stride: 1, offset: 0 });
  }
  const faceCount = cloud.faces ? cloud.faces.length / 3 : 0;

  const lines = ['ply', `format ${format} 1.0`];
  for (const c of options.comments ?? []) lines.push(`comment ${c.replace(/[\r\n]+/g, ' ')}`);
  lines.push(`element vertex ${n}`);
  for (const c of cols) lines.push(`property ${PLY_TYPE_NAME[c.type]} ${c.name}`);
  if (cloud.faces) {
    lines.push(`element face ${faceCount}`, 'property list uchar uint vertex_indices');
  }
  lines.push('end_header', '');
  const headerBytes = new TextEncoder().encode(lines.join('\n'));

  if (format === 'ascii') return writeAscii(headerBytes, cols, n, cloud.faces);

  const le = format === 'binary_little_endian';
  const rowSize = cols.reduce((s, c) => s + TYPE_SIZE[c.type], 0);
  const total = headerBytes.length + n * rowSize + faceCount * 13;
  const out = new Uint8Array(total);
  out.set(headerBytes);
  const view = new DataView(out.buffer);
  let colOffset = headerBytes.length;
  for (const c of cols) {
    writeColumn(view, colOffset, rowSize, n, c, le);
    colOffset += TYPE_SIZE[c.type];
  }
  let p = headerBytes.length + n * rowSize;
  const faces = cloud.faces;
  for (let f = 0; f < faceCount; f++) {
    view.setUint8(p, 3);
    view.setUint32(p + 1, faces![f * 3], le);
    view.setUint32(p + 5, faces![f * 3 + 1], le);
    view.setUint32(p + 9, faces![f * 3 + 2], le);
    p += 13;
  }
  return out;
}

function writeColumn(
  view: DataView,
  start: number,
  rowSize: number,
  n: number,
  c: Column,
  le: boolean,
): void {
  const v = c.values;
  let p = start;
  let s = c.offset;
  for (let i = 0; i < n; i++, p += rowSize, s += c.stride) {
    const x = v[s];
    switch (c.type) {
      case 'float32':
        view.setFloat32(p, x, le);
        break;
      case 'float64':
        view.setFloat64(p, x, le);
        break;
      case 'uint8':
        view.setUint8(p, x);
        break;
      case 'int8':
        view.setInt8(p, x);
        break;
      case 'uint16':
        view.setUint16(p, x, le);
        break;
      case 'int16':
        view.setInt16(p, x, le);
        break;
      case 'uint32':
        view.setUint32(p, x, le);
        break;
      case 'int32':
        view.setInt32(p, x, le);
        break;
    }
  }
}

function writeAscii(
  header: Uint8Array,
  cols: Column[],
  n: number,
  faces: Uint32Array | undefined,
): Uint8Array {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    // Float32 values printed with enough digits to round-trip exactly.
    rows.push(
      cols
        .map((c) => {
          const x = c.values[c.offset + i * c.stride];
          return c.type === 'float32' ? String(Math.fround(x)) : String(x);
        })
        .join(' '),
    );
  }
  if (faces) {
    for (let f = 0; f < faces.length; f += 3)
      rows.push(`3 ${faces[f]} ${faces[f + 1]} ${faces[f + 2]}`);
  }
  const body = new TextEncoder().encode(rows.join('\n') + '\n');
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}
