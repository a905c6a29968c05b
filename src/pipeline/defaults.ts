/**
 * Every tunable default of the pipeline, in one place. Options objects elsewhere are
 * `Partial<...>` merged over these. Documented in README.md ("Options and defaults").
 * Each section is owned by one stage; keep units in the names.
 */

export const SCENE_DEFAULTS = {
  /** PrimeSense defaults used when a Redwood/ICL-NUIM folder has no intrinsics file. */
  primeSenseIntrinsics: { fx: 525, fy: 525, cx: 319.5, cy: 239.5, width: 640, height: 480 },
  /**
   * Reconstruction from RGB-D: use every k-th frame. 1 = the whole scan (every view fills the
   * holes of the others); unless a stride is asked for, it grows to fit reconstructMaxRawPoints.
   */
  reconstructFrameStride: 1,
  /**
   * Back-projected depth pixels one reconstruction may take (frames used × depth pixels); a
   * longer scan gets the smallest stride that fits (the summary's frameStride, with strideFrom
   * 'budget'). 100 M = 325 frames of 640×480 (a 5,000-frame ScanNet scan: stride 16). The
   * back-projection runs at about 18 M points/s; decoding the PNGs costs more: ICL-NUIM's 211
   * frames (63 M points) took ~12 s longer than every 10th frame on a loaded 2-core machine.
   */
  reconstructMaxRawPoints: 100_000_000,
  /** Reconstruction voxel size in metres (one mean point per voxel). */
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
  /** TUM poses: false = nearest ground-truth sample (associate.py); true = interpolate. */
  tumInterpolatePoses: false,
  /** A pose's rotation block must be orthonormal within this tolerance. */
  rigidTolerance: 1e-3,
} as const;

/** Readers of phone and splat scans (ARKitScenes, Replica, Gaussian splats). */
export const SCAN_READER_DEFAULTS = {
  /** ARKitScenes: a frame's pose is interpolated (or the nearest taken) within this gap, s. */
  arkitMaxPoseGapS: 0.1,
  /** Replica (NICE-SLAM configs/Replica/replica.yaml) when no cam_params.json is present. */
  replicaCamera: {
    intrinsics: { width: 1200, height: 680, fx: 600, fy: 600, cx: 599.5, cy: 339.5 },
    depthScale: 6553.5,
  },
  /** Gaussian splats (.ply, .splat): splats less opaque than this are dropped. */
  splatMinOpacity: 0.1,
  /** LAS/LAZ: clouds whose coordinates exceed this (m) are shifted to their minimum corner. */
  lasRecentreAbove: 10_000,
} as const;

export const CLIP_TOKENIZER_DEFAULTS = {
  /** CLIP's text context: start + up to 75 word tokens + end. */
  contextLength: 77,
  /** Words kept in the tokenizer's word → ids cache (oldest dropped first). */
  wordCacheSize: 10_000,
  /** Largest token id a vocabulary may use (real vocabularies stay under 300k; ids are int32). */
  maxTokenId: 16_777_215,
} as const;

export const CLIP_PREPROCESS_DEFAULTS = {
  /** Side of the square model input (ViT-B/32, ViT-B/16, ViT-L/14). */
  imageSize: 224,
  /** openai/CLIP `_transform` normalisation, per RGB channel. */
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
} as const;

/**
 * Named crop tilings (CLI `--detail`, the Pipeline panel). Segmenter-free features blur object
 * edges by about a tile stride, so finer, denser tiles give sharper features at the price of
 * encoder calls; the encoder dominates the run time. Measured on the demo room (320×240, all 24
 * views) with the offline encoder, as the share of seen object points whose fused feature is
 * closest to their own colour word (tests/pipeline/features/extract-demo.integration.test.ts):
 *
 * | preset   | scales      | overlap | crops/view | closest to own colour |
 * | -------- | ----------- | ------- | ---------- | --------------------- |
 * | coarse   | 0.5, 0.25   | 0.1     | 40         | 72.4 %                |
 * | standard | 0.2, 0.1    | 0.1     | 189        | 90.7 %                |
 * | fine     | 0.1, 0.05   | 0.5     | 1,432      | 96.1 %                |
 *
 * 'coarse' suits a full ViT on the CPU (about 1 crop/s on one wasm thread); 'fine' needs a fast
 * encoder (WebGPU, or the bundled offline one).
 */
