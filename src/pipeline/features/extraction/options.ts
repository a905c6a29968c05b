/** extractFeatures' options: defaults, the crop-tiling detail presets, and their checks. */
import { FEATURE_DEFAULTS, FEATURE_DETAIL_PRESETS, type FeatureDetail } from '../../defaults';
import { UnsupportedError } from '../../errors';

export interface ExtractOptions {
  cropScales: readonly number[];
  cropOverlap: number;
  cellFraction: number;
  frameStride: number;
  batchSize: number;
  visibilityThreshold: number;
  /** Border cut in depth pixels; default 10 px scaled to the depth width. */
  borderPx?: number;
  fusionMaxDim: number;
  maxAccumulatorBytes: number;
}

/** What callers pass: any options, plus a crop-tiling preset that explicit options override. */
export type ExtractRequest = Partial<ExtractOptions> & { detail?: FeatureDetail };

export function resolveExtractOptions(input: ExtractRequest = {}): ExtractOptions {
  const { detail, ...options } = input;
  if (detail !== undefined && !Object.hasOwn(FEATURE_DETAIL_PRESETS, detail)) {
    const names = Object.keys(FEATURE_DETAIL_PRESETS).join(', ');
    throw new UnsupportedError(`detail must be one of ${names}, got '${String(detail)}'`);
  }
  const tiling = detail ? FEATURE_DETAIL_PRESETS[detail] : FEATURE_DEFAULTS;
  const o: ExtractOptions = {
    cropScales: tiling.cropScales,
    cropOverlap: tiling.cropOverlap,
    cellFraction: FEATURE_DEFAULTS.cellFraction,
    frameStride: FEATURE_DEFAULTS.frameStride,
    batchSize: FEATURE_DEFAULTS.batchSize,
    visibilityThreshold: FEATURE_DEFAULTS.visibilityThreshold,
    fusionMaxDim: FEATURE_DEFAULTS.fusionMaxDim,
    maxAccumulatorBytes: FEATURE_DEFAULTS.maxAccumulatorBytes,
  };
  for (const [k, v] of Object.entries(options))
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  if (!Number.isInteger(o.frameStride) || o.frameStride < 1) {
    throw new UnsupportedError(`frame stride must be a positive integer, got ${o.frameStride}`);
  }
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new UnsupportedError(`batch size must be a positive integer, got ${o.batchSize}`);
  }
  if (o.cropScales.length < 2) throw new UnsupportedError('at least two crop scales are needed');
  return o;
}
