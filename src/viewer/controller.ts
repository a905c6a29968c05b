/**
 * Actions: the only place the viewer calls the pipeline worker. Components call these and read
 * the store; results land in the store.
 */
import { createPipelineClient, progressProxy, type PipelineClient } from '../../workers/client';
import type { DroppedFile } from '../../workers/pipeline-api';
import { getState, reportError, setState } from './store';

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