export const FEATURE_DETAIL_PRESETS = {
  coarse: { cropScales: [0.5, 0.25], cropOverlap: 0.1 },
  standard: { cropScales: [0.2, 0.1], cropOverlap: 0.1 },
  fine: { cropScales: [0.1, 0.05], cropOverlap: 0.5 },
} as const satisfies Record<string, { cropScales: readonly number[]; cropOverlap: number }>;

export type FeatureDetail = keyof typeof FEATURE_DETAIL_PRESETS;

/** Feature pipeline (multi-view CLIP features, fusion, compact field, 3D-LLM export). */
export const FEATURE_DEFAULTS = {
  /**
   * Per-view features: 'dense' (one forward pass per 224-px window, one feature per ViT patch,
   * the last block rewritten as in ClearCLIP; clip/dense) or 'crops' (CLIP on every crop tile:
   * 40–1,432 encoder calls per view). Models without dense features fall back to crops.
   */
  features: 'dense' as 'dense' | 'crops',
  /**
   * Dense windows: the view is resized so its shorter side is this many pixels, and 224-px
   * windows step by `denseStride` (640×480 → 448×336 → 3×2 = 6 windows per view).
   */
  denseShortSide: 336,
  denseStride: 112,
  /**
   * Crop tile sides as fractions of the image's shorter side (LERF-style multi-scale tiles);
   * at least two scales; each scale tiles the whole image. The 'standard' detail preset: see
   * FEATURE_DETAIL_PRESETS for what coarser and finer tiles cost and give.
   */
  cropScales: FEATURE_DETAIL_PRESETS.standard.cropScales as readonly number[],
  /** Overlap between neighbouring tiles of one scale (0 = none, 0.5 = half a tile). */
  cropOverlap: FEATURE_DETAIL_PRESETS.standard.cropOverlap as number,
  /**
   * Tiles are snapped to a grid of cells this fraction of the shorter side, and each view keeps
   * one fused feature per cell (a low-res feature map) instead of an H×W×D image.
   */
  cellFraction: 1 / 32,
  /** Use every k-th frame. */
  frameStride: 1,
  /** Crops per encoder call. */
  batchSize: 16,
  /** OpenScene occlusion test: |D(u,v) − z| ≤ threshold·D(u,v). */
  visibilityThreshold: 0.25,
  /** OpenScene's border cut in pixels at 640 px image width; scaled with the depth width. */
  borderPxAt640: 10,
  /**
   * Fusion accumulates per-point sums in at most this many dimensions: exact when D ≤ this,
   * otherwise in the span of the top components of the scene's crop features (measured).
   */
  fusionMaxDim: 128,
  /** Refuse scenes whose per-point accumulators would exceed this many bytes. */
  maxAccumulatorBytes: 1536 * 1024 * 1024,
  /** Compact feature field: every point's decoded feature has at least this cosine. */
  fieldMinCosine: 0.99,
  /** Compact feature field: points sampled to fit its basis. */
  fieldSamplePoints: 4096,
  /** 3D-LLM tokens: grid resolution per axis (int(p·128 + 128) clamped to 0..255). */
  voxelGrid: 256,
  /** 3D-LLM tokens: at most this many voxels, sampled with `voxelSampleSeed`. */
  maxVoxels: 5000,
  voxelSampleSeed: 0,
  /** 3D-LLM position-embedding weight (feature + weight·PE). */
  peWeight: 0.01,
  /** Feature bundle: store features.npy as float16 ('<f2') or float32 ('<f4'). */
  featuresDtype: '<f2' as '<f2' | '<f4',
} as const;

