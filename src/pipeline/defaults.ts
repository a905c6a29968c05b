/**
 * Every tunable default of the pipeline, in one place. Options objects elsewhere are
 * `Partial<...>` merged over these. Documented in README.md ("Options and defaults").
 * Each section is owned by one stage; keep units in the names.
 */

export const SCENE_DEFAULTS = {
  /** PrimeSense defaults used when a Redwood/ICL-NUIM folder has no intrinsics file. */
  primeSenseIntrinsics: { fx: 525, fy: 525, cx: 319.5, cy: 239.5, width: 640, height: 480 },
  /** Reconstruction from RGB-D: use every k-th frame. */
  reconstructFrameStride: 10,
  /** Reconstruction voxel size in metres. */
  reconstructVoxelSize: 0.02,
  /** Depth beyond this (metres) is ignored when back-projecting. */
  reconstructMaxDepth: 10,
} as const;
