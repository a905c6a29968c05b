/**
 * ASPRS LAS 1.0–1.4 point clouds, point data formats 0–3 and 6–8: integer X, Y, Z times the
 * header's scale plus its offset, RGB when the format has it (16-bit channels reduced to 8 bits;
 * files that store 0..255 in them are kept as they are), classification → semanticIds.
 * Coordinates far from the origin (UTM, state plane) are shifted to the cloud's minimum corner so
 * float32 keeps millimetres; the shift is reported as a warning. LAZ (LASzip-compressed) files
 * are decompressed by the host's laz-perf (laz.ts) and then read the same way; parseLas itself
 * refuses compressed bytes with an UnsupportedError.
 */
import { ParseError, UnsupportedError, throwIfAborted } from '../../errors';
import { checkAllocation, checkPointCount } from '../../budget/resource-budget';
import { SCAN_READER_DEFAULTS } from '../../defaults';
import type { FileSource } from '../../io/file-source';
import { basename } from '../../io/file-source';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { PointCloud, Scene } from '../types';
import { decompressLaz, isLazCompressed } from './laz';
import { lasUnits, type LasUnits } from './las-units';
import { sourcePath } from './ply';
import { warningSink } from './rgbd-frame';

/** Per point format: minimum record bytes, RGB offset (if any), classification offset. */
const POINT_FORMATS: Record<number, { size: number; rgb?: number; classification: number }> = {
  0: { size: 20, classification: 15 },
  1: { size: 28, classification: 15 },
  2: { size: 26, rgb: 20, classification: 15 },
  3: { size: 34, rgb: 28, classification: 15 },
  6: { size: 30, classification: 16 },
  7: { size: 36, rgb: 30, classification: 16 },
  8: { size: 38, rgb: 30, classification: 16 },
};

const MIN_HEADER_BYTES = 227;

export interface LasHeader {
  versionMajor: number;
  versionMinor: number;
  pointFormat: number;
  recordLength: number;
  pointOffset: number;
  pointCount: number;
  scale: [number, number, number];
  offset: [number, number, number];
}

export interface ParsedLas {
  header: LasHeader;
  cloud: PointCloud;
  hasColors: boolean;
  /** Subtracted from every coordinate (zero unless the cloud was far from the origin). */
  shift: [number, number, number];
  /** The units the file declared (its coordinates are converted from them to metres). */
  units: LasUnits;
}

