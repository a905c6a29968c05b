/**
 * Actions: the only place the viewer calls the pipeline worker. Components call these and read
 * the store; results land in the store.
 */
import { createPipelineClient, progressProxy, type PipelineClient } from '../../workers/client';
import type {
  DroppedFile,
  ExtractInput,
  ModelSpec,
  SceneSummary,
} from '../../workers/pipeline-api';
import {
  getState,
  queryOptions,
  reportError,
  setState,
  type AppState,
  type ObjectSelection,
  type ViewBox,
} from './store';
import { savedExtractionInput, saveExtractionInput } from './saved-extraction';
import { writeHash } from './url-hash';

let client: PipelineClient | undefined;

export function api() {
  if (!client) throw new Error('The pipeline worker is not running');
  return client.api;
}

export const onProgress = progressProxy((p) => setState({ progress: p }));

/** The latest busy() call: an earlier one that ends later (a superseded job) leaves the status. */
let busySeq = 0;

/** Runs one piece of worker work with a busy status; errors go to the error panel. */
export async function busy<T>(
  text: string,
  work: () => Promise<T>,
  job?: AppState['job'],
): Promise<T | undefined> {
  const mine = ++busySeq;
  setState({ status: 'busy', statusText: text, job, progress: undefined });
  try {
    const result = await work();
    if (mine === busySeq) {
      setState({ status: 'ready', statusText: 'Ready', progress: undefined, job: undefined });
    }
    return result;
  } catch (err) {
    // A cancel the user asked for (or a newer job's) is not an error.
    const cancelled = (err as Error)?.name === 'CancelledError';
    if (mine === busySeq) {
      setState({
        status: 'ready',
        statusText: cancelled ? 'Cancelled' : 'Ready',
        progress: undefined,
        job: undefined,
      });
    }
    if (!cancelled) reportError(err);
    return undefined;
  }
}

/** Whether a reply about scene `epoch` still concerns the scene on screen. */
export const isCurrentScene = (epoch: number | undefined) => epoch === getState().scene?.epoch;

/** Each open request; a reply for an older one (superseded by a newer open) is dropped. */
let openSeq = 0;

/**
 * Opens a scene: whatever job runs (an extraction, a segmentation, another open) is cancelled
 * first, and the scene on screen, with its features, stays until the new one has loaded — a
 * file that fails to load leaves everything as it was.
 */
async function openScene(text: string, open: () => Promise<SceneSummary>): Promise<void> {
  const mine = ++openSeq;
  // Posted before the open, so the worker sees it first (or its shared flag, if busy).
  if (getState().job) void client?.cancel().catch(() => undefined);
  await busy(
    text,
    async () => {
      const scene = await open();
      if (mine !== openSeq) return;
      setState({ ...clearedScene, colorMode: 'rgb', scene });
      await loadCloud();
      writeHash();
    },
    'open',
  );
}

/** The running worker's typed API (for end-to-end tests and the console), if started. */
export const pipelineRemote = () => client?.api;

export async function startWorker(): Promise<void> {
  client?.terminate();
  client = createPipelineClient((message) => reportError(new Error(message)));
  setState((s) => ({
    status: 'starting',
    statusText: 'Starting the pipeline worker…',
    workerGeneration: s.workerGeneration + 1,
  }));
  try {
    const ping = await api().ping();
    // The defaults never change: asked once, kept across worker restarts.
    const [scenes, defaults] = await Promise.all([
      api().listScenes(),
      getState().defaults ?? api().getDefaults(),
    ]);
    setState({ ping, scenes, defaults, status: 'ready', statusText: 'Worker ready' });
  } catch (err) {
    setState({ status: 'error', statusText: 'The pipeline worker failed to start' });
    reportError(err);
  }
}

/** What belongs to the scene on screen, cleared when another opens (or its cloud is rebuilt). */
export const clearedScene: Partial<AppState> = {
  scene: undefined,
  cloud: undefined,
  scores: undefined,
  viewCounts: undefined,
  extraction: undefined,
  lastQuery: undefined,
  boxes: [],
  selectedBox: undefined,
  selectedTokens: undefined,
  frameImage: undefined,
  normalisation: undefined,
  objects: undefined,
  objectLevel: undefined,
  segmentIds: undefined,
  selectedObject: undefined,
  picks: [],
};

