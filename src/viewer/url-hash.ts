/**
 * Shareable state in the URL hash (#scene=demo-room&q=red&cam=…&color=heatmap&sel=…): scene,
 * query, camera pose, selected box and view options. Only built-in scene ids can be reopened
 * from a link; a scene from the user's files is written as `files:…` so the page can say so.
 */
import { formatPose, parsePose, currentCameraPose, type CameraPose } from './camera-pose';
import { getState, type ColorMode } from './store';

const COLOR_MODES: readonly ColorMode[] = ['rgb', 'heatmap', 'views', 'instance', 'segment'];

export interface HashState {
  scene?: string;
  query?: string;
  camera?: CameraPose;
  colorMode?: ColorMode;
  /** The selected box's key. */
  selected?: string;
  edl?: boolean;
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
  });
  if (location.hash !== next) history.replaceState(null, '', next);
}