export function parseLasHeader(bytes: Uint8Array, file: string): LasHeader {
  const fail = (byteOffset: number, reason: string) => new ParseError({ file, byteOffset }, reason);
  if (bytes.byteLength < 4 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'LASF') {
    throw fail(0, 'not a LAS file (missing "LASF" signature)');
  }
  if (bytes.byteLength < MIN_HEADER_BYTES) throw fail(bytes.byteLength, 'LAS header is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const versionMajor = bytes[24];
  const versionMinor = bytes[25];
  if (versionMajor !== 1 || versionMinor > 4) {
    throw fail(24, `unsupported LAS version ${versionMajor}.${versionMinor}`);
  }
  const headerSize = view.getUint16(94, true);
  const pointOffset = view.getUint32(96, true);
  const formatByte = bytes[104];
  const recordLength = view.getUint16(105, true);
  if (formatByte & 0xc0) {
    throw new UnsupportedError(
      `${file}: LAZ-compressed point data is not supported; decompress it first ` +
        `(e.g. \`laszip -i in.laz -o out.las\` or \`pdal translate in.laz out.las\`)`,
    );
  }
  const spec = POINT_FORMATS[formatByte];
  if (!spec)
    throw new UnsupportedError(
      `${file}: LAS point data format ${formatByte} is not supported (0–3, 6–8 are)`,
    );
  if (headerSize < MIN_HEADER_BYTES || headerSize > bytes.byteLength) {
    throw fail(94, `header size ${headerSize} is outside ${MIN_HEADER_BYTES}..${bytes.byteLength}`);
  }
  if (pointOffset < headerSize || pointOffset > bytes.byteLength) {
    throw fail(
      96,
      `offset to point data ${pointOffset} is outside ${headerSize}..${bytes.byteLength}`,
    );
  }
  if (recordLength < spec.size) {
    throw fail(
      105,
      `point record length ${recordLength} is below format ${formatByte}'s ${spec.size} bytes`,
    );
  }
  let pointCount = view.getUint32(107, true);
  if (versionMinor >= 4 && headerSize >= 255) {
    const extended = Number(view.getBigUint64(247, true));
    if (extended > 0 || pointCount === 0) pointCount = extended;
  }
  if (pointCount * recordLength > bytes.byteLength - pointOffset) {
    throw fail(
      107,
      `${pointCount} points of ${recordLength} bytes do not fit in the ${bytes.byteLength - pointOffset} bytes after offset ${pointOffset}`,
    );
  }
  checkPointCount(pointCount, { file, byteOffset: 107 });
  const f64 = (at: number) => view.getFloat64(at, true);
  const scale: [number, number, number] = [f64(131), f64(139), f64(147)];
  const offset: [number, number, number] = [f64(155), f64(163), f64(171)];
  if (!scale.every((s) => Number.isFinite(s) && s !== 0) || !offset.every(Number.isFinite)) {
    throw fail(
      131,
      `scale ${scale.join(' ')} / offset ${offset.join(' ')} must be finite, scale non-zero`,
    );
  }
  return {
    versionMajor,
    versionMinor,
    pointFormat: formatByte,
    recordLength,
    pointOffset,
    pointCount,
    scale,
    offset,
  };
}

export function parseLas(
  bytes: Uint8Array,
  file: string,
  options: { signal?: AbortSignal } = {},
): ParsedLas {
  const header = parseLasHeader(bytes, file);
  const { pointCount: n, recordLength, pointOffset, scale, offset } = header;
  const spec = POINT_FORMATS[header.pointFormat];
  const units = lasUnits(bytes, file);
  // Z is in the horizontal unit unless a vertical one is declared.
  const horizontal = units.horizontal?.metres ?? 1;
  const toMetres = [horizontal, horizontal, units.vertical?.metres ?? horizontal];
  checkAllocation(n * 3 * 8, { file, byteOffset: 107 }, `${n} LAS points`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const world = new Float64Array(n * 3);
  const min = [Infinity, Infinity, Infinity];
  let far = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 0xfffff) === 0) throwIfAborted(options.signal);
    const at = pointOffset + i * recordLength;
    for (let c = 0; c < 3; c++) {
      const v = (view.getInt32(at + c * 4, true) * scale[c] + offset[c]) * toMetres[c];
      world[i * 3 + c] = v;
      if (v < min[c]) min[c] = v;
      if (Math.abs(v) > far) far = Math.abs(v);
    }
  }
  const shift: [number, number, number] =
    n > 0 && far > SCAN_READER_DEFAULTS.lasRecentreAbove ? [min[0], min[1], min[2]] : [0, 0, 0];
  const positions = new Float32Array(n * 3);
  for (let i = 0; i < n * 3; i++) {
    positions[i] = world[i] - shift[i % 3];
    // A huge scale or offset overflows float64 or float32: every later stage needs finite metres.
    if (!Number.isFinite(positions[i])) {
      throw new ParseError(
        { file, byteOffset: pointOffset + Math.floor(i / 3) * recordLength + (i % 3) * 4 },
        `point ${Math.floor(i / 3)} has a non-finite coordinate after scale and offset (${world[i]})`,
      );
    }
  }
  const colors = new Uint8Array(n * 3);
  const semanticIds = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const raw = bytes[pointOffset + i * recordLength + spec.classification];
    // Formats 0–5 keep flag bits (synthetic, key-point, withheld) above the 5-bit class.
    semanticIds[i] = header.pointFormat < 6 ? raw & 0x1f : raw;
  }
  const hasColors = spec.rgb !== undefined;
  if (spec.rgb !== undefined) {
    let max = 0;
    for (let i = 0; i < n; i++) {
      const at = pointOffset + i * recordLength + spec.rgb;
      for (let c = 0; c < 3; c++) max = Math.max(max, view.getUint16(at + c * 2, true));
    }
    const divisor = max > 255 ? 257 : 1;
    for (let i = 0; i < n; i++) {
      const at = pointOffset + i * recordLength + spec.rgb;
      for (let c = 0; c < 3; c++)
        colors[i * 3 + c] = Math.round(view.getUint16(at + c * 2, true) / divisor);
    }
  } else colors.fill(180);
  return { header, cloud: { positions, colors, semanticIds }, hasColors, shift, units };
}

const isLas = (p: string) => /\.la[sz]$/i.test(p);

export const lasReader: SceneReader = {
  format: 'las',
  detect: (paths) => paths.some(isLas),
  async read(source: FileSource, paths: string[], options: OpenSceneOptions): Promise<Scene> {
    const { warnings, warn } = warningSink(options);
    const all = paths.filter(isLas);
    const path = all[0];
    if (all.length > 1) warn(`${all.length} LAS/LAZ files found; reading ${path}`);
    const file = sourcePath(source, path);
    let bytes = await source.read(path);
    if (isLazCompressed(bytes)) bytes = await decompressLaz(bytes, file, options);
    const parsed = parseLas(bytes, file, options);
    if (!parsed.hasColors)
      warn(`${path} has no RGB (point format ${parsed.header.pointFormat}); shown in grey`);
    const { horizontal, vertical } = parsed.units;
    if ((horizontal && horizontal.metres !== 1) || (vertical && vertical.metres !== 1)) {
      const name = (u?: { name: string }) => u?.name ?? horizontal?.name ?? 'metre';
      warn(
        `${path} declares coordinates in ${name(horizontal)} (horizontal) and ${name(vertical)} (vertical); converted to metres`,
      );
    }
    if (parsed.shift.some((s) => s !== 0)) {
      warn(
        `coordinates shifted by −(${parsed.shift.map((s) => s.toFixed(3)).join(', ')}) to keep float32 precision`,
      );
    }
    return {
      name: basename(path).replace(/\.la[sz]$/i, ''),
      format: 'las',
      cloud: parsed.cloud,
      frames: [],
      warnings,
    };
  },
};
