/**
 * The one extract → field → bundle sequence every host runs (worker, CLI, tests): fuse multi-view
 * features onto the scene's points, encode the compact field, and build the bundle's files and
 * meta once. Also the inverse: a bundle's files (a cache entry, a folder) back to the same shape.
 */
import type { ClipEncoder } from '../clip/types';
import {
  encodeFeatureBundle,
  readFeatureBundle,
  type FeatureBundle,
  type FeatureBundleMeta,
} from '../features/bundle';
import { featureCacheKey, sceneFingerprint } from '../features/cache-key';
import { clipCropPreprocessor } from '../features/crop-preprocess';
import { extractFeatures, type ExtractRequest, type ExtractResult } from '../features/extract';
import { encodeFeatureField } from '../features/feature-field';
import {
  defaultViewSource,
  extractionViews,
  requestedViews,
  type ExtractionViews,
  type ViewStore,
} from '../features/extraction/plan-views';
import type { FileSource } from '../io/file-source';
import { MemoryFileSource } from '../io/memory-file-source';
import { platform } from '../platform';
import type { WorkOptions } from '../progress';
import type { RgbdFrame, Scene } from '../scene/types';
import type { ExtractSummary, ViewFrame } from './types';

/** An extracted or restored feature bundle: its files (for export) and its arrays (for queries). */
export interface FeatureExtraction {
  files: Map<string, Uint8Array>;
  bundle: FeatureBundle;
  summary: ExtractSummary;
  /** Fusion details only a fresh extraction has (the CLI prints them). */
  result?: ExtractResult;
  /** The rendered views it used (none when it used captured frames only). */
  rendered?: RgbdFrame[];
}

export interface ExtractBundleOptions extends WorkOptions {
  featuresDtype?: '<f2' | '<f4';
  /** The scene's fingerprint, when the caller has it already. */
  sceneHash?: string;
  /** Where rendered views' plans and renders are kept for the scene (none: planned afresh). */
  viewStore?: ViewStore;
  /** The views, when the caller has chosen them already (extractionViews). */
  views?: ExtractionViews;
}

/** The request with `views` dropped when it is the scene's default (keys stay as they were). */
export function normaliseRequest(scene: Scene, request: ExtractRequest): ExtractRequest {
  const views = requestedViews(scene, request.views);
  const { views: _given, renderViews, ...rest } = request;
  void _given;
  // Render options matter only when something is rendered.
  const rendering = (views ?? defaultViewSource(scene)) !== 'captured';
  return {
    ...rest,
    ...(views ? { views } : {}),
    ...(rendering && renderViews ? { renderViews } : {}),
  };
}

/** The viewer's description of rendered frames (listed with the captured ones after extraction). */
export function viewFramesOf(frames: readonly RgbdFrame[]): ViewFrame[] {
  return frames.map((f) => ({
    index: f.index,
    name: f.name,
    intrinsics: { ...f.intrinsics },
    cameraToWorld: Array.from(f.cameraToWorld),
    ...(f.rendered ? { rendered: true } : {}),
  }));
}

/** The feature cache key of this scene, model and request. */
/**
 * The model as far as extracted features depend on it: its id plus the dense last-block rewrite
 * when it has one (the same model with another method gives other features).
 */
export function featureModelId(encoder: Pick<ClipEncoder, 'modelId' | 'dense'>): string {
  return encoder.dense ? `${encoder.modelId}#dense-${encoder.dense.method}` : encoder.modelId;
}

export function extractionKey(
  scene: Scene,
  modelId: string,
  request: ExtractRequest,
  sceneHash = sceneFingerprint(scene),
): string {
  return featureCacheKey(sceneHash, modelId, resolvedOptions(normaliseRequest(scene, request)));
}

function resolvedOptions(request: ExtractRequest) {
  // The preset and overrides resolve in one place (features/extract.ts).
  return extractOptionsOf(request);
}

