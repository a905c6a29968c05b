/**
 * Scores → grounded boxes: threshold (automatic by default), cluster the points above it in
 * metres, one robust box per cluster, ranked, top-k, each with its location tokens.
 */
import { QUERY_DEFAULTS } from '../defaults';
import { encodeBoxToTokens, type SceneNormalisation } from '../../tokens/location-tokens';
import { clusterBoxes } from './cluster-boxes';
import { clusterVoxelSizeFor } from './cluster-voxel-size';
import {
  NegativeSimilarityCache,
  scorePoints,
  type NegativeSet,
  type ScoreOptions,
} from './relevancy';
import { autoThreshold, logit, selectAboveThreshold } from './threshold';
import type { GroundedBox, GroundingResult, SimilarityField } from './types';
import { clusterPoints } from './voxel-clusters';

export interface GroundingOptions {
  /** A fixed threshold; otherwise the automatic rule (see threshold.ts). */
  threshold?: number;
  thresholdFraction: number;
  thresholdHighQuantile: number;
  /**
   * Hysteresis: when set, points above the automatic rule at this (smaller) fraction link strong
   * points into one cluster. Ignored with a fixed threshold.
   */
  linkFraction?: number;
  clusterVoxelSize: number;
  /** Grow the voxel for clouds sparser than it (see cluster-voxel-size.ts). */
  adaptClusterVoxel: boolean;
  minClusterPoints: number;
  boxExtentQuantile: number;
  /** Extents as quantiles of the score margin, not of the point count (see cluster-boxes.ts). */
  scoreWeightedExtents: boolean;
  topK: number;
  locationBins: number;
  /** When given, every box carries its location tokens. */
  normalisation?: SceneNormalisation;
}

export type QueryOptions = GroundingOptions & ScoreOptions;

export function resolveQueryOptions(options: Partial<QueryOptions> = {}): QueryOptions {
  return {
    mode: options.mode ?? QUERY_DEFAULTS.scoreMode,
    temperature: options.temperature ?? QUERY_DEFAULTS.temperature,
    threshold: options.threshold,
    thresholdFraction: options.thresholdFraction ?? QUERY_DEFAULTS.thresholdFraction,
    thresholdHighQuantile: options.thresholdHighQuantile ?? QUERY_DEFAULTS.thresholdHighQuantile,
    linkFraction: options.linkFraction,
    clusterVoxelSize: options.clusterVoxelSize ?? QUERY_DEFAULTS.clusterVoxelSize,
    adaptClusterVoxel: options.adaptClusterVoxel ?? QUERY_DEFAULTS.adaptClusterVoxel,
    minClusterPoints: options.minClusterPoints ?? QUERY_DEFAULTS.minClusterPoints,
    boxExtentQuantile: options.boxExtentQuantile ?? QUERY_DEFAULTS.boxExtentQuantile,
    scoreWeightedExtents: options.scoreWeightedExtents ?? QUERY_DEFAULTS.scoreWeightedExtents,
    topK: options.topK ?? QUERY_DEFAULTS.topK,
    locationBins: options.locationBins ?? QUERY_DEFAULTS.locationBins,
    normalisation: options.normalisation,
  };
}

/** Boxes from per-point scores (NaN = unseen, never selected). */
export function groundScores(
  scores: Float32Array,
  positions: Float32Array,
  options: GroundingOptions & Partial<ScoreOptions>,
): GroundingResult {
  if (positions.length !== scores.length * 3) {
    throw new RangeError(`${scores.length} scores but ${positions.length / 3} points`);
  }
  const threshold =
    options.threshold ??
    autoThreshold(scores, {
      fraction: options.thresholdFraction,
      highQuantile: options.thresholdHighQuantile,
      logistic: options.mode === 'lerf',
    });
  const selected = selectAboveThreshold(scores, threshold);
  // Hysteresis: clusters are the connected parts of the weaker set that contain strong points,
  // so weak links (thin parts whose features the background dominates) join an object's strong
  // parts; boxes and ranking still use only the strong points.
  const linkThreshold =
    options.linkFraction === undefined || options.threshold !== undefined
      ? threshold
      : autoThreshold(scores, {
          fraction: options.linkFraction,
          highQuantile: options.thresholdHighQuantile,
          logistic: options.mode === 'lerf',
        });
  const linked = linkThreshold < threshold ? selectAboveThreshold(scores, linkThreshold) : selected;
  const voxelSize = options.adaptClusterVoxel
    ? clusterVoxelSizeFor(positions, options.clusterVoxelSize, {
        minPointsPerVoxel: QUERY_DEFAULTS.clusterMinPointsPerVoxel,
        maxFactor: QUERY_DEFAULTS.clusterMaxVoxelFactor,
      })
    : options.clusterVoxelSize;
  const clusters = clusterPoints(positions, linked, voxelSize);
  const strongLabels =
    linked === selected
      ? clusters.labels
      : strongSubset(linked, clusters.labels, scores, threshold, selected.length);
  const ranked = clusterBoxes(
    positions,
    selected,
    strongLabels,
    clusters.clusterCount,
    scores,
    threshold,
    {
      extentQuantile: options.boxExtentQuantile,
      minPoints: options.minClusterPoints,
      extentWeights: options.scoreWeightedExtents
        ? marginAboveThreshold(scores, selected, threshold, options.mode === 'lerf')
        : undefined,
    },
  );
  const boxes: GroundedBox[] = ranked
    .slice(0, Math.max(0, Math.floor(options.topK)))
    .map((box, i) => ({
      rank: i + 1,
      ...box,
      ...(options.normalisation
        ? { tokens: encodeBoxToTokens(box, options.normalisation, options.locationBins) }
        : {}),
    }));
  return {
    scores,
    threshold,
    selectedCount: selected.length,
    clusterVoxelSize: clusters.voxelSize,
    boxes,
    confident: true,
  };
}

/** Cluster labels of the strong points (score ≥ threshold), in `linked` order = index order. */
function strongSubset(
  linked: Uint32Array,
  labels: Int32Array,
  scores: Float32Array,
  threshold: number,
  strongCount: number,
): Int32Array {
  const out = new Int32Array(strongCount);
  let k = 0;
  for (let j = 0; j < linked.length; j++) if (scores[linked[j]] >= threshold) out[k++] = labels[j];
  return out;
}

/**
 * Weight of each selected point for the box extents: its margin above the threshold, on the logit
 * scale for LERF relevancy (where the sigmoid would squash the confident core together).
 */
function marginAboveThreshold(
  scores: Float32Array,
  selected: Uint32Array,
  threshold: number,
  logistic: boolean,
): Float32Array {
  const weights = new Float32Array(scores.length);
  const t = logistic ? logit(threshold) : threshold;
  for (let k = 0; k < selected.length; k++) {
    const i = selected[k];
    weights[i] = (logistic ? logit(scores[i]) : scores[i]) - t;
  }
  return weights;
}

/** Scores the field for one unit query embedding, then grounds it. */
export function groundQuery(
  field: SimilarityField,
  positions: Float32Array,
  queryEmbedding: Float32Array,
  negatives: NegativeSet | null,
  options: Partial<QueryOptions> = {},
  cache?: NegativeSimilarityCache,
): GroundingResult {
  const resolved = resolveQueryOptions(options);
  const scores = scorePoints(field, queryEmbedding, negatives, resolved, cache);
  return groundScores(scores, positions, resolved);
}
