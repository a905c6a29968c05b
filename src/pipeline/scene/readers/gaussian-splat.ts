/**
 * 3D Gaussian Splatting `.ply` (the INRIA trainer's `point_cloud.ply`): vertex x, y, z,
 * f_dc_0..2 (spherical-harmonics DC), f_rest_* , opacity (a logit), scale_*, rot_*. A splat
 * becomes one point at its centre with colour clamp(0.5 + SH_C0 · f_dc) (what the renderer shows
 * at degree 0) and is kept when sigmoid(opacity) ≥ the threshold. Only the columns used are
 * decoded (a degree-3 file has 62 properties per splat). Detected by its property names from
 * the PLY reader.
 */
import { ParseError, UnsupportedError } from '../../errors';
import { checkPointCount } from '../../budget/resource-budget';
import { SCAN_READER_DEFAULTS } from '../../defaults';
import type { PointCloud } from '../types';
import {
  asciiBodyDecoder,
  binaryBodyDecoder,
  checkCounts,
  type ColumnTarget,
  type ElementRouting,
} from './ply-body';
import { parsePlyHeader, type PlyHeader } from './ply-header';

/** The degree-0 spherical-harmonics basis constant, 1 / (2·sqrt(pi)). */
export const SH_C0 = 0.28209479177387814;

const REQUIRED = ['x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity'] as const;

/** True if the PLY's vertex element carries Gaussian-splat properties (f_dc_*, opacity). */
export function isGaussianSplatHeader(header: PlyHeader): boolean {
  const vertex = header.elements.find((e) => e.name === 'vertex');
  if (!vertex) return false;
  const names = new Set(vertex.properties.filter((p) => !p.countType).map((p) => p.name));
  return REQUIRED.every((n) => names.has(n));
}

export interface SplatCloud {
  cloud: PointCloud;
  /** Splats in the file, and splats kept after the opacity filter. */
  total: number;
  kept: number;
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** SH DC coefficient → 8-bit colour channel. */
export function shDcToByte(fdc: number): number {
  const v = Math.round((0.5 + SH_C0 * fdc) * 255);
  return v > 255 ? 255 : v >= 0 ? v : 0;
}

/** Parses a Gaussian-splat PLY held in memory; `file` names it in errors. */
export function parseGaussianSplatPly(
  bytes: Uint8Array,
  file: string,
  minOpacity: number = SCAN_READER_DEFAULTS.splatMinOpacity,
): SplatCloud {
  const header = parsePlyHeader(bytes, file);
  if (!isGaussianSplatHeader(header)) {
    throw new UnsupportedError(`${file}: not a Gaussian-splat PLY (needs ${REQUIRED.join(', ')})`);
  }
  checkCounts(header, bytes.byteLength - header.bodyOffset, file);
  const vertex = header.elements.find((e) => e.name === 'vertex')!;
  const n = checkPointCount(vertex.count, { file, byteOffset: 0 }, 'splat count');
  const columns = new Map<string, Float32Array>(
    REQUIRED.map((name) => [name, new Float32Array(n)]),
  );
  const decoder =
    header.format === 'ascii'
      ? asciiBodyDecoder(bytes, header, file)
      : binaryBodyDecoder(bytes, header, file);
  for (const el of header.elements) {
    const routing: ElementRouting = { columns: [], lists: [] };
    for (const p of el.properties) {
      const column = el === vertex && !p.countType ? columns.get(p.name) : undefined;
      const target: ColumnTarget | undefined = column
        ? { array: column, stride: 1, offset: 0 }
        : undefined;
      routing.columns.push(target);
      routing.lists.push(undefined);
    }
    decoder.element(el, routing);
  }
  const [x, y, z, r, g, b, opacity] = REQUIRED.map((name) => columns.get(name)!);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (sigmoid(opacity[i]) >= minOpacity && isFinite(x[i] + y[i] + z[i])) kept++;
  }
  const positions = new Float32Array(kept * 3);
  const colors = new Uint8Array(kept * 3);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!(sigmoid(opacity[i]) >= minOpacity && isFinite(x[i] + y[i] + z[i]))) continue;
    positions[k * 3] = x[i];
    positions[k * 3 + 1] = y[i];
    positions[k * 3 + 2] = z[i];
    colors[k * 3] = shDcToByte(r[i]);
    colors[k * 3 + 1] = shDcToByte(g[i]);
    colors[k * 3 + 2] = shDcToByte(b[i]);
    k++;
  }
  if (n > 0 && kept === 0) {
    throw new ParseError(
      { file, byteOffset: header.bodyOffset },
      `no splat is at least ${minOpacity} opaque (of ${n})`,
    );
  }
  return { cloud: { positions, colors }, total: n, kept };
}
