/**
 * The application session every host drives (the browser worker through comlink, the CLI, tests):
 * the open scene, the loaded model, the extracted feature field, queries, tokens and exports.
 * Host services are injected (built-in scenes as file sources, the feature cache, the model-file
 * cache through the platform module); everything returned is plain data, so the worker only has
 * to transfer the big arrays.
 */
import { loadClipModel } from '../clip/model-source/load-clip-model';
import { defaultModelCache } from '../clip/model-source/model-file-cache';
import type { ModelSource } from '../clip/model-source/model-source';
import { preprocessBatch } from '../clip/preprocess/clip-preprocess';
import type { ClipEncoder } from '../clip/types';
import { CLIP_MODEL_DEFAULTS, IMAGE_DEFAULTS, QUERY_DEFAULTS, SESSION_LIMITS } from '../defaults';
import { platform } from '../platform';
import { groundScoresOnObjects } from '../query/ground-objects';
import type { ProposalIndex } from '../query/proposal-grounding';
import { sceneObjects } from '../query/scene-objects';
import type { GroundingResult } from '../query/types';
import { CancelledError, UnsupportedError, throwIfAborted } from '../errors';
import { write3dLlmExport } from '../features/bundle';
import { sceneCacheKeyPrefix, sceneFingerprint } from '../features/cache-key';
import { sceneNormalisation } from '../features/voxel-tokens';
import type { FileSource } from '../io/file-source';
import type { ProgressCallback } from '../progress';
import { projectHeat } from '../query/frame-heat';
import { NegativeSimilarityCache } from '../query/relevancy';
import { negativeEmbeddingCache } from '../query/text-embedding';
import { queryByText, type QueryCaches } from '../query/text-query';
import { openScene } from '../scene/open-scene';
import { ensureCloud, sceneToReconstruct, type ReconstructOptions } from '../scene/reconstruct';
import type { RgbdFrame, RgbImage, Scene } from '../scene/types';
import { encodeBoxToTokens, parseLocationTokens, type SceneNormalisation } from '../../tokens';
import { CloudView } from './cloud-view';
import { listSceneObjects } from './object-list';
import { pipelineDefaults } from './defaults-reply';
import {
  extractBundle,
  extractionKey,
  featureModelId,
  normaliseRequest,
  restoreBundle,
  viewFramesOf,
  type FeatureExtraction,
} from './extract-bundle';
import {
  defaultViewSource,
  extractionViews,
  memoryViewStore,
  type ViewStore,
} from '../features/extraction/plan-views';
import type { FeatureCache } from './feature-cache';
import { JobRunner, type CancelProbe } from './job-runner';
import { reportingFileSource } from './reporting-file-source';
import { openSceneExtraction } from './openscene-import';
import { OPENSCENE_MODEL_ID, openSceneTextSpace } from '../features/openscene';
import { summarizeScene } from './scene-summary';
import type {
  Embeddings,
  ExportFiles,
  ExtractInput,
  ExtractSummary,
  FrameImage,
  GroundScoresInput,
  ModelCacheInfo,
  ObjectsReply,
  ModelInfo,
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
} from './types';

/** A scene the host ships (e.g. the generated demo room), opened like any user folder. */
export interface BuiltInScene extends SceneListEntry {
  source(): Promise<FileSource>;
}

export interface SessionHost {
  builtInScenes?: readonly BuiltInScene[];
  /** Where extracted bundles are kept between runs (IndexedDB in the browser); none = no reuse. */
  featureCache?: FeatureCache;
}

interface Extraction extends FeatureExtraction {
  caches: QueryCaches;
  /** Full-cloud scores of the last query and their displayed range, for the frame view. */
  lastScores?: { scores: Float32Array; range: [number, number] };
}

interface OpenScene {
  id: string;
  /** Which opening this is (SceneSummary.epoch): replies about a scene carry it. */
  epoch: number;
  scene: Scene;
  view: CloudView;
  /** World up (from the frames or the cloud's shape): segmentation's floor/ceiling axis. */
  up: [number, number, number];
  /** The scene's segmentation, computed once (objects(), or the first query). */
  objects?: { index: ProposalIndex; seconds: number };
  /** Centroid and radius for location tokens (the feature bundle's once extracted). */
  normalisation?: SceneNormalisation;
  extraction?: Extraction;
  /** View plans and renders of this scene, so extracting again does not render again. */
  views: ViewStore;
  /** Rendered views of the last extraction (the frame view shows them like captured ones). */
  rendered: RgbdFrame[];
}

