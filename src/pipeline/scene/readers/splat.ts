/**
 * antimatter15 `.splat` (the WebGL splat viewer's format): 32 bytes per splat, little endian —
 * position 3×f32, scale 3×f32, colour RGBA 4×u8 (alpha = opacity·255), rotation 4×u8. Each splat
 * becomes one point at its centre with its RGB, kept when alpha/255 ≥ the opacity threshold.
 */
import { ParseError, throwIfAborted } from '../../errors';
import { checkPointCount } from '../../budget/resource-budget';
import { SCAN_READER_DEFAULTS } from '../../defaults';
import type { FileSource } from '../../io/file-source';
import { basename } from '../../io/file-source';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { Scene } from '../types';
import type { SplatCloud } from './gaussian-splat';
import { sourcePath } from './ply';
import { warningSink } from './rgbd-frame';

export const SPLAT_RECORD_BYTES = 32;

export function parseSplat(
  bytes: Uint8Array,
  file: string,
  minOpacity: number = SCAN_READER_DEFAULTS.splatMinOpacity,
): SplatCloud {
  if (bytes.byteLength % SPLAT_RECORD_BYTES !== 0) {
    throw new ParseError(
      { file, byteOffset: bytes.byteLength - (bytes.byteLength % SPLAT_RECORD_BYTES) },
      `size ${bytes.byteLength} is not a multiple of ${SPLAT_RECORD_BYTES} bytes per splat`,
    );
  }
  const n = checkPointCount(bytes.byteLength / SPLAT_RECORD_BYTES, { file, byteOffset: 0 });
  if (n === 0) throw new ParseError({ file, byteOffset: 0 }, 'empty .splat file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minAlpha = minOpacity * 255;
  const keep = (i: number) => {
    const at = i * SPLAT_RECORD_BYTES;
    const sum =
      view.getFloat32(at, true) + view.getFloat32(at + 4, true) + view.getFloat32(at + 8, true);
    return bytes[at + 27] >= minAlpha && Number.isFinite(sum);
  };
  let kept = 0;
  for (let i = 0; i < n; i++) if (keep(i)) kept++;
  if (kept === 0) {
    throw new ParseError(
      { file, byteOffset: 0 },
      `no splat is at least ${minOpacity} opaque (of ${n})`,
    );
  }
  const positions = new Float32Array(kept * 3);
  const colors = new Uint8Array(kept * 3);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!keep(i)) continue;
    const at = i * SPLAT_RECORD_BYTES;
    for (let c = 0; c < 3; c++) {
      positions[k * 3 + c] = view.getFloat32(at + c * 4, true);
      colors[k * 3 + c] = bytes[at + 24 + c];
    }
    k++;
  }
  return { cloud: { positions, colors }, total: n, kept };
}

const isSplat = (p: string) => p.toLowerCase().endsWith('.splat');

export const splatReader: SceneReader = {
  format: 'splat',
  detect: (paths) => paths.some(isSplat),
  async read(source: FileSource, paths: string[], options: OpenSceneOptions): Promise<Scene> {
    const { warnings, warn } = warningSink(options);
    const all = paths.filter(isSplat);
    const path = all[0];
    if (all.length > 1) warn(`${all.length} .splat files found; reading ${path}`);
    throwIfAborted(options.signal);
    const parsed = parseSplat(await source.read(path), sourcePath(source, path));
    if (parsed.kept < parsed.total) {
      warn(
        `${parsed.total - parsed.kept} of ${parsed.total} splats below the opacity threshold dropped`,
      );
    }
    return {
      name: basename(path).replace(/\.splat$/i, ''),
      format: 'splat',
      cloud: parsed.cloud,
      frames: [],
      warnings,
    };
  },
};
