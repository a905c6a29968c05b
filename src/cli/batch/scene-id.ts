/**
 * Scene ids: the name of a scene's output folder under `--out`. A scene's name comes from a
 * folder or file name in the dataset, or a manifest line, so it can hold anything a file system
 * allows (spaces, newlines, `..`, non-ASCII, names that differ only in case). An id is that name
 * reduced to `[A-Za-z0-9._-]`, never starting with `.`, `_` or `-` (those prefixes are batch's own
 * temporary and bookkeeping entries), at most {@link MAX_ID_LENGTH} characters, and unique in
 * the dataset ignoring case (a case-insensitive file system would merge two folders otherwise).
 */
import { Hasher } from '../../pipeline/features/cache-key';

export const MAX_ID_LENGTH = 96;

/** A safe folder name for one scene name (not yet unique). */
export function sanitiseSceneId(name: string): string {
  let id = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .replace(/[._-]+$/, '');
  if (id === '') id = 'scene';
  if (id !== name || id.length > MAX_ID_LENGTH) {
    // A changed name keeps a short hash of the original, so 'a b' and 'a_b' stay apart.
    const hash = new Hasher().text(name).hex().slice(0, 8);
    id = `${id.slice(0, MAX_ID_LENGTH - 9)}-${hash}`;
  }
  return id;
}

/**
 * Ids for scene names in dataset order: sanitised, and a later name whose id is taken (ignoring
 * case) gets `-2`, `-3`, … Earlier scenes keep their ids when scenes are appended.
 */
export function uniqueSceneIds(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = sanitiseSceneId(name);
    let id = base;
    for (let k = 2; taken.has(id.toLowerCase()); k++) id = `${base}-${k}`;
    taken.add(id.toLowerCase());
    return id;
  });
}

/** True for a name {@link sanitiseSceneId} could return (checked again before any write). */
export function isSafeSceneId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_LENGTH + 8 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id);
}