interface LoadedModel {
  encoder: ClipEncoder;
  info: ModelInfo;
}

const safeName = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'scene';

export class PipelineSession {
  private readonly jobs = new JobRunner();
  private current: OpenScene | undefined;
  private sceneEpoch = 0;
  private model: LoadedModel | undefined;

  constructor(private readonly host: SessionHost = {}) {}

  // --- jobs -------------------------------------------------------------------------------

  /** Aborts the long job in flight; it rejects with CancelledError. */
  cancel(): void {
    this.jobs.cancel();
  }

  /** A probe polled at every progress report (a shared-memory flag in the browser). */
  setCancelProbe(probe: CancelProbe | undefined, reset?: () => void): void {
    this.jobs.setCancelProbe(probe, reset);
  }

  getDefaults(): PipelineDefaults {
    return pipelineDefaults();
  }

  // --- scenes -----------------------------------------------------------------------------

  listScenes(): SceneListEntry[] {
    return (this.host.builtInScenes ?? []).map(({ id, name, description }) => ({
      id,
      name,
      description,
    }));
  }

  /**
   * Opens a built-in scene; a failure (or a cancel) keeps the scene that was open.
   * `reconstruction`: how a scan without a cloud file gets its points (defaults when unset).
   */
  openBuiltInScene(
    id: string,
    onProgress?: ProgressCallback,
    reconstruction?: ReconstructionInput,
  ): Promise<SceneSummary> {
    const entry = this.host.builtInScenes?.find((s) => s.id === id);
    if (!entry) return Promise.reject(new UnsupportedError(`Unknown built-in scene: ${id}`));
    return this.jobs.run(onProgress, async (signal, report) => {
      report({ stage: 'open', done: 0, total: 1, message: `opening ${entry.name}` });
      return this.openFrom(id, await entry.source(), signal, report, reconstruction);
    });
  }

  /** Opens a scene from a folder or file the user gave; a failure keeps the open scene. */
  openSource(
    source: FileSource,
    onProgress?: ProgressCallback,
    reconstruction?: ReconstructionInput,
  ): Promise<SceneSummary> {
    return this.jobs.run(onProgress, async (signal, report) => {
      report({ stage: 'open', done: 0, total: 1, message: `opening ${source.name}` });
      return this.openFrom(`files:${source.name}`, source, signal, report, reconstruction);
    });
  }