/** Text queries → relevancy → grounded boxes (issue 6). */
export const QUERY_DEFAULTS = {
  /** LERF's canonical negative phrases; relevancy = min over these of softmax(T·[φ·q, φ·n]). */
  negatives: ['object', 'things', 'stuff', 'texture'] as readonly string[],
  /** LERF's softmax temperature (the 10 in exp(10·φ·q)). */
  temperature: 10,
  /** 'lerf' relevancy in 0..1, or raw 'cosine' similarity to the query. */
  scoreMode: 'lerf' as 'lerf' | 'cosine',
  /**
   * Automatic threshold: median + fraction·(high − median) of the seen points' scores, where
   * high is the `thresholdHighQuantile` quantile (a robust maximum). Scale-free, so the same rule
   * serves relevancy and raw cosine; for LERF relevancy it is applied on the logit scale.
   */
  thresholdFraction: 0.5,
  thresholdHighQuantile: 0.999,
  /** Voxel side (metres) for clustering: 26-connected occupied voxels form one cluster. */
  clusterVoxelSize: 0.05,
  /**
   * Grow the voxel for sparse clouds: when the cloud has fewer than `clusterMinPointsPerVoxel`
   * points per occupied voxel, scale it by sqrt(wanted / measured), at most `clusterMaxVoxelFactor`×.
   */
  adaptClusterVoxel: true,
  clusterMinPointsPerVoxel: 4,
  clusterMaxVoxelFactor: 8,
  /** Clusters with fewer points are dropped as noise. */
  minClusterPoints: 10,
  /** Box extents per axis: this quantile and its complement of the cluster's coordinates. */
  boxExtentQuantile: 0.01,
  /** Box extents as quantiles of each point's score margin above the threshold (not of counts). */
  scoreWeightedExtents: false,
  /** Boxes returned per query. */
  topK: 5,
  /** Location-token bins per axis (3D-LLM's 256-voxel grid, `<loc0>`..`<loc255>`). */
  locationBins: 256,
} as const;

/** The generated demo room (issue 3): the bundled default scene and grounding ground truth. */
export const DEMO_ROOM_DEFAULTS = {
  seed: 7,
  /** Rendered view size in pixels. */
  width: 320,
  height: 240,
  /** Number of RGB-D views on the camera loop. */
  views: 24,
  horizontalFovDeg: 65,
  /** Point cloud grid spacing on object surfaces and on floor/walls/ceiling, metres. */
  objectPointSpacing: 0.01,
  shellPointSpacing: 0.025,
} as const;

/** CLIP models (issue 4): sources, downloads, onnxruntime-web sessions. */
export const CLIP_MODEL_DEFAULTS = {
  hubBaseUrl: 'https://huggingface.co',
  hubRepo: 'Xenova/clip-vit-base-patch32',
  hubRevision: 'main',
  /** ONNX variant fetched from the hub ('quantized' | 'fp32' | 'fp16'). */
  hubVariant: 'quantized',
  /** Largest batch per session.run; bigger inputs are split. */
  encoderMaxBatch: 16,
  /** Most wasm threads (used only when cross-origin isolated, or in Node). */
  maxWasmThreads: 4,
  /** Least time between download progress events, ms. */
  downloadProgressIntervalMs: 50,
  /** Model files larger than this are refused before allocating. */
  maxModelFileBytes: 4 * 1024 ** 3,
  /** Cache Storage name for downloaded model files (change it to drop old caches). */
  cacheName: 'scene3d-llm-models-v1',
} as const;

/**
 * Rendered views of scans without frames (issue 14): the view renderer (src/pipeline/render/)
 * and its view planner (`plan`). Like 3D-LLM's Habitat renders: 512×512, 90° field of view.
 */
