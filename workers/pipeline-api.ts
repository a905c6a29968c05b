/**
 * The typed contract between the viewer and the pipeline worker. Everything crossing it is plain
 * structured-cloneable data; big typed arrays are transferred (Comlink.transfer), never copied.
 */
import type { Aabb, Intrinsics, SceneInfo } from '../src/pipeline/scene/types';
import type { Progress } from '../src/pipeline/progress';

export interface PingReply {
  reply: 'pong';
  /** Whether the worker itself is cross-origin isolated (SharedArrayBuffer for wasm threads). */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

/** One voxel-downsampled level of the scene's cloud (0 = full resolution). */
export interface CloudLevelInfo {
  voxelSize: number;
  count: number;
}

/** The cloud the viewer draws: at most `budget` points, picked from the full cloud by the worker. */
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
}

export interface SceneListEntry {
  id: string;
  name: string;
  description: string;
}

import type { DroppedFile } from '../src/hosts/browser/blob-file-source';

export type { DroppedFile };

export interface FrameImage {
  index: number;
  width: number;
  height: number;
  /** width*height*3 RGB bytes. */
  rgb: Uint8Array;
  /** Optional width*height heat values in 0..1 (NaN = none), the query projected into the frame. */
  heat?: Float32Array;
}

export type ProgressListener = (p: Progress) => void;

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
  diagnostics: { severity: 'error' | 'warning'; code: string; message: string }[];
  /** The normalisation used (centroid, radius), from the feature bundle or the cloud. */
  normalisation: { centroid: [number, number, number]; radius: number };
}

export type ModelVariantName = 'quantized' | 'fp32' | 'fp16';

export type ModelSpec =
  /** The bundled colour encoder served from our origin: colour words only. */
  | { kind: 'offline' }
  /** A CLIP export on the Hugging Face hub, downloaded once and kept in Cache Storage. */
  | { kind: 'hub'; repo?: string; variant?: ModelVariantName }
  /** A model folder the user picked or dropped. */
  | { kind: 'folder'; files: DroppedFile[] };

export interface ModelInfo {
  kind: ModelSpec['kind'];
  modelId: string;
  label: string;
  dim: number;
}

export interface ModelCacheInfo {
  files: number;
  bytes: number;
}

/** Options the pipeline panel exposes (others keep their documented defaults). */
export interface ExtractInput {
  frameStride?: number;
  cropScales?: number[];
  cropOverlap?: number;
}

export interface ExtractSummary {
  modelId: string;
  dim: number;
  points: number;
  seenPoints: number;
  views: number;
  crops: number;
  bytesPerPoint: number;
  seconds: { load: number; encode: number; fuse: number; field: number };
  warnings: string[];
  /** Restored from the browser's feature cache (same scene, model and options). */
  fromCache: boolean;
}

export interface QueryInput {
  text: string;
  negatives: string[];
  /** Fixed threshold; automatic when undefined. */
  threshold?: number;
  topK: number;
  mode: 'lerf' | 'cosine';
}

export interface QueryBox {
  rank: number;
  min: [number, number, number];
  max: [number, number, number];
  score: number;
  pointCount: number;
  tokens?: string;
}

export interface QueryReply {
  text: string;
  threshold: number;
  selectedCount: number;
  boxes: QueryBox[];
  /** Scores of the displayed points (heatmap attribute); range over the seen points. */
  scores: PointScores;
  /** Milliseconds for the text embedding and for scoring + grounding. */
  timings: { embedMs: number; groundMs: number };
}

/** A download: one zip (several files) or a single file. */
export interface ExportFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
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

/** One image decoded by the worker's decoders (see src/pipeline/image/decode.ts). */
export interface DecoderComparison {
  /** The platform decoder: createImageBitmap + OffscreenCanvas, for JPEG and PNG alike. */
  browser: RgbPixels;
  /** The pure-JS decoders Node uses (jpeg-js with libjpeg's colour conversion, fast-png). */
  pureJs: RgbPixels;
  /** What the pipeline itself decodes with in this worker (`decoder: 'auto'`). */
  auto: RgbPixels;
  /** Per-channel |browser - pureJs| in 8-bit levels. */
  difference: { maxAbs: number; meanAbs: number };
}

export interface PipelineApi {
  ping(): Promise<PingReply>;
  listScenes(): Promise<SceneListEntry[]>;
  /** Opens a built-in scene (the demo room, or the generated placeholder cloud). */
  openBuiltInScene(id: string, onProgress?: ProgressListener): Promise<SceneSummary>;
  /** Opens a scene from user files (a folder through webkitdirectory or drag-and-drop). */
  openFiles(files: DroppedFile[], onProgress?: ProgressListener): Promise<SceneSummary>;
  /** The current scene's cloud at the largest level that fits `budget` points. */
  getViewCloud(budget: number): Promise<ViewCloud>;
  /** Per displayed point view counts of the current extraction (NaN if none). */
  getViewCounts(): Promise<PointScores | undefined>;
  /** One frame's colour image, with the last query's scores projected into it when present. */
  getFrameImage(index: number): Promise<FrameImage>;
  /** Finds every six-token `<locK>` run in free text and decodes it to a box in metres. */
  parseTokens(text: string): Promise<TokenParseReply>;
  /** The six location tokens of a box in metres. */
  encodeTokens(min: [number, number, number], max: [number, number, number]): Promise<string>;
  loadModel(spec: ModelSpec, onProgress?: ProgressListener): Promise<ModelInfo>;
  modelCacheInfo(): Promise<ModelCacheInfo>;
  /** Clears downloaded model files; returns how many were removed. */
  clearModelCache(): Promise<number>;
  /** Runs the feature pipeline on the open scene with the loaded model. */
  extract(input: ExtractInput, onProgress?: ProgressListener): Promise<ExtractSummary>;
  /** Scores and grounds a text query against the extracted feature field. */
  query(input: QueryInput): Promise<QueryReply>;
  /** Feature bundle (meta.json, points/colors/view_counts/features .npy, features.field), zipped. */
  exportBundle(): Promise<ExportFile>;
  /** 3D-LLM export (voxels, voxel_features, voxel_features_pe .npy), zipped. */
  export3dLlm(peWeight?: number): Promise<ExportFile>;
  /** Text embeddings from the loaded model (tokenised by its tokenizer). */
  embedTexts(texts: string[]): Promise<Embeddings>;
  /**
   * Image embeddings from the loaded model: each RGB image (any size) goes through the pipeline's
   * CLIP preprocessing (shorter side to 224, bicubic, centre crop, normalise) first.
   */
  embedImages(images: RgbPixels[]): Promise<Embeddings>;
  /** Decodes one JPEG or PNG with the browser's decoder and the pure-JS one, and compares them. */
  compareImageDecoders(bytes: Uint8Array, name: string): Promise<DecoderComparison>;
  /**
   * A shared flag (Int32Array over a SharedArrayBuffer, cross-origin isolated pages only) that
   * the page sets to cancel: long jobs check it at every progress report, so a cancel lands even
   * while the worker's event loop is busy and cannot receive `cancel()`.
   */
  setCancelFlag(flag: Int32Array): Promise<void>;
  /** Aborts the long job in flight (open, reconstruct, extract); it rejects with CancelledError. */
  cancel(): Promise<void>;
}
