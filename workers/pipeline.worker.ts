/**
 * The pipeline worker: a thin comlink facade over src/pipeline. It holds the open scene, the
 * loaded CLIP model and the extracted feature field; the viewer only ever receives plain data and
 * transferred typed arrays.
 */
import * as Comlink from 'comlink';
import { zipSync } from 'fflate';
import {
  loadClipModel,
  type LoadedClipModel,
} from '../src/pipeline/clip/model-source/load-clip-model';
import { FolderModelSource } from '../src/pipeline/clip/model-source/folder-model-source';
import {
  hubModelSource,
  offlineHttpModelSource,
} from '../src/pipeline/clip/model-source/http-model-source';
import { defaultModelCache } from '../src/pipeline/clip/model-source/model-file-cache';
import type { ModelSource } from '../src/pipeline/clip/model-source/model-source';
import { buildDemoRoom } from '../src/pipeline/demo/demo-room';
import { preprocessBatch } from '../src/pipeline/clip/preprocess/clip-preprocess';
import { CLIP_MODEL_DEFAULTS } from '../src/pipeline/defaults';
import { UnsupportedError } from '../src/pipeline/errors';
import {
  readFeatureBundle,
  write3dLlmExport,
  writeFeatureBundle,
  type FeatureBundleMeta,
} from '../src/pipeline/features/bundle';
import { featureCacheKey, sceneFingerprint } from '../src/pipeline/features/cache-key';
import { clipCropPreprocessor } from '../src/pipeline/features/crop-preprocess';
import { extractFeatures, resolveExtractOptions } from '../src/pipeline/features/extract';
import { encodeFeatureField, type FeatureField } from '../src/pipeline/features/feature-field';
import { imageDifference } from '../src/pipeline/image/compare';
import { decodeColorImage, decodeWithBrowser } from '../src/pipeline/image/decode';
import { MemoryFileSource } from '../src/pipeline/io/memory-file-source';
import { sceneNormalisation } from '../src/pipeline/features/voxel-tokens';
import { groundQuery } from '../src/pipeline/query/ground';
import { NegativeSimilarityCache } from '../src/pipeline/query/relevancy';
import { embedQueryText, negativeEmbeddingCache } from '../src/pipeline/query/text-embedding';
import { openScene } from '../src/pipeline/scene/open-scene';
import { ensureCloud } from '../src/pipeline/scene/reconstruct';
import type { RgbImage, Scene } from '../src/pipeline/scene/types';
import { encodeBoxToTokens, parseLocationTokens, type SceneNormalisation } from '../src/tokens';
import { BlobFileSource } from './blob-file-source';
import {
  cloudLevels,
  gatherLevel,
  pickLevel,
  type CloudLevel,
} from '../src/pipeline/scene/cloud-levels';
import { loadCachedBundle, saveCachedBundle } from './feature-cache';
import { projectHeat } from '../src/pipeline/query/frame-heat';
import type {
  DecoderComparison,
  DroppedFile,
  Embeddings,
  ExportFile,
  ExtractInput,
  ExtractSummary,
  FrameImage,
  ModelInfo,
  ModelSpec,
  PipelineApi,
  PointScores,
  ProgressListener,
  QueryInput,
  RgbPixels,
  QueryReply,
  SceneListEntry,
  SceneSummary,
  TokenParseReply,
  ViewCloud,
} from './pipeline-api';
import { placeholderScene } from './placeholder-scene';
import { summarizeScene } from './scene-summary';

/** Below this a budget would hide the scene rather than help the frame rate. */
const MIN_BUDGET = 10_000;

/** An extracted (or restored) feature bundle: its files for export and its arrays for queries. */
interface Extraction {
  files: Map<string, Uint8Array>;
  meta: FeatureBundleMeta;
  positions: Float32Array;
  viewCounts: Uint16Array;
  features: Float32Array;
  field: FeatureField;
  summary: ExtractSummary;
  negatives: NegativeSimilarityCache;
  /** Full-cloud scores of the last query, for the frame view. */
  lastScores?: { scores: Float32Array; range: [number, number] };
}

interface OpenState {
  id: string;
  scene: Scene;
  levels?: CloudLevel[];
  levelsBudget?: number;
  /** The level last sent to the viewer: per-point values are gathered with its indices. */
  shown?: CloudLevel;
  /** Centroid and radius for location tokens (the feature bundle's once extracted). */
  normalisation?: SceneNormalisation;
  extraction?: Extraction;
}

