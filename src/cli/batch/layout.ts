/**
 * Where a batch run writes under `--out DIR` (nothing else is ever written or removed there):
 *
 *   DIR/<id>/                      a finished scene: extract's files, the exports' folders and
 *                                  batch-scene.json (its status); it appears in one rename
 *   DIR/.<id>.partial-<token>/     a scene being written (owner.json says by which process)
 *   DIR/.<id>.old-<token>/         a finished scene being replaced (options changed)
 *   DIR/_batch/failed/<id>.json    why a scene failed (removed when it later succeeds)
 *   DIR/_batch/shards/<I>-of-<N>.json   a shard's run: its plan, start, end and counts
 *
 * Ids never start with `.` or `_` (scene-id.ts), so these names cannot collide with a scene.
 */
import * as nodePath from 'node:path';
import { isSafeSceneId } from './scene-id';

export const SCENE_STATUS_FILE = 'batch-scene.json';
export const OWNER_FILE = 'owner.json';
export const BATCH_DIR = '_batch';

const TOKEN = /^[0-9a-f]{12}$/;

function safeId(id: string): string {
  if (!isSafeSceneId(id)) throw new Error(`unsafe scene id '${id}'`);
  return id;
}

export const sceneDir = (out: string, id: string) => nodePath.join(out, safeId(id));

export const tempName = (id: string, kind: 'partial' | 'old', token: string) => {
  if (!TOKEN.test(token)) throw new Error(`bad temp token '${token}'`);
  return `.${safeId(id)}.${kind}-${token}`;
};

/** The scene id and kind of a temp folder's name, or undefined for any other name. */
export function parseTempName(name: string): { id: string; kind: 'partial' | 'old' } | undefined {
  const m = /^\.(.+)\.(partial|old)-([0-9a-f]{12})$/.exec(name);
  if (!m || !isSafeSceneId(m[1])) return undefined;
  return { id: m[1], kind: m[2] as 'partial' | 'old' };
}

export const failedFile = (out: string, id: string) =>
  nodePath.join(out, BATCH_DIR, 'failed', `${safeId(id)}.json`);

export const shardsDir = (out: string) => nodePath.join(out, BATCH_DIR, 'shards');

export const shardFile = (out: string, index: number, count: number) =>
  nodePath.join(shardsDir(out), `${index}-of-${count}.json`);
