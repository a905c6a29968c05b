/** extractFeatures' options: defaults, the crop-tiling detail presets, and their checks. */
import { FEATURE_DEFAULTS, FEATURE_DETAIL_PRESETS, type FeatureDetail } from '../../defaults';
import { UnsupportedError } from '../../errors';

/** Per-view features: one-pass dense patch features, or CLIP on crop tiles. */
export type FeatureSource = 'dense' | 'crops';
export const FEATURE_SOURCES: readonly FeatureSource[] = ['dense', 'crops'];

export interface ExtractOptions {
  /** 'dense' falls back to crops (with a warning) for a model without dense features. */
  features: FeatureSource;
  /** Dense: the view's shorter side after resizing, in pixels. */
  denseShortSide: number;
  /** Dense: the step between 224-px windows, in resized pixels. */
  denseStride: number;
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
  /**
   * Where views come from: the captured frames, views rendered from the scene's mesh or points,
   * or both (plan-views.ts). Unset: captured when the scene has frames, rendered when not.
   */
  views?: 'captured' | 'rendered' | 'both';
  /** Rendered views: size, field of view, count, coverage (RENDER_DEFAULTS when unset). */
  renderViews?: {
    width?: number;
    height?: number;
    horizontalFovDeg?: number;
    maxViews?: number;
    targetCoverage?: number;
  };
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
    features: FEATURE_DEFAULTS.features,
    denseShortSide: FEATURE_DEFAULTS.denseShortSide,
    denseStride: FEATURE_DEFAULTS.denseStride,
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
  if (!FEATURE_SOURCES.includes(o.features)) {
    throw new UnsupportedError(
      `features must be one of ${FEATURE_SOURCES.join(', ')}, got '${String(o.features)}'`,
    );
  }
  if (!Number.isInteger(o.denseShortSide) || o.denseShortSide < 224 || o.denseShortSide > 4096) {
    throw new UnsupportedError(
      `dense short side must be an integer in [224, 4096], got ${o.denseShortSide}`,
    );
  }
  if (!Number.isInteger(o.denseStride) || o.denseStride < 1 || o.denseStride > 224) {
    throw new UnsupportedError(`dense stride must be an integer in [1, 224], got ${o.denseStride}`);
  }
  if (o.cropScales.length < 2) throw new UnsupportedError('at least two crop scales are needed');
  return o;
}
