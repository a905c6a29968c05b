/**
 * The pipeline worker: a thin comlink facade over src/pipeline. It holds the open scene and its
 * derived data; the viewer only ever receives plain data and transferred typed arrays.
 */
import * as Comlink from 'comlink';
import { UnsupportedError } from '../src/pipeline/errors';
import { sceneNormalisation } from '../src/pipeline/features/voxel-tokens';
import { openScene } from '../src/pipeline/scene/open-scene';
import { ensureCloud } from '../src/pipeline/scene/reconstruct';
import type { Scene } from '../src/pipeline/scene/types';
import { encodeBoxToTokens, parseLocationTokens, type SceneNormalization } from '../src/tokens';
import { BlobFileSource } from './blob-file-source';
import { cloudLevels, gatherLevel, pickLevel, type CloudLevel } from './cloud-levels';
import type {
  DroppedFile,
  FrameImage,
  PipelineApi,
  PointScores,
  ProgressListener,
  SceneListEntry,
  SceneSummary,
  TokenParseReply,
  ViewCloud,
} from './pipeline-api';
import { placeholderScene } from './placeholder-scene';
import { summarizeScene } from './scene-summary';

/** Below this a budget would hide the scene rather than help the frame rate. */
const MIN_BUDGET = 10_000;

interface OpenState {
  id: string;
  scene: Scene;
  levels?: CloudLevel[];
  levelsBudget?: number;
  /** The level last sent to the viewer: per-point values are gathered with its indices. */
  shown?: CloudLevel;
  /** Centroid and radius for location tokens (the feature bundle's once extracted). */
  normalization?: SceneNormalization;
}

let current: OpenState | undefined;
/** The long job in flight; `cancel()` aborts it. */
let job: AbortController | undefined;

/** Runs long work with an AbortSignal that `cancel()` (or a newer job) fires. */
async function longJob<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  job?.abort();
  const controller = new AbortController();
  job = controller;
  try {
    return await work(controller.signal);
  } finally {
    if (job === controller) job = undefined;
  }
}

const BUILT_IN: SceneListEntry[] = [
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

function normalizationOf(state: OpenState): SceneNormalization {
  if (!state.normalization) {
    const positions = state.scene.cloud?.positions;
    if (!positions || positions.length === 0) {
      throw new UnsupportedError('Location tokens need a scene with points');
    }
    state.normalization = sceneNormalisation(positions);
  }
  return state.normalization;
}

function requireScene(): OpenState {
  if (!current) throw new UnsupportedError('No scene is open');
  return current;
}

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
    return longJob(async (signal) => {
      onProgress?.({ stage: 'open', done: 0, total: 1, message: `opening ${id}` });
      if (id === 'shapes') return open(id, placeholderScene(), signal, onProgress);
      throw new UnsupportedError(`Unknown built-in scene: ${id}`);
    });
  },

  async openFiles(files: DroppedFile[], onProgress?: ProgressListener) {
    if (files.length === 0) throw new UnsupportedError('No files were given');
    return longJob(async (signal) => {
      const source = BlobFileSource.fromDropped(files);
      onProgress?.({ stage: 'open', done: 0, total: files.length, unit: 'files' });
      const scene = await openScene(source, { signal });
      return open(`files:${source.name}`, scene, signal, onProgress);
    });
  },

  async getViewCloud(budget: number): Promise<ViewCloud> {
    const state = requireScene();
    const cloud = state.scene.cloud;
    if (!cloud) {
      const empty: ViewCloud = {
        positions: new Float32Array(0),
        colors: new Uint8Array(0),
        totalCount: 0,
        voxelSize: 0,
        levels: [],
      };
      return empty;
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
    return undefined;
  },

  async getFrameImage(index: number): Promise<FrameImage> {
    const state = requireScene();
    const frame = state.scene.frames.find((f) => f.index === index);
    if (!frame) throw new UnsupportedError(`Frame ${index} does not exist`);
    const img = await frame.loadColor();
    const rgb = img.data.slice();
    const out: FrameImage = { index, width: img.width, height: img.height, rgb };
    return Comlink.transfer(out, [rgb.buffer]);
  },

  async parseTokens(text: string): Promise<TokenParseReply> {
    const normalization = normalizationOf(requireScene());
    const parsed = parseLocationTokens(String(text), { normalization });
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
      normalization: { centroid: [...normalization.centroid], radius: normalization.radius },
    };
  },

  async encodeTokens(min, max) {
    return encodeBoxToTokens({ min, max }, normalizationOf(requireScene()));
  },

  async cancel() {
    job?.abort();
  },
};

Comlink.expose(api);
