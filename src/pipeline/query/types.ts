/** Plain-data results of text queries; what the worker sends the viewer and the CLI prints. */

/**
 * The part of the compact feature field a query needs: cosine similarity of every point to a
 * few unit query vectors, straight from the compact encoding (no full decompression).
 * Structurally the same as the feature pipeline's FeatureField.
 */
export interface SimilarityField {
  /** Number of points. */
  readonly count: number;
  /** Feature dimension D. */
  readonly dim: number;
  /** queries: q×D unit vectors → q arrays of per-point cosine (NaN for points no view saw). */
  similarity(queries: Float32Array, q: number): Float32Array[];
}

export interface GroundedBox {
  /** 1 = best. */
  rank: number;
  min: [number, number, number];
  max: [number, number, number];
  /**
   * The ranking key, shown as is: on proposals, how far the object's scores stand out from its
   * surroundings (see proposal-grounding.ts); on voxel clusters, the cluster's mean score.
   */
  score: number;
  pointCount: number;
  /** The scene object (segmentation proposal), when grounded on proposals... */
  objectId?: number;
  /** ...its level... */
  level?: number;
  /** ...and its contrast in standard deviations of the scene's scores. */
  separation?: number;
  /** Voxel clusters only: the highest score in the cluster. */
  maxScore?: number;
  /** Voxel clusters only: their ranking key Σ(score − threshold). */
  mass?: number;
  /** Location tokens of the box, when the scene normalisation is known. */
  tokens?: string;
}

export interface GroundingResult {
  /** Per-point score (relevancy or cosine), NaN for unseen points; for the heatmap. */
  scores: Float32Array;
  threshold: number;
  /** Points with a finite score ≥ threshold. */
  selectedCount: number;
  /** Voxel side (metres) the clustering used. */
  clusterVoxelSize: number;
  /** Ranked, at most top-k; empty when not confident. */
  boxes: GroundedBox[];
  /** Whether something stands out from the background (always true for voxel clusters). */
  confident: boolean;
  /** Why nothing was returned, when not confident. */
  reason?: string;
}