export const RENDER_DEFAULTS = {
  width: 512,
  height: 512,
  horizontalFovDeg: 90,
  /** Nothing nearer than this (metres along +z) is drawn; triangles are clipped there. */
  nearM: 0.05,
  /** Nothing farther than this is drawn. */
  farM: 60,
  /** Rendered depth as Uint16: raw units per metre (1000 = millimetres, 65.5 m range). */
  depthScale: 1000,
  /** Background colour where nothing is drawn (depth 0 there, so fusion ignores it). */
  background: [0, 0, 0] as readonly [number, number, number],
  /** 'auto' draws triangles when the cloud has faces and splats points otherwise. */
  mode: 'auto' as 'auto' | 'mesh' | 'points',
  /**
   * Point splats: 'square' (half side) or 'disc' (radius) = factor × the local point spacing.
   * 1.0 closes clouds whose points sit within ±0.4 spacing of a regular grid (scans, voxel
   * downsampling); a disc needs about √2 × the factor of a square to close the same gaps.
   */
  splatShape: 'square' as 'square' | 'disc',
  splatRadiusFactor: 1,
  /**
   * Lay each splat in its point's tangent plane (the cloud's normals, else PCA normals from the
   * spacing estimate), so tilted surfaces render flat; false: splats face the camera.
   */
  orientSplats: true,
  /** Largest splat radius in pixels (points right in front of the camera). */
  maxSplatRadiusPx: 32,
  /** Point spacing estimate: aim for this many points per occupied voxel of the density hash. */
  spacingPointsPerVoxel: 16,
  /** Per-point spacing is capped at this multiple of the median (isolated outliers). */
  spacingMaxOverMedian: 4,
  /** Renders are refused above this many pixels (before anything is allocated). */
  maxPixels: 8192 * 8192,
  /** Rendered frames: renders kept in memory per renderedFrames() call (most recent). */
  memoViews: 4,
  /**
   * Renders a session keeps for the open scene (re-extraction reuses them), bytes; a 512² view
   * with instance ids takes about 2.4 MB, so the default view plan fits.
   */
  storeBytes: 256 * 2 ** 20,
  /**
   * Extraction from rendered views adds object-centric views (plan.objectViewsPerBox each) of
   * the segmentation's largest whole objects, at most this many: close looks at small things
   * (a lamp, a plant) that the room-coverage views see only from afar.
   */
  maxObjectBoxes: 24,
  /** ...of at least this many points. */
  minObjectBoxPoints: 100,
  plan: {
    /** Camera heights above the inferred floor, metres (standing eye heights). */
    eyeHeightsM: [1.25, 1.65] as readonly number[],
    /** Candidate camera positions on a horizontal grid with this spacing, metres. */
    gridSpacingM: 0.6,
    /** Headings per position (evenly spaced) and pitches (degrees, negative = looking down). */
    yawSteps: 8,
    pitchesDeg: [-20, -50] as readonly number[],
    /** A camera keeps this distance from every point (not inside furniture or walls). */
    clearanceM: 0.3,
    /** Stop adding views once this share of the points is seen... */
    targetCoverage: 0.95,
    /** ...or at this many coverage views. */
    maxViews: 32,
    /** Candidates are scored on a voxel-downsampled cloud at a small resolution. */
    planningVoxelM: 0.06,
    planningWidth: 64,
    /**
     * A point is seen by a view when the rendered depth at its pixel is within
     * toleranceM + toleranceRelative·depth of its own depth (plus twice its splat radius when the
     * cloud is splatted: neighbouring splats stand proud of surfaces seen obliquely).
     */
    visibilityToleranceM: 0.03,
    visibilityToleranceRelative: 0.02,
    /** Object-centric views per proposal box, and the share of the frame the box should fill. */
    objectViewsPerBox: 2,
    objectViewFill: 0.75,
  },
} as const;

