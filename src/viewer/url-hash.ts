/**
 * The scene and query in the URL hash (#scene=demo-room&q=red) so a view can be shared. Only
 * built-in scene ids are restored; a user's files cannot be reopened from a link.
 */
import { getState } from './store';

export interface HashState {
  scene?: string;
  query?: string;
}

export function readHash(hash = location.hash): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return {
    scene: params.get('scene') ?? undefined,
    query: params.get('q') ?? undefined,
  };
}

export function writeHash(): void {
  const s = getState();
  const params = new URLSearchParams();
  if (s.scene) params.set('scene', s.scene.id);
  const q = s.lastQuery?.text ?? (s.queryText.trim() || undefined);
  if (q) params.set('q', q);
  const next = `#${params.toString()}`;
  if (location.hash !== next) history.replaceState(null, '', next);
}