let current: OpenState | undefined;
let model: { info: ModelInfo; loaded: LoadedClipModel } | undefined;
/** The long job in flight; `cancel()` aborts it. */
let job: AbortController | undefined;

/** Set to 1 by the page to cancel (see PipelineApi.setCancelFlag). */
let cancelFlag: Int32Array | undefined;

/**
 * Runs long work with an AbortSignal that `cancel()`, the shared cancel flag or a newer job fires.
 * The work's progress reports go through `report`, which also polls the shared flag.
 */
async function longJob<T>(
  onProgress: ProgressListener | undefined,
  work: (signal: AbortSignal, report: ProgressListener) => Promise<T>,
): Promise<T> {
  job?.abort();
  const controller = new AbortController();
  job = controller;
  if (cancelFlag) Atomics.store(cancelFlag, 0, 0);
  const report: ProgressListener = (p) => {
    if (cancelFlag && Atomics.load(cancelFlag, 0) === 1) controller.abort();
    onProgress?.(p);
  };
  try {
    return await work(controller.signal, report);
  } finally {
    if (job === controller) job = undefined;
  }
}

const BUILT_IN: SceneListEntry[] = [
  {
    id: 'demo-room',
    name: 'Demo room',
    description: 'A generated room with ten coloured objects, 24 RGB-D views and ground truth.',
  },
  {
    id: 'shapes',
    name: 'Generated shapes',
    description: 'A floor and three coloured solids, generated in the worker.',
  },
];

/** Makes the scene current; scenes with frames but no cloud get one reconstructed. */
async function open(
  id: string,
  scene: Scene,
  signal: AbortSignal,
  onProgress?: ProgressListener,
): Promise<SceneSummary> {
  await ensureCloud(scene, { signal, onProgress: (p) => onProgress?.(p) });
  current = { id, scene };
  return summarizeScene(id, scene);
}

function requireScene(): OpenState {
  if (!current) throw new UnsupportedError('No scene is open');
  return current;
}

function requireExtraction(): { state: OpenState; extraction: Extraction } {
  const state = requireScene();
  if (!state.extraction) throw new UnsupportedError('Extract features first (Pipeline panel)');
  return { state, extraction: state.extraction };
}

function normalisationOf(state: OpenState): SceneNormalisation {
  if (!state.normalisation) {
    const positions = state.scene.cloud?.positions;
    if (!positions || positions.length === 0) {
      throw new UnsupportedError('Location tokens need a scene with points');
    }
    state.normalisation = sceneNormalisation(positions);
  }
  return state.normalisation;
}

/** Per displayed point values and their range over finite values. */
function displayed(state: OpenState, values: Float32Array): PointScores {
  const level = state.shown ?? { voxelSize: 0, count: values.length };
  const out = gatherLevel(level, values, 1, (n) => new Float32Array(n));
  let min = Infinity;
  let max = -Infinity;
  for (const v of out) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) [min, max] = [0, 1];
  return { values: out, min, max };
}

function modelSourceFor(spec: ModelSpec): ModelSource {
  if (spec.kind === 'offline') return offlineHttpModelSource();
  if (spec.kind === 'hub') return hubModelSource({ repo: spec.repo, variant: spec.variant });
  if (spec.files.length === 0) throw new UnsupportedError('The model folder is empty');
  return new FolderModelSource(BlobFileSource.fromDropped(spec.files));
}

function zipFiles(name: string, files: Map<string, Uint8Array>): ExportFile {
  const entries: Record<string, Uint8Array> = {};
  for (const [path, bytes] of files) entries[`${name}/${path}`] = bytes;
  // .npy compresses poorly and is big: store, don't deflate (fast, and the page stays light).
  const bytes = zipSync(entries, { level: 0 });
  return Comlink.transfer({ name: `${name}.zip`, mime: 'application/zip', bytes }, [bytes.buffer]);
}

function parseMeta(files: Map<string, Uint8Array>): FeatureBundleMeta {
  return JSON.parse(new TextDecoder().decode(files.get('meta.json'))) as FeatureBundleMeta;
}

