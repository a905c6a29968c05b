/**
 * Shareable state in the URL hash (#scene=demo-room&q=red&cam=…&color=heatmap&sel=…): scene,
 * query, camera pose, selected box and view options. Only built-in scene ids can be reopened
 * from a link; a scene from the user's files is written as `files:…` so the page can say so.
 */
import { formatPose, parsePose, currentCameraPose, type CameraPose } from './camera-pose';
import { getState, subscribe, type ColorMode, type ColormapName } from './store';

const COLOR_MODES: readonly ColorMode[] = [
  'rgb',
  'heatmap',
  'views',
  'instance',
  'segment',
  'height',
  'normal',
];

export interface HashState {
  scene?: string;
  query?: string;
  camera?: CameraPose;
  colorMode?: ColorMode;
  /** The selected box's key. */
  selected?: string;
  edl?: boolean;
  colormap?: ColormapName;
  /** Point size in the current units (pixels or metres). */
  pointSize?: number;
  showGt?: boolean;
}

function positiveNumber(text: string | null): number | undefined {
  const v = text === null ? Number.NaN : Number(text);
  return Number.isFinite(v) && v > 0 && v <= 100 ? v : undefined;
}

export function readHash(hash = location.hash): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const color = params.get('color') as ColorMode | null;
  return {
    scene: params.get('scene') ?? undefined,
    query: params.get('q') ?? undefined,
    camera: parsePose(params.get('cam')),
    colorMode: color && COLOR_MODES.includes(color) ? color : undefined,
    selected: params.get('sel') ?? undefined,
    edl: params.has('edl') ? params.get('edl') === '1' : undefined,
    colormap: params.get('map') === 'viridis' ? 'viridis' : undefined,
    pointSize: positiveNumber(params.get('size')),
    showGt: params.has('gt') ? params.get('gt') === '1' : undefined,
  };
}

export function formatHash(h: HashState): string {
  const params = new URLSearchParams();
  if (h.scene) params.set('scene', h.scene);
  if (h.query) params.set('q', h.query);
  if (h.camera) params.set('cam', formatPose(h.camera));
  if (h.colorMode && h.colorMode !== 'rgb') params.set('color', h.colorMode);
  if (h.selected) params.set('sel', h.selected);
  if (h.edl !== undefined) params.set('edl', h.edl ? '1' : '0');
  if (h.colormap && h.colormap !== 'turbo') params.set('map', h.colormap);
  if (h.pointSize !== undefined) params.set('size', String(h.pointSize));
  if (h.showGt) params.set('gt', '1');
  return `#${params.toString()}`;
}

export function writeHash(): void {
  const s = getState();
  const next = formatHash({
    scene: s.scene?.id,
    query: s.lastQuery?.text ?? (s.queryText.trim() || undefined),
    camera: s.scene ? currentCameraPose() : undefined,
    colorMode: s.colorMode,
    selected: s.selectedBox,
    edl: s.edl,
    colormap: s.colormap,
    pointSize: s.pointSize,
    showGt: s.showGt,
  });
  if (location.hash !== next) history.replaceState(null, '', next);
}

let pendingWrite: ReturnType<typeof setTimeout> | undefined;

/**
 * Keeps the hash in step with the view options and selection as they change (debounced: a
 * slider drag writes once). The camera writes its pose itself when an orbit or a flight ends.
 */
export function keepHashInSync(): () => void {
  let last = '';
  return subscribe(() => {
    const s = getState();
    // Until a scene is open, the link's own hash stays as it came.
    if (!s.scene) return;
    const key = [s.scene?.id, s.colorMode, s.colormap, s.pointSize, s.showGt, s.edl, s.selectedBox]
      .map(String)
      .join('|');
    if (key === last) return;
    last = key;
    clearTimeout(pendingWrite);
    pendingWrite = setTimeout(writeHash, 300);
  });
}
