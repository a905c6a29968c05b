/**
 * Plain data the pipeline session returns: what the worker sends the viewer (structured-clone
 * safe; big typed arrays are transferred by the worker) and what the CLI prints.
 */
import type { FeatureDetail } from '../defaults';
import type { ReconstructionSummary } from '../scene/reconstruct';
import type { Aabb, Intrinsics, SceneInfo } from '../scene/types';

export type { ReconstructionSummary };

/**
 * How a scan without a cloud file (RGB-D frames only) gets its points: when opening it, or again
 * for the open scene (PipelineSession.reconstructScene). Unset fields keep the defaults.
 */
export interface ReconstructionInput {
  /** Every k-th frame (1 = all); unset: the smallest stride within the point budget. */
  frameStride?: number;
  /** Voxel edge in metres. */
  voxelSize?: number;
}

/** One voxel-downsampled level of the scene's cloud (0 = full resolution). */
export interface CloudLevelInfo {
  voxelSize: number;
  count: number;
}

/** The cloud the viewer draws: at most `budget` points, picked from the full cloud. */
export interface ViewCloud {
  positions: Float32Array;
  colors: Uint8Array;
  /** Per displayed point: instance id of its GT object (-1 = none), when known. */
  instanceIds?: Int32Array;
  /** Points in the full-resolution cloud. */
  totalCount: number;
  /** Voxel size of the level shown, 0 for full resolution. */
  voxelSize: number;
  levels: CloudLevelInfo[];
}

/** Per displayed point values for the heatmap and view-count colour modes. */
export interface PointScores {
  /** One value per displayed point; NaN = no value (e.g. the point was not seen by any view). */
  values: Float32Array;
  min: number;
  max: number;
}

export interface ViewFrame {
  index: number;
  name: string;
  intrinsics: Intrinsics;
  /** Row-major 4x4 camera-to-world, OpenCV camera axes (see src/pipeline/scene/types.ts). */
  cameraToWorld: number[];
  /** A view rendered from the scene's mesh or points (listed once an extraction used it). */
  rendered?: boolean;
}

export interface ViewObject {
  id: number;
  label: string;
  colorName?: string;
  aabb: Aabb;
}

export interface SceneSummary {
  /** Key for the URL hash and caches ('demo-room', 'files:<name>', ...). */
  id: string;
  info: SceneInfo;
  frames: ViewFrame[];
  objects: ViewObject[];
  /** World up axis inferred from the frames or the cloud (unit vector). */
  up: [number, number, number];
  /** How the cloud was reconstructed from the frames (absent: it came from a file, or none). */
  reconstruction?: ReconstructionSummary;
  /**
   * Which opening of the session this is (1, 2, ...; each successful open adds one). Replies
   * about a scene (extraction, objects) carry it as `sceneEpoch`, so a host that swapped scenes
   * can drop a late reply about the old one.
   */
  epoch?: number;
}

export interface SceneListEntry {
  id: string;
  name: string;
  description: string;
}

export interface FrameImage {
  index: number;
  width: number;
  height: number;
  /** width*height*3 RGB bytes. */
  rgb: Uint8Array;
  /** Optional width*height heat values in 0..1 (NaN = none), the query projected into the frame. */
  heat?: Float32Array;
}

/** A box decoded from location tokens (text from the user or an LLM: rendered as text only). */
export interface TokenBox {
  label: string;
  tokens: string;
  min: [number, number, number];
  max: [number, number, number];
  swappedAxes: number[];
}

export interface TokenParseReply {
  boxes: TokenBox[];
  /** The first diagnostics (at most SESSION_LIMITS.listItems; the rest are only counted). */
  diagnostics: { severity: 'error' | 'warning'; code: string; message: string }[];
  /** Diagnostics (and boxes) left out of the lists above because they were too many. */
  omitted?: { diagnostics: number; boxes: number };
  /** The normalisation used (centroid, radius), from the feature bundle or the cloud. */
  normalisation: { centroid: [number, number, number]; radius: number };
}

export type ModelVariantName = 'quantized' | 'fp32' | 'fp16';

export interface ModelInfo {
  kind: 'offline' | 'hub' | 'folder';
  modelId: string;
  label: string;
  dim: number;
  /** Dense one-pass features: the last-block rewrite and the patch grid per 224-px window. */
  dense?: { method: string; grid: [number, number] };
  /** Why the model has no dense features (extraction then uses crops). */
  denseUnavailable?: string;
}

export interface ModelCacheInfo {
  files: number;
  bytes: number;
}

/** Extraction options a host exposes (others keep their documented defaults). */
export interface ExtractInput {
  /** Dense one-pass patch features (default; crops for a model without them) or crop tiles. */
  features?: 'dense' | 'crops';
  denseShortSide?: number;
  denseStride?: number;
  detail?: FeatureDetail;
  frameStride?: number;
  cropScales?: number[];
  cropOverlap?: number;
  batchSize?: number;
  borderPx?: number;
  /** Captured frames, views rendered from the scene, or both; default: captured if it has frames. */
  views?: 'captured' | 'rendered' | 'both';
  /** Only restore from the feature cache (a page reload); rejects when nothing is cached. */
  cachedOnly?: boolean;
  /** Rendered views' size, field of view, count and coverage target. */
  renderViews?: {
    width?: number;
    height?: number;
    horizontalFovDeg?: number;
    maxViews?: number;
    targetCoverage?: number;
  };
}