/** Terminates the worker (cancelling everything in flight) and starts a fresh one. */
export async function restartWorker(): Promise<void> {
  const sceneId = getState().scene?.id;
  setState({ ...clearedScene, model: undefined, job: undefined, progress: undefined });
  await startWorker();
  if (sceneId && !sceneId.startsWith('files:')) await openBuiltIn(sceneId);
}

async function loadCloud(): Promise<void> {
  const cloud = await api().getViewCloud(getState().pointBudget);
  setState({ cloud, scores: undefined, viewCounts: undefined });
  // Segment ids follow the displayed points: fetch them again for the new cloud.
  const { objects, objectLevel } = getState();
  if (objects && objectLevel !== undefined) {
    setState({ segmentIds: { level: objectLevel, ids: await api().getSegmentIds(objectLevel) } });
  }
}

export async function openBuiltIn(id: string): Promise<void> {
  await openScene(`Opening ${id}…`, () => api().openBuiltInScene(id, onProgress));
}

export async function openFiles(files: DroppedFile[]): Promise<void> {
  await openScene(`Opening ${files.length} files…`, () => api().openFiles(files, onProgress));
}

export async function setPointBudget(budget: number): Promise<void> {
  setState({ pointBudget: budget });
  if (!getState().scene) return;
  await busy('Resampling the cloud…', async () => {
    await loadCloud();
    // Per-point values follow the displayed points: fetch them again for the new level.
    if (getState().extraction) {
      setState({ viewCounts: await api().getViewCounts() });
      if (getState().lastQuery) await runQuery(getState().lastQuery!.text);
    }
  });
}

export async function showFrame(index: number): Promise<void> {
  await busy(`Loading frame ${index}…`, async () => {
    const frameImage = await api().getFrameImage(index);
    setState({ frameImage });
  });
}

export async function loadModel(spec: ModelSpec): Promise<void> {
  await busy(
    'Loading the model…',
    async () => {
      const model = await api().loadModel(spec, onProgress);
      setState({ model });
      await refreshModelCache();
    },
    'model',
  );
}

export async function refreshModelCache(): Promise<void> {
  try {
    setState({ modelCache: await api().modelCacheInfo() });
  } catch (err) {
    reportError(err);
  }
}

export async function clearModelCache(): Promise<void> {
  await busy('Clearing the model cache…', async () => {
    await api().clearModelCache();
    await refreshModelCache();
  });
}

/**
 * Removes cached features (the open scene's, or all) through the worker; the features on
 * screen stay until the next extraction, which then computes them afresh.
 */
export async function clearFeatureCache(scope: 'scene' | 'all'): Promise<void> {
  await busy('Clearing cached features…', async () => {
    const removed = await api().clearFeatureCache(scope);
    setState({ featureCacheCleared: { scope, removed } });
  });
}

export async function extract(input: ExtractInput): Promise<void> {
  await busy(
    'Extracting features…',
    async () => {
      if (!getState().model) {
        setState({ statusText: 'Loading the offline model…' });
        setState({ model: await api().loadModel({ kind: 'offline' }, onProgress) });
        setState({ statusText: 'Extracting features…' });
      }
      const extraction = await api().extract(input, onProgress);
      // Features of a scene that is no longer on screen are not shown for the new one.
      if (!isCurrentScene(extraction.sceneEpoch)) return;
      const viewCounts = await api().getViewCounts();
      if (!isCurrentScene(extraction.sceneEpoch)) return;
      setState({ extraction, viewCounts, lastQuery: undefined, scores: undefined });
      const sceneId = getState().scene?.id;
      if (sceneId && getState().model?.kind === 'offline') saveExtractionInput(sceneId, input);
    },
    'extract',
  );
  const pending = getState().queryText.trim();
  if (getState().extraction && pending) await runQuery(pending);
}

/**
 * After a reload: restores the open scene's last offline-model features from the feature cache
 * (never recomputes) and reruns the pending query. Nothing cached is not an error.
 */
export async function restoreCachedFeatures(): Promise<void> {
  const sceneId = getState().scene?.id;
  const input = sceneId ? savedExtractionInput(sceneId) : undefined;
  if (!input || getState().extraction) return;
  setState({ status: 'busy', statusText: 'Restoring cached features…' });
  try {
    if (!getState().model) setState({ model: await api().loadModel({ kind: 'offline' }) });
    const extraction = await api().extract({ ...input, cachedOnly: true });
    if (!isCurrentScene(extraction.sceneEpoch)) return;
    const viewCounts = await api().getViewCounts();
    if (!isCurrentScene(extraction.sceneEpoch)) return;
    setState({ extraction, viewCounts, lastQuery: undefined, scores: undefined });
  } catch {
    // Not cached (or evicted): the user extracts as usual.
  } finally {
    setState((s) => (s.status === 'busy' ? { status: 'ready', statusText: 'Ready' } : {}));
  }
  const pending = getState().queryText.trim();
  if (getState().extraction && pending) await runQuery(pending);
}