import { resolveExtractOptions as extractOptionsOf } from '../features/extract';

function summaryOf(
  meta: FeatureBundleMeta,
  cacheKey: string,
  extra: Pick<ExtractSummary, 'seconds' | 'warnings' | 'fromCache'>,
): ExtractSummary {
  return {
    modelId: meta.model.id,
    dim: meta.model.dim,
    points: meta.counts.points,
    seenPoints: meta.counts.seenPoints,
    views: meta.counts.views,
    crops: meta.counts.crops,
    // Bundles from before dense features have no featureSource: they used crops.
    featureSource: meta.stats?.featureSource ?? 'crops',
    ...(meta.stats?.denseMethod ? { denseMethod: meta.stats.denseMethod } : {}),
    bytesPerPoint: meta.field.bytesPerPoint,
    cacheKey,
    ...extra,
  };
}

export async function extractBundle(
  scene: Scene,
  encoder: ClipEncoder,
  request: ExtractRequest,
  options: ExtractBundleOptions = {},
): Promise<FeatureExtraction> {
  const sceneHash = options.sceneHash ?? sceneFingerprint(scene);
  const normalised = normaliseRequest(scene, request);
  // Rendered views (scans without frames) are ordinary frames of a stand-in scene.
  const views =
    options.views ??
    (await extractionViews(scene, normalised, {
      signal: options.signal,
      onProgress: options.onProgress,
      store: options.viewStore,
    }));
  const result = await extractFeatures(views.scene, encoder, normalised, {
    preprocess: clipCropPreprocessor(),
    signal: options.signal,
    onProgress: options.onProgress,
  });
  // The planner's notes (no floor found, coverage target missed) come first.
  if (views.plan) result.warnings.unshift(...views.plan.warnings);
  const t0 = platform().now();
  const field = encodeFeatureField(result.features, result.count, result.dim, result.viewCounts);
  // The first query should not pay the one-time copy of the codes into wasm memory.
  field.prepareScoring?.();
  const { meta, files } = encodeFeatureBundle(result, field, {
    sceneHash,
    featuresDtype: options.featuresDtype,
  });
  const fieldS = (platform().now() - t0) / 1000;
  const cacheKey = featureCacheKey(sceneHash, featureModelId(encoder), result.options);
  return {
    files,
    bundle: {
      meta,
      positions: result.positions,
      colors: result.colors,
      viewCounts: result.viewCounts,
      features: result.features,
      field,
    },
    result,
    ...(views.rendered.length > 0 ? { rendered: views.rendered } : {}),
    summary: summaryOf(meta, cacheKey, {
      seconds: {
        load: result.timings.loadS,
        encode: result.timings.encodeS,
        fuse: result.timings.fuseS,
        field: fieldS,
      },
      warnings: result.warnings,
      fromCache: false,
    }),
  };
}

/** A bundle's files read back through the bundle reader (validated like any bundle folder). */
export async function restoreBundle(
  files: Map<string, Uint8Array>,
  name: string,
  cacheKey: string,
): Promise<FeatureExtraction> {
  return openBundle(new MemoryFileSource(files, name), cacheKey, files);
}

/** A feature bundle folder (CLI `query`, `export-3dllm`) in the session's shape. */
export async function openBundle(
  source: FileSource,
  cacheKey?: string,
  files?: Map<string, Uint8Array>,
): Promise<FeatureExtraction> {
  const bundle = await readFeatureBundle(source);
  bundle.field.prepareScoring?.();
  const { meta } = bundle;
  const key =
    cacheKey ??
    (meta.sceneHash ? featureCacheKey(meta.sceneHash, meta.model.id, meta.options) : '');
  return {
    files: files ?? new Map(),
    bundle,
    summary: summaryOf(meta, key, {
      seconds: { load: 0, encode: 0, fuse: 0, field: 0 },
      warnings: [],
      fromCache: true,
    }),
  };
}
