/**
 * The app's state: one small external store (useSyncExternalStore), so per-frame code can read
 * it without re-rendering and tests can read a snapshot through window.__app.
 */
import { useSyncExternalStore } from 'react';
import type { Progress } from '../pipeline/progress';
import type {
  ExtractSummary,
  FrameImage,
  ModelCacheInfo,
  ModelInfo,
  ObjectsReply,
  PingReply,
  PipelineDefaults,
  QueryBox,
  PointScores,
  SceneListEntry,
  SceneSummary,
  ViewCloud,
} from '../../workers/pipeline-api';

export type ColorMode = 'rgb' | 'heatmap' | 'views' | 'instance' | 'segment' | 'height' | 'normal';
export type ColormapName = 'turbo' | 'viridis';
export type SizeUnits = 'pixels' | 'metres';
export type AppStatus = 'starting' | 'ready' | 'busy' | 'error';
export type ScoreMode = PipelineDefaults['query']['mode'];
/** What a click in the 3D view does: select boxes (and frusta), pick a point, or measure. */
export type PickMode = 'boxes' | 'point' | 'distance';

/** A point picked in the view: its index in the displayed cloud and its coordinates. */
export interface PickedPointState {
  index: number;
  position: [number, number, number];
}

export interface ViewBox {
  /** Stable key for React and selection. */
  key: string;
  min: [number, number, number];
  max: [number, number, number];
  label: string;
  score?: number;
  tokens?: string;
  source: BoxSource;
}

export type BoxSource = 'query' | 'tokens' | 'gt' | 'object';

/** What the Objects panel selected: a segmentation proposal or a ground-truth object, by id. */
export interface ObjectSelection {
  kind: 'proposal' | 'gt';
  id: number;
}

/** The last query's result without the per-point scores (those live in `scores`). */
export interface QueryResult {
  text: string;
  threshold: number;
  selectedCount: number;
  boxes: QueryBox[];
  /** False when nothing separates from the background (then `boxes` is empty). */
  confident: boolean;
  /** Why the reply is not confident (the pipeline's text, shown as text). */
  reason?: string;
  timings: { embedMs: number; groundMs: number };
}

export interface AppError {
  id: number;
  message: string;
  /** The typed error's class ('ParseError', 'UnexpectedError', ...), when it has one. */
  name?: string;
  /** The file and where in it (as text: "cloud.ply line 3"), when the error names one. */
  where?: string;
}

/** Errors kept on screen at once; older ones are counted in `droppedErrors`. */
export const MAX_ERRORS_SHOWN = 20;

export interface AppState {
  status: AppStatus;
  statusText: string;
  ping?: PingReply;
  /**
   * The pipeline's documented defaults and presets, asked of the worker once at start-up. Until
   * they arrive the forms show empty fields and their actions stay disabled.
   */
  defaults?: PipelineDefaults;
  workerGeneration: number;
  errors: AppError[];
  /** Errors that were pushed out of `errors` by newer ones (MAX_ERRORS_SHOWN). */
  droppedErrors: number;
  scenes: SceneListEntry[];
  scene?: SceneSummary;
  cloud?: ViewCloud;
  scores?: PointScores;
  viewCounts?: PointScores;
  progress?: Progress;
  colorMode: ColorMode;
  colormap: ColormapName;
  heatRange: [number, number];
  pointSize: number;
  sizeUnits: SizeUnits;
  pointBudget: number;
  showGt: boolean;
  showFrusta: boolean;
  /** Eye-dome lighting: points shaded by depth differences to their neighbours on screen. */
  edl: boolean;
  /** How dark EDL makes depth edges (the shader's strength factor). */
  edlStrength: number;
  /** Points outside this axis-aligned box are not drawn; undefined = no clipping. */
  clipBox?: { min: [number, number, number]; max: [number, number, number] };
  /** Frustum depth as a multiple of the default (a few % of the scene's size). */
  frustumScale: number;
  frustumOpacity: number;
  /** At most this many frusta are drawn, evenly strided over the frames (plus the shown one). */
  maxFrusta: number;
  boxes: ViewBox[];
  selectedBox?: string;
  /** Location tokens of the selected box (computed when the box has none). */
  selectedTokens?: string;
  /** Messages from the last token parse (text from our parser, shown as text). */
  tokenDiagnostics: string[];
  /** Diagnostics of the last token parse the worker did not send (too many to list). */
  tokenDiagnosticsOmitted: number;
  /** Scene normalisation (centroid, radius) the location tokens were decoded with. */
  normalisation?: { centroid: [number, number, number]; radius: number };
  /** The camera flies here when this object changes. */
  flyTo?: { center: [number, number, number]; radius: number };
  frameImage?: FrameImage;
  model?: ModelInfo;
  modelCache?: ModelCacheInfo;
  /** The last "Clear cached features": which scope and how many bundles it removed. */
  featureCacheCleared?: { scope: 'scene' | 'all'; removed: number };
  extraction?: ExtractSummary;
  /** Which long job is running, for the Cancel buttons and progress bars. */
  job?: 'open' | 'model' | 'extract' | 'objects' | 'reconstruct';
  /** The open scene's segmentation (every proposal of every level), once found. */
  objects?: ObjectsReply;
  /** The proposal level the Objects panel lists and colours (default objects.objectLevel). */
  objectLevel?: number;
  /** Per displayed point, the proposal id at `level` (−1 = none), for 'segment' colouring. */
  segmentIds?: { level: number; ids: Int32Array };
  selectedObject?: ObjectSelection;
  queryText: string;
  queryHistory: string[];
  /** Comma-separated negative phrases as edited; undefined = the pipeline's default. */
  negatives?: string;
  /** undefined = automatic. */
  threshold?: number;
  /** As edited; undefined = the pipeline's default. */
  topK?: number;
  /** As edited; undefined = the pipeline's default. */
  scoreMode?: ScoreMode;
  lastQuery?: QueryResult;
  /** Name and size of the last file handed to the browser for download. */
  lastExport?: { name: string; bytes: number };
  pickMode: PickMode;
  /** Picked points: one in 'point' mode, up to two in 'distance' mode (cleared per scene). */
  picks: PickedPointState[];
  /** Incremented to ask the camera to refit the scene. */
  refitSeq: number;
  /** Points in the geometry of the last frame drawn (tests wait for a new cloud to be drawn). */
  drawnPoints: number;
  /** Incremented by each WebGL frame drawn (render on demand: it stays put when idle). */
  framesDrawn: number;
}

