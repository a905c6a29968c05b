/**
 * The pipeline's public surface: what hosts (src/hosts), the worker (workers/) and the CLI
 * (src/cli) build on. Re-exports only, grouped by stage along the data flow
 * scene → frames → features → field → query → boxes → tokens; anything not listed here is an
 * implementation detail of its stage.
 */

// --- Session: one orchestration for every host ------------------------------------------------
export { PipelineSession, type BuiltInScene, type SessionHost } from './session/pipeline-session';
export {
  extractBundle,
  extractionKey,
  openBundle,
  restoreBundle,
  type ExtractBundleOptions,
  type FeatureExtraction,
} from './session/extract-bundle';
export { MemoryFeatureCache, type FeatureCache } from './session/feature-cache';
export type * from './session/types';

// --- Host capabilities, progress, errors, defaults ---------------------------------------------
export { installPlatform, platform, type Platform } from './platform';
export {
  progressTracker,
  type Progress,
  type ProgressCallback,
  type WorkOptions,
} from './progress';
export {
  BudgetError,
  CancelledError,
  MissingFileError,
  ModelError,
  ParseError,
  UnsupportedError,
  formatLocation,
  throwIfAborted,
  type FileLocation,
} from './errors';
export {
  FEATURE_DEFAULTS,
  FEATURE_DETAIL_PRESETS,
  QUERY_DEFAULTS,
  type FeatureDetail,
} from './defaults';

// --- Files ---------------------------------------------------------------------------------------
export { basename, dirname, joinPath, readText, type FileSource } from './io/file-source';
export { MemoryFileSource } from './io/memory-file-source';

// --- Scenes and frames ---------------------------------------------------------------------------
export { openScene, type OpenSceneOptions } from './scene/open-scene';
export { sceneInfo, type SceneInfoOptions, type SceneInfoReport } from './scene/scene-info';
export {
  BUNDLE_MANIFEST,
  manifestFiles,
  validateManifest,
  type BundleManifest,
} from './scene/bundle/manifest';
export type {
  Aabb,
  GtObject,
  Intrinsics,
  Mat4,
  PointCloud,
  RgbImage,
  RgbdFrame,
  Scene,
  SceneFormat,
  SceneInfo,
} from './scene/types';
export { checkImageSize, decodeColorImage, rgbaToRgb } from './image/decode';

// --- Models ---------------------------------------------------------------------------------------
export type { ClipEncoder, TextTokenizer } from './clip/types';
export {
  parseModelVariant,
  type ModelSource,
  type ModelVariant,
} from './clip/model-source/model-source';
export { FolderModelSource } from './clip/model-source/folder-model-source';
export { hubModelSource, offlineHttpModelSource } from './clip/model-source/http-model-source';
export { inMemoryOfflineModelSource } from './clip/model-source/offline-model-source';
export {
  loadClipModel,
  type LoadClipModelOptions,
  type LoadedClipModel,
} from './clip/model-source/load-clip-model';
export {
  MODEL_CACHE_NAME,
  type CachedModelFile,
  type ModelFileCache,
} from './clip/model-source/model-file-cache';
export { OFFLINE_MODEL_ID, OFFLINE_MODEL_PATH } from './clip/offline/offline-spec';
export { loadClipTokenizer } from './clip/tokenizer/load-tokenizer';
export { preprocessImage, type PixelRect } from './clip/preprocess/clip-preprocess';

// --- Features and the field -----------------------------------------------------------------------
export {
  extractFeatures,
  resolveExtractOptions,
  type ExtractRequest,
  type ExtractResult,
} from './features/extract';
export { featureCacheKey, sceneFingerprint } from './features/cache-key';
export {
  readFeatureBundle,
  write3dLlmExport,
  writeFeatureBundle,
  type FeatureBundle,
  type FeatureBundleMeta,
} from './features/bundle';
export { encodeFeatureField, type FeatureField } from './features/feature-field';
export { sceneNormalisation } from './features/voxel-tokens';

// --- Queries and boxes ----------------------------------------------------------------------------
export {
  queryByText,
  type QueryScene,
  type TextQueryOptions,
  type TextQueryResult,
} from './query/text-query';
export { evaluateGrounding, type GroundingReport } from './query/evaluate';
export { parseQueryFile, type GroundingQuery } from './query/query-file';
export { readBundleNormalisation } from './query/bundle-normalisation';
export type { GroundedBox, GroundingResult } from './query/types';

// --- Location tokens (src/tokens) -----------------------------------------------------------------
export * from '../tokens';
