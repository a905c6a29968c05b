/**
 * OpenScene's mapping rules (scripts/feature_fusion/fusion_util.py,
 * PointCloudToImageMapper.compute_mapping) as small functions, shared by the fast accumulator
 * and the test oracle: the visibility threshold, np.round, the 10 px border scaled to the depth
 * width, the world-to-camera inverse and depth in metres.
 */
import { FEATURE_DEFAULTS } from '../defaults';
import { UnsupportedError } from '../errors';
import { invert, isFiniteMatrix } from '../geometry/mat4';
import type { DepthImage, Mat4 } from '../scene/types';

export interface FusionRules {
  visibilityThreshold: number;
  /** Border cut in depth pixels; default OpenScene's 10 px scaled by depth width / 640. */
  borderPx?: number;
}

export const OPENSCENE_RULES: FusionRules = {
  visibilityThreshold: FEATURE_DEFAULTS.visibilityThreshold,
};

/** np.round: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function borderCut(depthWidth: number, rules: FusionRules): number {
  return rules.borderPx ?? Math.round((FEATURE_DEFAULTS.borderPxAt640 * depthWidth) / 640);
}

/** World-to-camera for a pose, or a clear error for NaN / singular poses. */
export function worldToCameraChecked(cameraToWorld: Mat4, name: string): Mat4 {
  if (!isFiniteMatrix(cameraToWorld))
    throw new UnsupportedError(`frame ${name}: pose has non-finite values`);
  const inv = invert(cameraToWorld);
  if (!inv) throw new UnsupportedError(`frame ${name}: pose is singular`);
  return inv;
}

/** Depth in metres per pixel (float64, raw / scale as numpy does), 0 where invalid. */
export function depthInMetres(depth: DepthImage): Float64Array {
  const out = new Float64Array(depth.width * depth.height);
  const lut = new Float64Array(65536);
  for (let r = 0; r < 65536; r++) lut[r] = r / depth.depthScale;
  lut[0] = 0;
  for (const v of depth.invalidValues) if (v >= 0 && v < 65536) lut[v] = 0;
  for (let i = 0; i < out.length; i++) out[i] = lut[depth.data[i]];
  return out;
}
