/**
 * A hierarchical, weight-free segmentation of a scene cloud: a tree of proposals from parts
 * (fine levels) to whole objects (coarse levels), as plain typed arrays (no per-point objects),
 * so it crosses the worker boundary by transfer and caches as bytes.
 */

/** What a proposal is, when it is recognised as scene structure rather than an object. */
export const enum StructureKind {
  None = 0,
  Floor = 1,
  Wall = 2,
  Ceiling = 3,
}

export interface SceneSegmentation {
  /** Points in the cloud this was computed from (same order as its positions). */
  pointCount: number;
  /** Number of levels, 0 = finest. */
  levelCount: number;
  /**
   * Per level, per point: the proposal id the point belongs to at that level (−1 = none: an
   * outlier or a point too sparse to group). `levelCount × pointCount`, level-major.
   */
  pointProposals: Int32Array;
  /** Number of proposals over all levels. */
  proposalCount: number;
  /** Per proposal: its level. */
  level: Uint8Array;
  /** Per proposal: the proposal at the next coarser level that contains it (−1 at the top). */
  parent: Int32Array;
  /** Per proposal: StructureKind (floor, wall, ceiling are never objects). */
  structure: Uint8Array;
  /**
   * Per proposal: its points, CSR: points of proposal p are
   * `pointIndices[pointOffsets[p] .. pointOffsets[p + 1])`, ascending.
   */
  pointOffsets: Uint32Array;
  pointIndices: Uint32Array;
  /** Per proposal: robust AABB (min xyz, max xyz), `proposalCount × 6`, metres. */
  bounds: Float32Array;
  /**
   * segmentScene also fills these (optional for other producers): proposals of level l are
   * `levelOffsets[l] .. levelOffsets[l + 1])`, levels being contiguous...
   */
  levelOffsets?: Uint32Array;
  /** ...and the voxel side its graph was built on, metres. */
  voxelSize?: number;
}

/** One coarser level of segmentScene (see SEGMENT_DEFAULTS.coarseLevels). */
export interface CoarseLevelOptions {
  normalWeight: number;
  colourWeight: number;
  maxWeight: number;
  /** Segments count as adjacent when their voxels are this close (metres, ≥ one voxel). */
  gapM: number;
}

/** segmentScene's options; the defaults and their meaning are SEGMENT_DEFAULTS. */
export interface SegmentOptions {
  voxelSizeM: number;
  up: readonly number[];
  colourWeight: number;
  fineK: number;
  minSegmentVoxels: number;
  coarseLevels: readonly CoarseLevelOptions[];
  structureMinAreaM2: number;
  structureMaxRmsM: number;
  structureAngleDeg: number;
  structureOutsideFraction: number;
  structureBandM: number;
  wallMinHeightM: number;
  wallMinHeightFraction: number;
  structureJoinNormal: number;
  structureJoinColour: number;
  structureJoinAnyNormalVoxels: number;
  floorObjectMaxShare: number;
  robustBoundsMinPoints: number;
  robustBoundsPercentile: number;
  robustBoundsSamplePoints: number;
}
