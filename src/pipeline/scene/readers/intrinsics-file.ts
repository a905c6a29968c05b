/**
 * Camera intrinsics files found next to RGB-D folders:
 * - `camera-intrinsics.txt` (7-Scenes / tsdf-fusion, also used by Redwood tools): a 3x3 K.
 * - Open3D `PinholeCameraIntrinsic` JSON (`intrinsic.json`, `camera_intrinsic.json`):
 *   { width, height, intrinsic_matrix: [9 numbers, column-major] }.
 * Neither holds distortion; the image size comes from the JSON or from the images.
 */
import { ParseError } from '../../errors';
import { parseJsonText } from '../../io/safe-json';
import type { Intrinsics } from '../types';
import { parseMatrixText } from './text-matrix';
import { validateIntrinsics } from './rgbd-frame';

export function parseIntrinsicsMatrixText(
  text: string,
  file: string,
  size: { width: number; height: number },
): Intrinsics {
  const k = parseMatrixText(text, file, 3, 3);
  if (k[1] !== 0 && Math.abs(k[1]) > 1e-6 * Math.abs(k[0])) {
    throw new ParseError({ file, line: 1 }, 'skewed intrinsics (K[0][1] ≠ 0) are not supported');
  }
  return validateIntrinsics(
    { fx: k[0], fy: k[4], cx: k[2], cy: k[5], width: size.width, height: size.height },
    file,
  );
}

export function parseOpen3dIntrinsicsJson(text: string, file: string): Intrinsics {
  const json = parseJsonText(text, file);
  const o = json as { width?: unknown; height?: unknown; intrinsic_matrix?: unknown };
  const m = o?.intrinsic_matrix;
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.width !== 'number' ||
    typeof o.height !== 'number' ||
    !Array.isArray(m) ||
    m.length !== 9 ||
    !m.every((v) => typeof v === 'number')
  ) {
    throw new ParseError(
      { file },
      'expected Open3D intrinsics { width, height, intrinsic_matrix: [9 numbers] }',
    );
  }
  // Column-major: [fx, 0, 0, 0, fy, 0, cx, cy, 1].
  return validateIntrinsics(
    { fx: m[0], fy: m[4], cx: m[6], cy: m[7], width: o.width, height: o.height },
    file,
  );
}
