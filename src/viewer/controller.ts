/**
 * Actions: the only place the viewer calls the pipeline worker. Components call these and read
 * the store; results land in the store.
 */
import { createPipelineClient, progressProxy, type PipelineClient } from '../../workers/client';
import type { DroppedFile } from '../../workers/pipeline-api';
import { getState, reportError, setState, type ViewBox } from './store';

let client: PipelineClient | undefined;

function api() {
  if (!client) throw new Error('The pipeline worker is not running');
  return client.api;
}

const onProgress = progressProxy((p) => setState({ progress: p }));

/** Runs one piece of worker work with a busy status; errors go to the error panel. */
async function busy<T>(text: string, work: () => Promise<T>): Promise<T | undefined> {
  setState({ status: 'busy', statusText: text });
  try {
    const result = await work();
    setState({ status: 'ready', statusText: 'Ready', progress: undefined });
    return result;
  } catch (err) {
    setState({ status: 'ready', statusText: 'Ready', progress: undefined });
    reportError(err);
    return undefined;
  }
}

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
    const scenes = await api().listScenes();
    setState({ ping, scenes, status: 'ready', statusText: 'Worker ready' });
  } catch (err) {
    setState({ status: 'error', statusText: 'The pipeline worker failed to start' });
    reportError(err);
  }
}

/** Terminates the worker (cancelling everything in flight) and starts a fresh one. */
export async function restartWorker(): Promise<void> {
  const sceneId = getState().scene?.id;
  setState({
    scene: undefined,
    cloud: undefined,
    scores: undefined,
    boxes: [],
    frameImage: undefined,
  });
  await startWorker();
  if (sceneId && !sceneId.startsWith('files:')) await openBuiltIn(sceneId);
}

async function loadCloud(): Promise<void> {
  const cloud = await api().getViewCloud(getState().pointBudget);
  setState({ cloud, scores: undefined, viewCounts: undefined });
}

export async function openBuiltIn(id: string): Promise<void> {
  await busy(`Opening ${id}…`, async () => {
    const scene = await api().openBuiltInScene(id, onProgress);
    setState({ scene, boxes: [], selectedBox: undefined, frameImage: undefined });
    await loadCloud();
  });
}

export async function openFiles(files: DroppedFile[]): Promise<void> {
  await busy(`Opening ${files.length} files…`, async () => {
    const scene = await api().openFiles(files, onProgress);
    setState({ scene, boxes: [], selectedBox: undefined, frameImage: undefined });
    await loadCloud();
  });
}

export async function setPointBudget(budget: number): Promise<void> {
  setState({ pointBudget: budget });
  if (getState().scene) await busy('Resampling the cloud…', loadCloud);
}

export async function showFrame(index: number): Promise<void> {
  await busy(`Loading frame ${index}…`, async () => {
    const frameImage = await api().getFrameImage(index);
    setState({ frameImage });
  });
}

/** Selects a box (result, token box or GT), flies to it and fills in its tokens. */
export async function selectBox(box: ViewBox): Promise<void> {
  const center = [0, 1, 2].map((a) => (box.min[a] + box.max[a]) / 2) as [number, number, number];
  const radius = Math.hypot(...[0, 1, 2].map((a) => box.max[a] - box.min[a])) / 2;
  setState({ selectedBox: box.key, selectedTokens: box.tokens, flyTo: { center, radius } });
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
      normalization: reply.normalization,
    }));
  });
}

export async function cancelWork(): Promise<void> {
  await client?.api.cancel();
}