export interface ExtractSummary {
  modelId: string;
  dim: number;
  points: number;
  seenPoints: number;
  views: number;
  /** Images the encoder ran on: crop tiles (globals included) or dense windows. */
  crops: number;
  featureSource: 'dense' | 'crops';
  /** The dense last-block rewrite ('clearclip', …, or 'native'), when featureSource is dense. */
  denseMethod?: string;
  bytesPerPoint: number;
  /** Seconds per stage; 0 for stages a restored bundle skipped. */
  seconds: { load: number; encode: number; fuse: number; field: number };
  warnings: string[];
  /** Restored from the host's feature cache (same scene, model and options). */
  fromCache: boolean;
  /** The feature cache key (scene fingerprint, model id, options). */
  cacheKey: string;
  /** The SceneSummary.epoch of the scene these features belong to. */
  sceneEpoch?: number;
  /** The rendered views it used, to list with the scene's frames (absent: captured only). */
  renderedFrames?: ViewFrame[];
  /** Features read from a file that came with the scene, not extracted (OpenScene's .pt). */
  importedFrom?: { format: 'openscene'; file: string; textSpace: string };
}

export interface QueryInput {
  text: string;
  /** Negative phrases for LERF relevancy; the documented defaults when absent. */
  negatives?: string[];
  /** Fixed threshold; automatic when undefined. */
  threshold?: number;
  topK?: number;
  mode?: 'lerf' | 'cosine';
  /** Cluster voxel side in metres; the default (adapted to the cloud's density) when absent. */
  clusterVoxelSize?: number;
  /** 'objects' (default): boxes are the scene's segmented objects; 'clusters': voxel blobs. */
  grounding?: 'objects' | 'clusters';
}

export interface QueryBox {
  rank: number;
  min: [number, number, number];
  max: [number, number, number];
  /** The ranking key, shown as is (boxes come in descending score order). */
  score: number;
  pointCount: number;
  tokens?: string;
  /** The scene object (segmentation proposal) this box is, when grounded on proposals. */
  objectId?: number;
}

export interface QueryReply {
  text: string;
  threshold: number;
  selectedCount: number;
  boxes: QueryBox[];
  /**
   * Whether something separates from the background. When false, `boxes` is empty and `reason`
   * says why (a word the model does not know, a flat score distribution, nothing seen).
   */
  confident: boolean;
  reason?: string;
  /** Scores of the displayed points (heatmap attribute); range over the seen points. */
  scores: PointScores;
  /** Milliseconds for the text embedding and for scoring + grounding. */
  timings: { embedMs: number; groundMs: number };
}

/** Grounds a per-point heatmap from elsewhere (another model, GT labels) on the scene's objects. */
export interface GroundScoresInput {
  /** One float per point of the scene's cloud, same order; NaN = unseen. */
  scores: Float32Array;
  topK?: number;
  /** A name for the reply's `text` (e.g. the scores file's name). */
  label?: string;
}

export type StructureName = 'floor' | 'wall' | 'ceiling';

/** One proposal of the scene's segmentation (a part or a whole object). */
export interface SceneObject {
  /** Proposal id (stable for this scene and segmentation options). */
  id: number;
  /** 0 = finest parts; the highest level has the largest groups. */
  level: number;
  /** The proposal one level up that contains it (−1 at the top). */
  parent: number;
  min: [number, number, number];
  max: [number, number, number];
  pointCount: number;
  /** Set when the proposal is scene structure rather than an object. */
  structure?: StructureName;
  /** The box's six location tokens. */
  tokens: string;
}

export interface ObjectsReply {
  levelCount: number;
  /** The level a viewer shows by default: whole objects, not parts. */
  objectLevel: number;
  /** Every proposal of every level, by id. */
  objects: SceneObject[];
  /** Seconds the segmentation took (0 when it was cached with the scene). */
  seconds: number;
  /** The SceneSummary.epoch of the scene these objects belong to. */
  sceneEpoch?: number;
}

/** A plain 8-bit RGB image: an input patch for embedImages, or a decoded image. */
export interface RgbPixels {
  width: number;
  height: number;
  /** width*height*3 RGB bytes, row-major. */
  rgb: Uint8Array;
}

/** L2-normalised embeddings of the loaded model, row-major `count` x `dim`. */
export interface Embeddings {
  modelId: string;
  dim: number;
  count: number;
  data: Float32Array;
}

/** The documented defaults hosts show in their forms (served, so the viewer imports no pipeline code). */
export interface PipelineDefaults {
  extract: {
    /** Dense one-pass patch features or crop tiles (detail, scales and overlap are for crops). */
    features: 'dense' | 'crops';
    detail: FeatureDetail;
    frameStride: number;
    cropScales: number[];
    cropOverlap: number;
    presets: Record<FeatureDetail, { cropScales: number[]; cropOverlap: number }>;
  };
  query: { negatives: string[]; topK: number; mode: 'lerf' | 'cosine' };
  export: { peWeight: number };
}

/** Files for a download (the worker zips them; the CLI writes them to a folder). */
export interface ExportFiles {
  /** A file-name-safe stem ('<scene>-features', '<scene>-3dllm'). */
  name: string;
  files: Map<string, Uint8Array>;
}