export async function cancelWork(): Promise<void> {
  setState({ statusText: 'Cancelling…' });
  await client?.cancel();
}

export async function runQuery(text = getState().queryText): Promise<void> {
  const s = getState();
  const trimmed = text.trim();
  if (!trimmed) return;
  // Options still unknown (no defaults yet) are left to the pipeline's defaults.
  const { negatives, topK, scoreMode } = queryOptions(s);
  await busy(`Querying “${trimmed}”…`, async () => {
    const reply = await api().query({
      text: trimmed,
      negatives: negatives?.split(','),
      threshold: s.threshold,
      topK,
      mode: scoreMode,
    });
    const boxes: ViewBox[] = reply.boxes.map((b) => ({
      key: `query-${reply.text}-${b.rank}`,
      min: b.min,
      max: b.max,
      label: `${reply.text} #${b.rank}`,
      score: b.score,
      tokens: b.tokens,
      source: 'query',
    }));
    setState((st) => ({
      queryText: trimmed,
      queryHistory: [trimmed, ...st.queryHistory.filter((h) => h !== trimmed)].slice(0, 20),
      scores: reply.scores,
      heatRange: [
        Number(reply.scores.min.toFixed(3)),
        Number(Math.max(reply.scores.max, reply.scores.min + 1e-3).toFixed(3)),
      ],
      colorMode: 'heatmap',
      lastQuery: {
        text: reply.text,
        threshold: reply.threshold,
        selectedCount: reply.selectedCount,
        boxes: reply.boxes,
        confident: reply.confident !== false,
        reason: reply.reason,
        timings: reply.timings,
      },
      boxes: [...boxes, ...st.boxes.filter((b) => b.source !== 'query')],
      selectedBox: undefined,
      selectedTokens: undefined,
    }));
    writeHash();
  });
}

/** Selects a box (result, token box or GT), flies to it and fills in its tokens. */
export async function selectBox(box: ViewBox): Promise<void> {
  const center = [0, 1, 2].map((a) => (box.min[a] + box.max[a]) / 2) as [number, number, number];
  const radius = Math.hypot(...[0, 1, 2].map((a) => box.max[a] - box.min[a])) / 2;
  // A proposal's or GT object's box picked in the view selects it in the Objects panel too.
  const picked = /^(object|gt)-(\d+)$/.exec(box.key);
  const selectedObject: ObjectSelection | undefined =
    picked && (box.source === 'object' || box.source === 'gt')
      ? { kind: picked[1] === 'object' ? 'proposal' : 'gt', id: Number(picked[2]) }
      : getState().selectedObject;
  setState({
    selectedBox: box.key,
    selectedTokens: box.tokens,
    selectedObject,
    flyTo: { center, radius },
  });
  if (box.tokens) return;
  try {
    const tokens = await api().encodeTokens(box.min, box.max);
    setState((s) => ({
      selectedTokens: s.selectedBox === box.key ? tokens : s.selectedTokens,
    }));
  } catch (err) {
    reportError(err);
  }
}

let tokenBoxSeq = 0;

/** Parses pasted LLM output; its boxes replace earlier token boxes. */
export async function showTokenBoxes(text: string): Promise<void> {
  await busy('Reading location tokens…', async () => {
    const reply = await api().parseTokens(text);
    const boxes: ViewBox[] = reply.boxes.map((b) => ({
      key: `tokens-${++tokenBoxSeq}`,
      min: b.min,
      max: b.max,
      label: b.label || 'box',
      tokens: b.tokens,
      source: 'tokens',
    }));
    setState((s) => ({
      boxes: [...s.boxes.filter((b) => b.source !== 'tokens'), ...boxes],
      tokenDiagnostics: reply.diagnostics.map((d) => `${d.severity}: ${d.message}`),
      tokenDiagnosticsOmitted: reply.omitted?.diagnostics ?? 0,
      normalisation: reply.normalisation,
    }));
  });
}