export const initialState: AppState = {
  status: 'starting',
  statusText: 'Starting the pipeline worker…',
  workerGeneration: 0,
  errors: [],
  droppedErrors: 0,
  scenes: [],
  colorMode: 'rgb',
  colormap: 'turbo',
  heatRange: [0, 1],
  pointSize: 2,
  sizeUnits: 'pixels',
  pointBudget: 1_000_000,
  showGt: false,
  showFrusta: true,
  edl: false,
  edlStrength: 1,
  frustumScale: 1,
  frustumOpacity: 1,
  maxFrusta: 60,
  boxes: [],
  tokenDiagnostics: [],
  tokenDiagnosticsOmitted: 0,
  queryText: '',
  queryHistory: [],
  pickMode: 'boxes',
  picks: [],
  refitSeq: 0,
  drawnPoints: 0,
  framesDrawn: 0,
};

/** The query options in force: the user's edits over the pipeline's defaults (once known). */
export function queryOptions(s: AppState): {
  negatives?: string;
  topK?: number;
  scoreMode?: ScoreMode;
} {
  const d = s.defaults?.query;
  return {
    negatives: s.negatives ?? d?.negatives.join(', '),
    topK: s.topK ?? d?.topK,
    scoreMode: s.scoreMode ?? d?.mode,
  };
}

type Listener = () => void;

let state: AppState = initialState;
const listeners = new Set<Listener>();

export function getState(): AppState {
  return state;
}

export function setState(patch: Partial<AppState> | ((s: AppState) => Partial<AppState>)): void {
  const next = typeof patch === 'function' ? patch(state) : patch;
  state = { ...state, ...next };
  for (const l of listeners) l();
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders the calling component when the selected slice changes (Object.is). */
export function useApp<T>(select: (s: AppState) => T): T {
  return useSyncExternalStore(
    subscribe,
    () => select(state),
    () => select(initialState),
  );
}

let nextErrorId = 1;

/** "file line 3 column 5" / "file at byte 12" / "file" from a typed error's fields. */
function whereOf(err: Error & { location?: unknown; file?: unknown }): string | undefined {
  const loc = err.location as
    { file?: unknown; byteOffset?: unknown; line?: unknown; column?: unknown } | undefined;
  const file = typeof loc?.file === 'string' ? loc.file : err.file;
  if (typeof file !== 'string' || !file) return undefined;
  if (typeof loc?.byteOffset === 'number') return `${file} at byte ${loc.byteOffset}`;
  if (typeof loc?.line === 'number') {
    return `${file} line ${loc.line}${typeof loc.column === 'number' ? ` column ${loc.column}` : ''}`;
  }
  return file;
}

export function reportError(err: unknown): void {
  const typed =
    err instanceof Error ? (err as Error & { location?: unknown; file?: unknown }) : undefined;
  const name = typed?.name && typed.name !== 'Error' ? typed.name : undefined;
  const message = typed ? `${name ? name + ': ' : ''}${typed.message}` : String(err);
  const where = typed ? whereOf(typed) : undefined;
  console.warn(message);
  const entry: AppError = {
    id: nextErrorId++,
    // A message is one line of text, whatever a file put in it.
    message: message.slice(0, 2000),
    ...(name ? { name } : {}),
    ...(where ? { where: where.slice(0, 500) } : {}),
  };
  setState((s) => {
    const errors = [...s.errors, entry];
    const dropped = Math.max(0, errors.length - MAX_ERRORS_SHOWN);
    return {
      errors: errors.slice(dropped),
      droppedErrors: s.droppedErrors + dropped,
      status: s.status === 'busy' ? 'ready' : s.status,
    };
  });
}

export function dismissError(id: number): void {
  setState((s) => ({
    errors: s.errors.filter((e) => e.id !== id),
    // Once the panel is empty, nothing hidden is left to count.
    droppedErrors: s.errors.length <= 1 ? 0 : s.droppedErrors,
  }));
}