/** Grounding on segmentation proposals (src/pipeline/query/proposal-grounding.ts). */
export const PROPOSAL_GROUNDING_DEFAULTS = {
  /** A proposal needs at least this many seen points (fewer: its score is noise)... */
  minSeenPoints: 12,
  /** ...and at least this share of its points seen. */
  minSeenFraction: 0.25,
  /** The inside and surrounding scores are means with this share cut from each end. */
  trimFraction: 0.2,
  /** The shell around a proposal: its box grown by this share of its largest side... */
  shellFraction: 0.5,
  /** ...clamped to this range, metres. */
  shellMinM: 0.08,
  shellMaxM: 0.3,
  /** Fewer seen shell points than this: the scene's median score is the surroundings. */
  minShellPoints: 8,
  /**
   * Reliability shrinkage: the contrast is scaled by n / (n + this), n = seen points, so a
   * sliver of a few points has to stand out more than an object of hundreds to rank above it.
   */
  shrinkagePoints: 10,
  /** Confidence: the contrast must reach this many standard deviations of the scene's scores... */
  minSeparation: 1,
  /** ...and the inside − surroundings difference this many standard errors... */
  minSignificance: 5,
  /**
   * ...and, for LERF relevancy scores, the object's (trimmed mean) relevancy above this: the
   * query must describe it better than the canonical phrases do.
   */
  minInsideRelevancy: 0.5,
  /** Boxes after the best are kept while their score is at least this share of the best's. */
  relativeScore: 0.5,
  /**
   * The coarser of two nested proposals wins while it scores at least this share of the finer
   * one's score: an object over its faces (a TV's screen without its sides).
   */
  parentPreference: 0.3,
  /** Non-maximum suppression: a box overlapping a better one by more than this IoU is dropped. */
  nmsIoU: 0.5,
  /**
   * A box with more than this share of its volume inside a better box is dropped: a fragment of
   * that object (a leg cut off from its table), not another object.
   */
  maxContainedShare: 0.5,
  /** A box side thinner than this (metres) is degenerate... */
  minBoxSideM: 0.03,
  /** ...unless the other two sides are both at least this long (a flat object: a rug, a poster). */
  flatObjectMinSpanM: 0.2,
  topK: 5,
  /** A proposal's inside score comes from at most this many evenly strided points... */
  maxSamplesPerProposal: 512,
  /** ...and only this many proposals (the highest inside scores) get their surroundings scored. */
  candidateCount: 96,
  /** Surroundings are looked up in a grid of this cell side (metres)... */
  gridCellM: 0.1,
  /** ...over at most this many evenly strided points of the cloud. */
  gridMaxPoints: 262_144,
} as const;

/** Hierarchical weight-free segmentation (src/pipeline/segment/segment-scene.ts). */
export const SEGMENT_DEFAULTS = {
  /** The graph is built on voxels of this side (every point maps to its voxel's segment). */
  voxelSizeM: 0.03,
  /** The scene's up direction (floor below, ceiling above); normalised on use. */
  up: [0, 0, 1] as readonly number[],
  /** Fine-level edge weight: (1 − |n·n'|) + colourWeight × RGB distance (0..1). */
  colourWeight: 1,
  /** Felzenszwalb–Huttenlocher k for the finest level (weight × voxels). */
  fineK: 0.5,
  /** Finest-level segments smaller than this many voxels are merged into a neighbour. */
  minSegmentVoxels: 12,
  /**
   * Each coarser level merges adjacent segments of the level below, lightest pair first, while
   * normalWeight × (1 − |n·n'|) + colourWeight × colour distance of the merged groups stays at
   * or below maxWeight (both weights 0: connected components of the non-structure segments).
   * Segments count as adjacent when their voxels are within gapM (rounded down to whole voxels,
   * at least one): bridges the gap an unseen face leaves (a table top and its legs, a lamp's
   * shade and pole).
   */
  coarseLevels: [
    { normalWeight: 1, colourWeight: 1, maxWeight: 0.08, gapM: 0.06 },
    { normalWeight: 1, colourWeight: 1, maxWeight: 0.2, gapM: 0.06 },
    { normalWeight: 0, colourWeight: 1, maxWeight: 0.12, gapM: 0.06 },
    { normalWeight: 0, colourWeight: 0, maxWeight: 0, gapM: 0.12 },
  ] as readonly { normalWeight: number; colourWeight: number; maxWeight: number; gapM: number }[],
  /** Structure (floor, walls, ceiling): a planar segment of at least this area (voxels × side²)... */
  structureMinAreaM2: 0.8,
  /** ...no thicker than this RMS distance from its plane (metres)... */
  structureMaxRmsM: 0.04,
  /** ...within this angle of horizontal (floor, ceiling) or vertical (wall), degrees... */
  structureAngleDeg: 15,
  /**
   * ...with at most this share of the scene's points farther than structureBandM (+ 2 × its RMS)
   * beyond its plane: the scene lies on one side of it.
   */
  structureOutsideFraction: 0.03,
  structureBandM: 0.02,
  /** A wall also spans at least this height, or this share of the scene's height if less. */
  wallMinHeightM: 1.2,
  wallMinHeightFraction: 0.5,
  /** A segment joins an adjacent structure when within this normal distance (1 − |cos|)... */
  structureJoinNormal: 0.05,
  /** ...and this colour distance, and its centroid within the band of the structure's plane. */
  structureJoinColour: 0.12,
  /**
   * Segments of fewer voxels than this, and strips under 1.5 voxels wide, join on colour and
   * position alone (any normal).
   */
  structureJoinAnyNormalVoxels: 48,
  /**
   * A floor-like segment smaller than this share of the main floor segment, and of another colour
   * (beyond structureJoinColour), is a flat object lying on the floor (a rug), not floor.
   */
  floorObjectMaxShare: 0.5,
  /** Proposals with more points than this get 1st–99th percentile bounds; smaller, min/max. */
  robustBoundsMinPoints: 200,
  robustBoundsPercentile: 1,
  /** Percentiles come from at most this many evenly strided points of a proposal. */
  robustBoundsSamplePoints: 4096,
} as const;