/** A cached bundle for this key, read back through the bundle reader, or undefined. */
async function restoreExtraction(key: string, name: string): Promise<Extraction | undefined> {
  const files = await loadCachedBundle(key).catch(() => undefined);
  if (!files) return undefined;
  const bundle = await readFeatureBundle(new MemoryFileSource(files, name));
  const { meta } = bundle;
  bundle.field.prepareScoring?.();
  return {
    files,
    meta,
    positions: bundle.positions,
    viewCounts: bundle.viewCounts,
    features: bundle.features,
    field: bundle.field,
    negatives: new NegativeSimilarityCache(),
    summary: {
      modelId: meta.model.id,
      dim: meta.model.dim,
      points: meta.counts.points,
      seenPoints: meta.counts.seenPoints,
      views: meta.counts.views,
      crops: meta.counts.crops,
      bytesPerPoint: meta.field.bytesPerPoint,
      seconds: { load: 0, encode: 0, fuse: 0, field: 0 },
      warnings: [],
      fromCache: true,
    },
  };
}

function requireModel() {
  if (!model) throw new UnsupportedError('Load a model first (Model panel)');
  return model.loaded.encoder;
}

function embeddings(modelId: string, dim: number, data: Float32Array): Embeddings {
  return Comlink.transfer({ modelId, dim, count: data.length / dim, data }, [data.buffer]);
}

function checkedImage(p: RgbPixels, index: number): RgbImage {
  const { width, height, rgb } = p;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new UnsupportedError(`image ${index}: invalid size ${width}x${height}`);
  }
  if (!(rgb instanceof Uint8Array) || rgb.length !== width * height * 3) {
    throw new UnsupportedError(`image ${index}: expected ${width * height * 3} RGB bytes`);
  }
  return { width, height, data: rgb };
}

const pixelsOf = (img: RgbImage): RgbPixels => ({
  width: img.width,
  height: img.height,
  rgb: img.data,
});

const safeName = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'scene';

