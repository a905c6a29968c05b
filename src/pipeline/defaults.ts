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

export const IMAGE_DEFAULTS = {
  /** Images larger than this (width*height) are refused before decoding (corrupt headers). */
  maxPixels: 100_000_000,
  /** Memory ceiling handed to the pure-JS JPEG decoder, in MB. */
  maxDecodeMemoryMB: 1024,
} as const;

export const RGBD_READER_DEFAULTS = {
  /** 7-Scenes Kinect intrinsics documented by the dataset, used when no intrinsics file exists. */
  sevenScenesIntrinsics: { fx: 585, fy: 585, cx: 320, cy: 240, width: 640, height: 480 },
  /** TUM RGB-D ROS default intrinsics (Freiburg sequences ship no file). */
  tumIntrinsics: { fx: 525, fy: 525, cx: 319.5, cy: 239.5, width: 640, height: 480 },
  /** TUM depth PNGs: 5000 raw units per metre. */
  tumDepthScale: 5000,
  /** Millimetre depth PNGs (7-Scenes, Redwood, ICL-NUIM). */
  millimetreDepthScale: 1000,
  /** TUM association: max |t_rgb - t_depth| and |t_rgb - t_pose| in seconds (associate.py). */
  tumMaxTimeDifferenceS: 0.02,
  /** A pose's rotation block must be orthonormal within this tolerance. */
  rigidTolerance: 1e-3,
} as const;

export const CLIP_TOKENIZER_DEFAULTS = {
  /** CLIP's text context: start + up to 75 word tokens + end. */
  contextLength: 77,
  /** Words kept in the tokenizer's word → ids cache (oldest dropped first). */
  wordCacheSize: 10_000,
} as const;

export const CLIP_PREPROCESS_DEFAULTS = {
  /** Side of the square model input (ViT-B/32, ViT-B/16, ViT-L/14). */
  imageSize: 224,
  /** openai/CLIP `_transform` normalisation, per RGB channel. */
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
} as const;