/**
 * Upper bounds on the CLI's numeric flags (src/cli/args.ts NUMBER_FLAGS): values past them are
 * refused with a usage error rather than sizing threads or allocations (issue 15).
 */
export const CLI_NUMBER_LIMITS = {
  /** --threads: never more than this, and never more than the machine's cores. */
  maxThreads: 256,
  /** --border px: a border wider than any captured image would hide every point. */
  maxBorderPx: 4096,
  /** --voxel m: coarser than a building is no clustering at all. */
  maxVoxelM: 1000,
  maxVoxels: 10_000_000,
  maxBatch: 1024,
  maxTopK: 10_000,
} as const;

/** What the session hands a viewer at most (src/pipeline/session): lists rendered from user input. */
export const SESSION_LIMITS = {
  /**
   * Items of one list a reply carries (token diagnostics and boxes, warnings); the rest are
   * counted, not sent: 1 MB of broken tokens has ~100,000 diagnostics, nobody reads past a few.
   */
  listItems: 200,
} as const;

/**
 * Sizes read from files are checked against these before anything is allocated for them
 * (src/pipeline/budget/resource-budget.ts). A file declaring more is refused with a BudgetError.
 */
export const RESOURCE_BUDGET = {
  /** Pixels of one image, depth map or instance map (colour, depth, .sens, nerfstudio w·h). */
  maxPixels: IMAGE_DEFAULTS.maxPixels,
  /** Points (vertices) of one cloud. */
  maxPoints: 100_000_000,
  /** Frames of one scan. */
  maxFrames: 1_000_000,
  /** Bytes of one JSON document (manifests, transforms.json, meta.json, tokenizer.json). */
  maxJsonBytes: 512 * 1024 * 1024,
  /** Nesting depth of arrays/objects in one JSON document (real files: under 10). */
  maxJsonDepth: 64,
  /** Bytes one decoded buffer sized from a file may take (decoded image, inflated stream). */
  maxAllocationBytes: 1024 * 1024 * 1024,
  /**
   * Smallest compressed JPEG per declared pixel: every 8×8 luma block costs at least one bit
   * (the DC code), so a file smaller than pixels/512 bytes cannot hold the image; /2048 leaves
   * room for chroma-only savings and truncated copies while refusing a 2 KB "10000²" header.
   */
  minJpegBytesPerPixel: 1 / 2048,
  /** Deflate expands at most ~1032:1; a stream promising more is corrupt. */
  maxDeflateRatio: 1032,
} as const;
