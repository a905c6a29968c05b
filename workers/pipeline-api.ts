/**
 * The typed contract between the viewer and the pipeline worker: the session's plain-data types
 * (src/pipeline/session/types.ts) plus what only the browser adds (dropped files, model specs,
 * zipped downloads). Big typed arrays are transferred (Comlink.transfer), never copied.
 */
import type { Progress } from '../src/pipeline/progress';
import type {
  Embeddings,
  ExtractInput,
  ExtractSummary,
  FrameImage,
  GroundScoresInput,
  ModelCacheInfo,
  ModelInfo,
  ObjectsReply,
  PipelineDefaults,
  PointScores,
  QueryInput,
  QueryReply,
  ReconstructionInput,
  RgbPixels,
  SceneListEntry,
  SceneSummary,
  TokenParseReply,
  ViewCloud,
} from '../src/pipeline/session/types';
import type { DroppedFile } from '../src/hosts/browser/blob-file-source';
import type { ModelSpec } from '../src/hosts/browser/model-spec';

export type * from '../src/pipeline/session/types';
export type { DroppedFile, ModelSpec };

export interface PingReply {
  reply: 'pong';
  /** Whether the worker itself is cross-origin isolated (SharedArrayBuffer for wasm threads). */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export type ProgressListener = (p: Progress) => void;

/** A download: one zip of several files. */
export interface ExportFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export interface PipelineApi {
  ping(): Promise<PingReply>;
  /** The documented defaults and presets the forms show. */
  getDefaults(): Promise<PipelineDefaults>;
  listScenes(): Promise<SceneListEntry[]>;
  /**
   * Opens a built-in scene (the generated demo room bundle); `reconstruction` sets how a scan
   * without a cloud file gets its points (defaults when absent).
   */
  openBuiltInScene(
    id: string,
    onProgress?: ProgressListener,
    reconstruction?: ReconstructionInput,
  ): Promise<SceneSummary>;
  /** Opens a scene from user files (a folder through webkitdirectory or drag-and-drop). */
  openFiles(
    files: DroppedFile[],
    onProgress?: ProgressListener,
    reconstruction?: ReconstructionInput,
  ): Promise<SceneSummary>;
  /**
   * Reconstructs the open scan's cloud from its frames again with other options (a cancellable
   * job); resolves with the scene as newly opened (new epoch: fetch the cloud again, earlier
   * features and objects are gone). Rejects for scenes whose points came from a file.
   */
  reconstructScene(
    reconstruction: ReconstructionInput,
    onProgress?: ProgressListener,
  ): Promise<SceneSummary>;
  /** The current scene's cloud at the largest level that fits `budget` points. */
  getViewCloud(budget: number): Promise<ViewCloud>;
  /**
   * Unit normals (n×3, (0, 0, 0) = unknown) of the points of the last getViewCloud, estimated on
   * first request per level (PCA over neighbours): asked only by the 'normal' colour mode.
   */
  getViewNormals(): Promise<Float32Array>;
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
  /**
   * Removes cached extracted features: the open scene's (any model or option) or all of them;
   * returns how many bundles were removed.
   */
  clearFeatureCache(scope: 'scene' | 'all'): Promise<number>;
  /**
   * The features that came with the open scene (OpenScene's `<scene>_<n>.pt` next to its mesh):
   * already its extraction, no model or Extract needed; undefined when it brought none.
   */
  getImportedExtraction(): Promise<ExtractSummary | undefined>;
  /** Runs the feature pipeline on the open scene with the loaded model (or restores it). */
  extract(input: ExtractInput, onProgress?: ProgressListener): Promise<ExtractSummary>;
  /** Scores and grounds a text query against the extracted feature field. */
  query(input: QueryInput): Promise<QueryReply>;
  /** Grounds an external per-point heatmap on the scene's objects (its array is transferred). */
  groundScores(input: GroundScoresInput): Promise<QueryReply>;
  /**
   * Segments the open scene into object proposals (cached per scene; a long job like extract,
   * cancellable) and lists every proposal of every level.
   */
  objects(onProgress?: ProgressListener): Promise<ObjectsReply>;
  /**
   * Per displayed point (the cloud of the last getViewCloud), the proposal id at `level`
   * (−1 = none). Rejects with UnsupportedError before objects() has run for this scene.
   */
  getSegmentIds(level: number): Promise<Int32Array>;
  /** Feature bundle (meta.json, points/colors/view_counts/features .npy, features.field), zipped. */
  exportBundle(): Promise<ExportFile>;
  /** 3D-LLM export (voxels, voxel_features, voxel_features_pe .npy), zipped. */
  export3dLlm(peWeight?: number): Promise<ExportFile>;
  /** Text embeddings from the loaded model (tokenised by its tokenizer). */
  embedTexts(texts: string[]): Promise<Embeddings>;
  /** Image embeddings from the loaded model, each image CLIP-preprocessed first. */
  embedImages(images: RgbPixels[]): Promise<Embeddings>;
  /**
   * A shared flag (Int32Array over a SharedArrayBuffer, cross-origin isolated pages only) that
   * the page sets to cancel: long jobs check it at every progress report, so a cancel lands even
   * while the worker's event loop is busy and cannot receive `cancel()`.
   */
  setCancelFlag(flag: Int32Array): Promise<void>;
  /** Aborts the long job in flight (open, reconstruct, load, extract); it rejects with CancelledError. */
  cancel(): Promise<void>;
}