  /**
   * Reconstructs the open scene's cloud from its frames again with other options (a job like
   * opening: cancellable, with progress). Success makes it a new opening of the scene (a new
   * epoch: features, objects and renders of the old cloud are dropped, and late replies about
   * them are told apart); a failure or cancel keeps the scene and cloud that were open. Refuses
   * scenes whose points came from a file.
   */
  reconstructScene(
    reconstruction: ReconstructionInput = {},
    onProgress?: ProgressCallback,
  ): Promise<SceneSummary> {
    let state: OpenScene;
    let copy: Scene;
    try {
      state = this.requireScene();
      copy = sceneToReconstruct(state.scene);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.jobs.run(onProgress, (signal, report) =>
      this.use(state.id, copy, signal, report, reconstruction),
    );
  }

  /** Reads a scene with every file read reported and cancellable; only success replaces it. */
  private async openFrom(
    id: string,
    source: FileSource,
    signal: AbortSignal,
    report: ProgressCallback,
    reconstruction?: ReconstructionInput,
  ): Promise<SceneSummary> {
    const reporting = reportingFileSource(source, signal, report);
    try {
      const scene = await openScene(reporting, { signal });
      // OpenScene features next to the mesh become the scene's extraction (queryable at once).
      const imported = await openSceneExtraction(reporting, scene);
      const summary = await this.use(id, scene, signal, report, reconstruction);
      const current = this.current;
      if (imported && current && current.epoch === summary.epoch) {
        current.extraction = { ...imported, caches: this.queryCaches() };
      }
      return summary;
    } finally {
      reporting.detach();
    }
  }

  /**
   * The features that came with the open scene (OpenScene's file next to its mesh), if any: its
   * extraction from the start, so a host shows them and queries without extracting.
   */
  importedExtraction(): ExtractSummary | undefined {
    const state = this.current;
    const imported = state?.extraction;
    if (!state || imported?.bundle.meta.model.id !== OPENSCENE_MODEL_ID) return undefined;
    return { ...imported.summary, sceneEpoch: state.epoch };
  }

  /** Makes an in-memory scene current (tests, generated scenes). */
  openSceneObject(
    id: string,
    scene: Scene,
    onProgress?: ProgressCallback,
    reconstruction?: ReconstructionInput,
  ): Promise<SceneSummary> {
    return this.jobs.run(onProgress, (signal, report) =>
      this.use(id, scene, signal, report, reconstruction),
    );
  }

  /** Scenes with frames but no cloud get one reconstructed before they become current. */
  private async use(
    id: string,
    scene: Scene,
    signal: AbortSignal,
    report: ProgressCallback,
    reconstruction: ReconstructionInput = {},
  ): Promise<SceneSummary> {
    await ensureCloud(scene, { ...reconstructOptions(reconstruction), signal, onProgress: report });
    const summary = await summarizeScene(id, scene);
    // A job that was superseded must not make its scene current after the newer one.
    throwIfAborted(signal);
    const epoch = ++this.sceneEpoch;
    this.current = {
      epoch,
      id,
      scene,
      view: new CloudView(scene.cloud),
      up: summary.up,
      views: memoryViewStore(),
      rendered: [],
    };
    return { ...summary, epoch };
  }

  /** The open scene (for hosts that need more than the summary, e.g. the CLI). */
  get scene(): Scene | undefined {
    return this.current?.scene;
  }

  private requireScene(): OpenScene {
    if (!this.current) throw new UnsupportedError('No scene is open');
    return this.current;
  }

  private requireExtraction(): { state: OpenScene; extraction: Extraction } {
    const state = this.requireScene();
    if (!state.extraction) throw new UnsupportedError('Extract features first (Pipeline panel)');
    return { state, extraction: state.extraction };
  }

  viewCloud(budget: number): ViewCloud {
    return this.requireScene().view.select(budget);
  }

  /**
   * Unit normals (n×3) of the points of the last viewCloud(), facing the capturing cameras'
   * mean centre (inside a scanned room, so walls, floor and ceiling face inwards), or up
   * without frames.
   */
  viewNormals(): Float32Array {
    const state = this.requireScene();
    const frames = state.scene.frames;
    if (frames.length === 0) return state.view.normals({ up: state.up });
    const centre: [number, number, number] = [0, 0, 0];
    for (const f of frames) for (let a = 0; a < 3; a++) centre[a] += f.cameraToWorld[4 * a + 3];
    for (let a = 0; a < 3; a++) centre[a] /= frames.length;
    return state.view.normals({ viewpoint: centre });
  }

  /** Per displayed point view counts of the current extraction (NaN where unseen). */
  viewCounts(): PointScores | undefined {
    const state = this.requireScene();
    if (!state.extraction) return undefined;
    const counts = state.extraction.bundle.viewCounts;
    return state.view.displayed(Float32Array.from(counts, (c) => (c > 0 ? c : NaN)));
  }

  /** One frame's colour image, with the last query's scores projected into it when present. */
  async frameImage(index: number): Promise<FrameImage> {
    const state = this.requireScene();
    const frame =
      state.scene.frames.find((f) => f.index === index) ??
      state.rendered.find((f) => f.index === index);
    if (!frame) throw new UnsupportedError(`Frame ${index} does not exist`);
    const img = await frame.loadColor();
    const out: FrameImage = { index, width: img.width, height: img.height, rgb: img.data.slice() };
    const last = state.extraction?.lastScores;
    if (last && state.scene.cloud) {
      const intrinsics = { ...frame.intrinsics, width: img.width, height: img.height };
      out.heat = projectHeat(
        state.scene.cloud.positions,
        last.scores,
        last.range,
        frame.cameraToWorld,
        intrinsics,
      );
    }
    return out;
  }

  // --- location tokens --------------------------------------------------------------------

  private normalisation(state: OpenScene): SceneNormalisation {
    if (!state.normalisation) {
      const positions = state.scene.cloud?.positions;
      if (!positions || positions.length === 0) {
        throw new UnsupportedError('Location tokens need a scene with points');
      }
      state.normalisation = sceneNormalisation(positions);
    }
    return state.normalisation;
  }

  /** Every six-token `<locK>` run in free text, decoded to a box in metres. */
  parseTokens(text: string): TokenParseReply {
    const normalisation = this.normalisation(this.requireScene());
    const parsed = parseLocationTokens(String(text), { normalisation });
    // Pasted text can hold any number of runs: the reply carries the first few, counts the rest.
    const limit = SESSION_LIMITS.listItems;
    const decoded = parsed.boxes.filter((b) => b.box);
    const boxes = decoded.slice(0, limit).map((b) => ({
      label: b.label,
      tokens: b.tokens,
      min: b.box!.min,
      max: b.box!.max,
      swappedAxes: b.swappedAxes,
    }));
    const omitted = {
      diagnostics: Math.max(0, parsed.diagnostics.length - limit) + parsed.omittedDiagnostics,
      boxes: decoded.length - boxes.length,
    };
    return {
      boxes,
      diagnostics: parsed.diagnostics
        .slice(0, limit)
        .map(({ severity, code, message }) => ({ severity, code, message })),
      ...(omitted.diagnostics > 0 || omitted.boxes > 0 ? { omitted } : {}),
      normalisation: { centroid: [...normalisation.centroid], radius: normalisation.radius },
    };
  }

  encodeTokens(min: [number, number, number], max: [number, number, number]): string {
    return encodeBoxToTokens({ min, max }, this.normalisation(this.requireScene()));
  }

  // --- models -----------------------------------------------------------------------------

  /** Loads a CLIP model; the previous one stays loaded if this fails, and is disposed if not. */
  loadModel(
    source: ModelSource,
    kind: ModelInfo['kind'],
    onProgress?: ProgressCallback,
  ): Promise<ModelInfo> {
    return this.jobs.run(onProgress, async (signal, report) => {
      const loaded = await loadClipModel(source, { signal, onProgress: report });
      return this.useModel(loaded.encoder, {
        kind,
        modelId: loaded.config.modelId,
        label: source.label,
        dim: loaded.encoder.dim,
        ...denseInfo(loaded.encoder),
      });
    });
  }

  /** Makes an encoder the session's model (hosts that loaded it themselves, tests). */
  async useModel(encoder: ClipEncoder, info: ModelInfo): Promise<ModelInfo> {
    const previous = this.model;
    this.model = { encoder, info };
    if (previous && previous.encoder !== encoder) {
      await previous.encoder.dispose().catch(() => undefined);
    }
    return info;
  }

  private requireModel(): ClipEncoder {
    if (!this.model) throw new UnsupportedError('Load a model first (Model panel)');
    return this.model.encoder;
  }

  async modelCacheInfo(): Promise<ModelCacheInfo> {
    const files = (await defaultModelCache()?.list()) ?? [];
    return { files: files.length, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
  }

  /** Clears downloaded model files; returns how many were removed. */
  async clearModelCache(): Promise<number> {
    return (await defaultModelCache()?.clear()) ?? 0;
  }

  async embedTexts(texts: string[]): Promise<Embeddings> {
    const encoder = this.requireModel();
    const data = await encoder.embedTexts(texts.map(String));
    return { modelId: encoder.modelId, dim: encoder.dim, count: texts.length, data };
  }

  /** Each image goes through CLIP preprocessing (shorter side 224, bicubic, centre crop) first. */
  async embedImages(images: RgbPixels[]): Promise<Embeddings> {
    const encoder = this.requireModel();
    const items = images.map((p, i) => ({ image: checkedImage(p, i) }));
    const dim = encoder.dim;
    const data = new Float32Array(items.length * dim);
    // A batch at a time: 224×224×3 floats per image add up quickly.
    const step = CLIP_MODEL_DEFAULTS.encoderMaxBatch;
    for (let start = 0; start < items.length; start += step) {
      const batch = items.slice(start, start + step);
      data.set(await encoder.embedImages(preprocessBatch(batch), batch.length), start * dim);
    }
    return { modelId: encoder.modelId, dim, count: items.length, data };
  }

  // --- features ---------------------------------------------------------------------------

  /**
   * Fuses features onto the open scene with the loaded model, or restores them from the feature
   * cache (same scene, model and options). A cache entry that does not read back, or that does
   * not fit the scene, is dropped and recomputed; a failed cache write never fails the job.
   */
  extract(input: ExtractInput = {}, onProgress?: ProgressCallback): Promise<ExtractSummary> {
    let state: OpenScene;
    let encoder: ClipEncoder;
    try {
      state = this.requireScene();
      encoder = this.requireModel();
    } catch (err) {
      return Promise.reject(err);
    }
    // Features imported with the scene (OpenScene) are its extraction: nothing to compute.
    const imported = state.extraction;
    if (imported?.bundle.meta.model.id === OPENSCENE_MODEL_ID) {
      return Promise.resolve({ ...imported.summary, sceneEpoch: state.epoch });
    }
    return this.jobs.run(onProgress, async (signal, report) => {
      const cache = this.host.featureCache;
      // cachedOnly is how to run, not what to compute: it stays out of the cache key.
      const { cachedOnly, ...requested } = input;
      const request = normaliseRequest(state.scene, requested);
      const key = extractionKey(state.scene, featureModelId(encoder), request);
      // Planned (and later rendered) once per open scene: a restored bundle lists them too.
      const views = await extractionViews(state.scene, request, {
        signal,
        onProgress: report,
        store: state.views,
        // Object-centric views look at the scene's objects (segmented once per scene).
        ...(rendersViews(state.scene, request)
          ? { segmentation: this.ensureObjects(state, { signal, onProgress: report }).segmentation }
          : {}),
      });
      const restored = cache ? await this.restore(cache, key, state.scene, signal) : {};
      let extraction = restored.extraction;
      if (!extraction && cachedOnly) {
        throw new UnsupportedError('No cached features for this scene, model and options');
      }
      if (!extraction) {
        extraction = await extractBundle(state.scene, encoder, request, {
          signal,
          onProgress: report,
          views,
        });
        if (restored.dropped) extraction.summary.warnings.unshift(restored.dropped);
        await cache?.save(key, extraction.files).catch(() => false);
      }
      this.requireStillOpen(state, signal);
      state.extraction = { ...extraction, caches: this.queryCaches() };
      state.normalisation = extraction.bundle.meta.normalisation;
      state.rendered = views.rendered;
      const summary = { ...extraction.summary, sceneEpoch: state.epoch };
      return views.rendered.length > 0
        ? { ...summary, renderedFrames: viewFramesOf(views.rendered) }
        : summary;
    });
  }

  /** A job about a scene that is no longer open (or was superseded) gives no reply about it. */
  private requireStillOpen(state: OpenScene, signal: AbortSignal): void {
    throwIfAborted(signal);
    if (this.current !== state) throw new CancelledError('cancelled: another scene was opened');
  }

  /**
   * Removes cached features: this scene's (every model and option), or all of them. Returns how
   * many bundles were removed; 0 without a cache.
   */
  async clearFeatureCache(scope: 'scene' | 'all'): Promise<number> {
    const cache = this.host.featureCache;
    if (!cache) return 0;
    if (scope === 'all') return cache.clear();
    const state = this.requireScene();
    return cache.clear(sceneCacheKeyPrefix(sceneFingerprint(state.scene)));
  }

  /**
   * The cached bundle under `key`, if it reads back and fits the scene. Anything else — an
   * entry that does not read back (truncated, older format, tampered), one for other points, a
   * cache that fails (hosts time out a cache that does not answer) — is dropped (best effort) and `dropped` says why, for the
   * recomputed summary's warnings. Never throws for the cache's sake: extraction goes on.
   */
  private async restore(
    cache: FeatureCache,
    key: string,
    scene: Scene,
    signal: AbortSignal,
  ): Promise<{ extraction?: FeatureExtraction; dropped?: string }> {
    let files: Map<string, Uint8Array> | undefined;
    let problem: string;
    try {
      files = await cache.load(key);
      if (!files) return {};
      throwIfAborted(signal);
      const restored = await restoreBundle(files, scene.name, key);
      const points = (scene.cloud?.positions.length ?? 0) / 3;
      const { meta } = restored.bundle;
      if (meta.counts.points === points && restored.bundle.positions.length === points * 3) {
        return { extraction: restored };
      }
      problem = `it has ${meta.counts.points} points, the scene ${points}`;
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      problem = err instanceof Error ? err.message : String(err);
    }
    await cache.delete(key).catch(() => undefined);
    return {
      dropped: `The cached features for this scene could not be used (${problem}); they were dropped and computed again`,
    };
  }

  private queryCaches(): QueryCaches {
    // Negative phrases' embeddings depend on the model only; their similarities on the field.
    return {
      negativeEmbeddings: negativeEmbeddingCache,
      negativeSimilarity: new NegativeSimilarityCache(),
    };
  }

  /** Scores and grounds a text query against the extracted feature field. */
  async query(input: QueryInput): Promise<QueryReply> {
    const { state, extraction } = this.requireExtraction();
    const { meta } = extraction.bundle;
    if (!this.model && meta.model.id === OPENSCENE_MODEL_ID) {
      throw new UnsupportedError(
        `Load a model first (Model panel): these OpenScene features are ${meta.model.dim}-d, from ${openSceneTextSpace(meta.model.dim)}`,
      );
    }
    const encoder = this.requireModel();
    // Imported OpenScene features name no model: any text encoder of their width may query them.
    if (meta.model.id === OPENSCENE_MODEL_ID) {
      if (encoder.dim !== meta.model.dim) {
        throw new UnsupportedError(
          `These OpenScene features are ${meta.model.dim}-d, from ${openSceneTextSpace(meta.model.dim)}; ${encoder.modelId} is ${encoder.dim}-d`,
        );
      }
    } else if (encoder.modelId !== meta.model.id) {
      throw new UnsupportedError(
        `The features were extracted with ${meta.model.id}; load that model or extract again`,
      );
    }
    const text = String(input.text ?? '').trim();
    if (!text) throw new UnsupportedError('Type a query');
    const negatives = input.negatives?.map((n) => String(n).trim()).filter((n) => n.length > 0);
    const points = extraction.bundle.positions.length;
    const objects =
      input.grounding !== 'clusters' && state.scene.cloud?.positions.length === points
        ? this.ensureObjects(state)
        : undefined;
    const result = await queryByText(
      {
        field: extraction.bundle.field,
        positions: extraction.bundle.positions,
        normalisation: state.normalisation,
        objects,
      },
      encoder,
      text,
      {
        mode: input.mode,
        threshold: input.threshold,
        topK: input.topK,
        clusterVoxelSize: input.clusterVoxelSize,
        negatives,
      },
      extraction.caches,
    );
    const scores = state.view.displayed(result.scores);
    extraction.lastScores = { scores: result.scores, range: [scores.min, scores.max] };
    return {
      ...queryReplyOf(text, result, scores),
      timings: {
        embedMs: result.timings.embedMs,
        groundMs: result.timings.scoreMs + result.timings.groundMs,
      },
    };
  }

  // --- objects ----------------------------------------------------------------------------

  private ensureObjects(
    state: OpenScene,
    work: { signal?: AbortSignal; onProgress?: ProgressCallback } = {},
  ): ProposalIndex {
    if (!state.objects) {
      const cloud = state.scene.cloud;
      if (!cloud || cloud.positions.length === 0) {
        throw new UnsupportedError('Finding objects needs a scene with points');
      }
      const t0 = platform().now();
      const index = sceneObjects(cloud, state.up, {}, work);
      state.objects = { index, seconds: (platform().now() - t0) / 1000 };
      return index;
    }
    return state.objects.index;
  }

  /** Segments the open scene (once; cancellable) and lists every proposal of every level. */
  objects(onProgress?: ProgressCallback): Promise<ObjectsReply> {
    let state: OpenScene;
    try {
      state = this.requireScene();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.jobs.run(onProgress, async (signal, report) => {
      const cached = state.objects !== undefined;
      const index = this.ensureObjects(state, { signal, onProgress: report });
      this.requireStillOpen(state, signal);
      const normalisation = this.normalisation(state);
      return {
        ...listSceneObjects(index.segmentation, normalisation),
        seconds: cached ? 0 : (state.objects?.seconds ?? 0),
        sceneEpoch: state.epoch,
      };
    });
  }

  /** Per displayed point: its proposal at `level` (−1 = none); objects() must have run. */
  segmentIds(level: number): Int32Array {
    const state = this.requireScene();
    if (!state.objects) throw new UnsupportedError('Find objects first (Objects panel)');
    const seg = state.objects.index.segmentation;
    const l = Math.floor(Number(level));
    if (!(l >= 0 && l < seg.levelCount)) {
      throw new UnsupportedError(`Level ${level} does not exist (0–${seg.levelCount - 1})`);
    }
    const n = seg.pointCount;
    return state.view.displayedInts(seg.pointProposals.subarray(l * n, (l + 1) * n));
  }

  /** Grounds a per-point heatmap from elsewhere on the scene's objects. */
  async groundScores(input: GroundScoresInput): Promise<QueryReply> {
    const state = this.requireScene();
    const scores = input?.scores;
    const points = (state.scene.cloud?.positions.length ?? 0) / 3;
    if (!(scores instanceof Float32Array) || scores.length !== points) {
      throw new UnsupportedError(
        `Scores must be one float32 per point of the scene (${points}), got ${scores instanceof Float32Array ? scores.length : typeof scores}`,
      );
    }
    const index = this.ensureObjects(state);
    const t0 = platform().now();
    const result = groundScoresOnObjects(scores, index, {
      topK: input.topK ?? QUERY_DEFAULTS.topK,
      normalisation: this.normalisation(state),
    });
    const t1 = platform().now();
    return {
      ...queryReplyOf(String(input.label ?? 'scores'), result, state.view.displayed(scores)),
      timings: { embedMs: 0, groundMs: t1 - t0 },
    };
  }

  // --- exports ----------------------------------------------------------------------------

  /** The feature bundle's files (meta.json, points/colors/view_counts/features .npy, field). */
  exportBundle(): ExportFiles {
    const { state, extraction } = this.requireExtraction();
    return { name: `${safeName(state.scene.name)}-features`, files: extraction.files };
  }

  /** 3D-LLM's files: voxels, voxel_features and voxel_features_pe .npy. */
  export3dLlm(peWeight?: number): ExportFiles {
    const { state, extraction } = this.requireExtraction();
    const { meta, positions, features, viewCounts } = extraction.bundle;
    return {
      name: `${safeName(state.scene.name)}-3dllm`,
      files: write3dLlmExport({ meta, positions, features, viewCounts }, { peWeight }),
    };
  }

  /** Releases the model's runtime sessions. */
  async dispose(): Promise<void> {
    this.jobs.cancel();
    await this.model?.encoder.dispose().catch(() => undefined);
    this.model = undefined;
    this.current = undefined;
  }
}

/** Only the fields a host may set (a structured-cloned object can carry anything). */
function reconstructOptions(input: ReconstructionInput): ReconstructOptions {
  const { frameStride, voxelSize } = input ?? {};
  return { frameStride, voxelSize };
}

/** Whether this (normalised) request renders views of the scene. */
function rendersViews(scene: Scene, request: { views?: ExtractInput['views'] }): boolean {
  return (request.views ?? defaultViewSource(scene)) !== 'captured';
}

function queryReplyOf(
  text: string,
  result: GroundingResult,
  scores: PointScores,
): Omit<QueryReply, 'timings'> {
  return {
    text,
    threshold: result.threshold,
    selectedCount: result.selectedCount,
    boxes: result.boxes.map(({ rank, min, max, score, pointCount, tokens, objectId }) => ({
      rank,
      min,
      max,
      score,
      pointCount,
      ...(tokens !== undefined ? { tokens } : {}),
      ...(objectId !== undefined ? { objectId } : {}),
    })),
    confident: result.confident,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    scores,
  };
}

function checkedImage(p: RgbPixels, index: number): RgbImage {
  const { width, height, rgb } = p ?? {};
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new UnsupportedError(`image ${index}: invalid size ${width}x${height}`);
  }
  if (width * height > IMAGE_DEFAULTS.maxPixels) {
    throw new UnsupportedError(`image ${index}: ${width}x${height} is too large`);
  }
  if (!(rgb instanceof Uint8Array) || rgb.length !== width * height * 3) {
    throw new UnsupportedError(`image ${index}: expected ${width * height * 3} RGB bytes`);
  }
  return { width, height, data: rgb };
}

/** What the model offers for dense features (shown in the Model panel). */
function denseInfo(encoder: ClipEncoder): Pick<ModelInfo, 'dense' | 'denseUnavailable'> {
  const dense = encoder.dense;
  if (dense) {
    return { dense: { method: dense.method, grid: [dense.grid.rows, dense.grid.cols] } };
  }
  return encoder.denseUnavailable ? { denseUnavailable: encoder.denseUnavailable } : {};
}