const api: PipelineApi = {
  async ping() {
    return {
      reply: 'pong',
      crossOriginIsolated: self.crossOriginIsolated === true,
      hardwareConcurrency: self.navigator.hardwareConcurrency ?? 1,
    };
  },

  async listScenes() {
    return BUILT_IN;
  },

  async openBuiltInScene(id: string, onProgress?: ProgressListener) {
    return longJob(onProgress, async (signal, report) => {
      report({ stage: 'open', done: 0, total: 1, message: `generating ${id}` });
      if (id === 'demo-room') return open(id, buildDemoRoom().scene, signal, report);
      if (id === 'shapes') return open(id, placeholderScene(), signal, report);
      throw new UnsupportedError(`Unknown built-in scene: ${id}`);
    });
  },

  async openFiles(files: DroppedFile[], onProgress?: ProgressListener) {
    if (files.length === 0) throw new UnsupportedError('No files were given');
    return longJob(onProgress, async (signal, report) => {
      const source = BlobFileSource.fromDropped(files);
      report({ stage: 'open', done: 0, total: files.length, unit: 'files' });
      const scene = await openScene(source, { signal });
      return open(`files:${source.name}`, scene, signal, report);
    });
  },

  async getViewCloud(budget: number): Promise<ViewCloud> {
    const state = requireScene();
    const cloud = state.scene.cloud;
    if (!cloud) {
      return {
        positions: new Float32Array(0),
        colors: new Uint8Array(0),
        totalCount: 0,
        voxelSize: 0,
        levels: [],
      };
    }
    const safeBudget = Math.max(MIN_BUDGET, Math.floor(budget));
    if (!state.levels || state.levelsBudget !== safeBudget) {
      state.levels = cloudLevels(cloud.positions, safeBudget);
      state.levelsBudget = safeBudget;
    }
    const level = pickLevel(state.levels, safeBudget);
    state.shown = level;
    const positions = gatherLevel(level, cloud.positions, 3, (n) => new Float32Array(n));
    const colors = gatherLevel(level, cloud.colors, 3, (n) => new Uint8Array(n));
    const instanceIds = cloud.instanceIds
      ? gatherLevel(level, cloud.instanceIds, 1, (n) => new Int32Array(n))
      : undefined;
    const view: ViewCloud = {
      positions,
      colors,
      instanceIds,
      totalCount: cloud.positions.length / 3,
      voxelSize: level.voxelSize,
      levels: state.levels.map((l) => ({ voxelSize: l.voxelSize, count: l.count })),
    };
    const transfers: Transferable[] = [positions.buffer, colors.buffer];
    if (instanceIds) transfers.push(instanceIds.buffer);
    return Comlink.transfer(view, transfers);
  },

  async getViewCounts(): Promise<PointScores | undefined> {
    const state = requireScene();
    if (!state.extraction) return undefined;
    const counts = Float32Array.from(state.extraction.viewCounts, (c) => (c > 0 ? c : NaN));
    const out = displayed(state, counts);
    return Comlink.transfer(out, [out.values.buffer]);
  },

  async getFrameImage(index: number): Promise<FrameImage> {
    const state = requireScene();
    const frame = state.scene.frames.find((f) => f.index === index);
    if (!frame) throw new UnsupportedError(`Frame ${index} does not exist`);
    const img = await frame.loadColor();
    const rgb = img.data.slice();
    const out: FrameImage = { index, width: img.width, height: img.height, rgb };
    const last = state.extraction?.lastScores;
    if (last && state.scene.cloud) {
      const intr = { ...frame.intrinsics, width: img.width, height: img.height };
      out.heat = projectHeat(
        state.scene.cloud.positions,
        last.scores,
        last.range,
        frame.cameraToWorld,
        intr,
      );
      return Comlink.transfer(out, [rgb.buffer, out.heat.buffer]);
    }
    return Comlink.transfer(out, [rgb.buffer]);
  },

  async parseTokens(text: string): Promise<TokenParseReply> {
    const normalisation = normalisationOf(requireScene());
    const parsed = parseLocationTokens(String(text), { normalisation });
    return {
      boxes: parsed.boxes
        .filter((b) => b.box)
        .map((b) => ({
          label: b.label,
          tokens: b.tokens,
          min: b.box!.min,
          max: b.box!.max,
          swappedAxes: b.swappedAxes,
        })),
      diagnostics: parsed.diagnostics.map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.message,
      })),
      normalisation: { centroid: [...normalisation.centroid], radius: normalisation.radius },
    };
  },

  async encodeTokens(min, max) {
    return encodeBoxToTokens({ min, max }, normalisationOf(requireScene()));
  },

  async loadModel(spec: ModelSpec, onProgress?: ProgressListener): Promise<ModelInfo> {
    return longJob(onProgress, async (signal, report) => {
      const source = modelSourceFor(spec);
      const loaded = await loadClipModel(source, { signal, onProgress: report });
      const previous = model;
      model = {
        loaded,
        info: {
          kind: spec.kind,
          modelId: loaded.config.modelId,
          label: source.label,
          dim: loaded.encoder.dim,
        },
      };
      await previous?.loaded.encoder.dispose().catch(() => undefined);
      return model.info;
    });
  },

  async modelCacheInfo() {
    const files = (await defaultModelCache()?.list()) ?? [];
    return { files: files.length, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
  },

  async clearModelCache() {
    return (await defaultModelCache()?.clear()) ?? 0;
  },

  async extract(input: ExtractInput, onProgress?: ProgressListener): Promise<ExtractSummary> {
    const state = requireScene();
    if (!model) throw new UnsupportedError('Load a model first (Model panel)');
    const encoder = model.loaded.encoder;
    return longJob(onProgress, async (signal, report) => {
      const sceneHash = sceneFingerprint(state.scene);
      const key = featureCacheKey(sceneHash, encoder.modelId, resolveExtractOptions(input));
      const cached = await restoreExtraction(key, state.scene.name);
      if (cached && cached.meta.counts.points === (state.scene.cloud?.positions.length ?? 0) / 3) {
        state.extraction = cached;
        state.normalisation = cached.meta.normalisation;
        return cached.summary;
      }
      const result = await extractFeatures(state.scene, encoder, input, {
        preprocess: clipCropPreprocessor(),
        signal,
        onProgress: report,
      });
      const t0 = performance.now();
      const field = encodeFeatureField(
        result.features,
        result.count,
        result.dim,
        result.viewCounts,
      );
      // The first query should not pay the one-time copy of the codes into wasm memory.
      field.prepareScoring?.();
      const files = writeFeatureBundle(result, field, { sceneHash });
      const fieldS = (performance.now() - t0) / 1000;
      const meta = parseMeta(files);
      const summary: ExtractSummary = {
        modelId: result.modelId,
        dim: result.dim,
        points: result.count,
        seenPoints: result.stats.seenPoints,
        views: result.stats.views,
        crops: result.stats.crops,
        bytesPerPoint: field.bytesPerPoint,
        seconds: {
          load: result.timings.loadS,
          encode: result.timings.encodeS,
          fuse: result.timings.fuseS,
          field: fieldS,
        },
        warnings: result.warnings,
        fromCache: false,
      };
      state.extraction = {
        files,
        meta,
        positions: result.positions,
        viewCounts: result.viewCounts,
        features: result.features,
        field,
        summary,
        negatives: new NegativeSimilarityCache(),
      };
      state.normalisation = meta.normalisation;
      // A failed cache write (quota, private mode) must not fail the extraction.
      await saveCachedBundle(key, files).catch(() => false);
      return summary;
    });
  },

  async query(input: QueryInput): Promise<QueryReply> {
    const { state, extraction } = requireExtraction();
    if (!model) throw new UnsupportedError('Load a model first (Model panel)');
    if (model.loaded.encoder.modelId !== extraction.meta.model.id) {
      throw new UnsupportedError(
        `The features were extracted with ${extraction.meta.model.id}; load that model or extract again`,
      );
    }
    const text = String(input.text).trim();
    if (!text) throw new UnsupportedError('Type a query');
    const encoder = model.loaded.encoder;
    const t0 = performance.now();
    const embedding = await embedQueryText(encoder, text);
    const phrases = input.negatives.map((n) => n.trim()).filter((n) => n.length > 0);
    const negatives =
      input.mode === 'lerf' && phrases.length > 0
        ? await negativeEmbeddingCache.get(encoder, phrases)
        : null;
    const t1 = performance.now();
    const grounding = groundQuery(
      extraction.field,
      extraction.positions,
      embedding,
      negatives,
      {
        mode: input.mode,
        threshold: input.threshold,
        topK: input.topK,
        normalisation: state.normalisation,
      },
      extraction.negatives,
    );
    const t2 = performance.now();
    const scores = displayed(state, grounding.scores);
    extraction.lastScores = { scores: grounding.scores, range: [scores.min, scores.max] };
    const reply: QueryReply = {
      text,
      threshold: grounding.threshold,
      selectedCount: grounding.selectedCount,
      boxes: grounding.boxes.map((b) => ({
        rank: b.rank,
        min: b.min,
        max: b.max,
        score: b.score,
        pointCount: b.pointCount,
        tokens: b.tokens,
      })),
      scores,
      timings: { embedMs: t1 - t0, groundMs: t2 - t1 },
    };
    return Comlink.transfer(reply, [scores.values.buffer]);
  },

  async exportBundle() {
    const { state, extraction } = requireExtraction();
    return zipFiles(`${safeName(state.scene.name)}-features`, extraction.files);
  },

  async export3dLlm(peWeight?: number) {
    const { state, extraction } = requireExtraction();
    const { meta, positions, features, viewCounts } = extraction;
    const out = write3dLlmExport({ meta, positions, features, viewCounts }, { peWeight });
    return zipFiles(`${safeName(state.scene.name)}-3dllm`, out);
  },

  async embedTexts(texts: string[]): Promise<Embeddings> {
    const encoder = requireModel();
    const data = await encoder.embedTexts(texts.map(String));
    return embeddings(encoder.modelId, encoder.dim, data);
  },

  async embedImages(images: RgbPixels[]): Promise<Embeddings> {
    const encoder = requireModel();
    const items = images.map((p, i) => ({ image: checkedImage(p, i) }));
    const dim = encoder.dim;
    const data = new Float32Array(items.length * dim);
    // Preprocess a batch at a time: 224x224x3 floats per image add up quickly.
    const step = CLIP_MODEL_DEFAULTS.encoderMaxBatch;
    for (let start = 0; start < items.length; start += step) {
      const batch = items.slice(start, start + step);
      data.set(await encoder.embedImages(preprocessBatch(batch), batch.length), start * dim);
    }
    return embeddings(encoder.modelId, dim, data);
  },

  async compareImageDecoders(bytes: Uint8Array, name: string): Promise<DecoderComparison> {
    const browser = await decodeWithBrowser(bytes, name);
    const pureJs = await decodeColorImage(bytes, name, { decoder: 'pure-js' });
    const auto = await decodeColorImage(bytes, name, { decoder: 'auto' });
    const out: DecoderComparison = {
      browser: pixelsOf(browser),
      pureJs: pixelsOf(pureJs),
      auto: pixelsOf(auto),
      difference: imageDifference(browser, pureJs),
    };
    return Comlink.transfer(out, [browser.data.buffer, pureJs.data.buffer, auto.data.buffer]);
  },

  async setCancelFlag(flag: Int32Array) {
    cancelFlag = flag;
  },

  async cancel() {
    job?.abort();
  },
};

Comlink.expose(api);
