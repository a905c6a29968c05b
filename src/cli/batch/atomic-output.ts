/**
 * A scene's output appears whole or not at all: it is written into a hidden temporary sibling
 * (`.<id>.partial-<token>`, layout.ts) and renamed to `<id>` once every file and its status are
 * there. A process killed mid-scene leaves only the temporary folder, which the next run of its
 * shard removes when it starts. A `<id>` entry that batch did not write (no status file of ours, a file, a
 * link) is never replaced or deleted.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import * as nodePath from 'node:path';
import { OutputConflictError } from './errors';
import { OWNER_FILE, SCENE_STATUS_FILE, parseTempName, sceneDir, tempName } from './layout';
import { readStatus, type DoneStatus } from './scene-status';

export type Existing =
  { kind: 'absent' } | { kind: 'ours'; status: DoneStatus } | { kind: 'foreign'; reason: string };

/** What is at `out/<id>` now. */
export async function inspectScene(out: string, id: string): Promise<Existing> {
  const dir = sceneDir(out, id);
  let stat;
  try {
    stat = await fs.lstat(dir);
  } catch {
    return { kind: 'absent' };
  }
  if (!stat.isDirectory())
    return { kind: 'foreign', reason: `${dir} exists and is not a folder batch wrote` };
  const status = await readStatus(nodePath.join(dir, SCENE_STATUS_FILE));
  if (status?.state !== 'done' || status.id !== id)
    return {
      kind: 'foreign',
      reason: `${dir} exists without batch's ${SCENE_STATUS_FILE}; not overwritten (move it away or use another --out)`,
    };
  return { kind: 'ours', status };
}

export interface TempOwner {
  host: string;
  pid: number;
  startedAt: string;
}

/** A live process on this host other than this one. */
function aliveElsewhere(owner: TempOwner | undefined): boolean {
  if (!owner || owner.host !== os.hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(dir: string): Promise<TempOwner | undefined> {
  try {
    return JSON.parse(await fs.readFile(nodePath.join(dir, OWNER_FILE), 'utf8')) as TempOwner;
  } catch {
    return undefined;
  }
}

/** The scene's temporary folders now in `out`, with their owners. */
export async function tempFolders(
  out: string,
  id?: string,
): Promise<{ name: string; id: string; kind: 'partial' | 'old'; owner?: TempOwner }[]> {
  let names: string[];
  try {
    names = await fs.readdir(out);
  } catch {
    return [];
  }
  const found = [];
  for (const name of names) {
    const t = parseTempName(name);
    if (!t || (id !== undefined && t.id !== id)) continue;
    found.push({ name, ...t, owner: await readOwner(nodePath.join(out, name)) });
  }
  return found;
}

/**
 * Removes the temporary folders of these scenes left by a killed or failed run (one listing of
 * `out`, once per shard). Returns the scenes whose temporary folder a live process on this host
 * is still writing, with that process (those folders are not touched).
 */
export async function cleanStale(
  out: string,
  ids: ReadonlySet<string>,
): Promise<Map<string, TempOwner>> {
  const busy = new Map<string, TempOwner>();
  for (const t of await tempFolders(out)) {
    if (!ids.has(t.id)) continue;
    if (aliveElsewhere(t.owner)) busy.set(t.id, t.owner!);
    else await fs.rm(nodePath.join(out, t.name), { recursive: true, force: true });
  }
  return busy;
}

const token = () => randomBytes(6).toString('hex');

/** Creates the scene's temporary folder (with owner.json) and returns its path. */
export async function beginScene(out: string, id: string): Promise<string> {
  await fs.mkdir(out, { recursive: true });
  const dir = nodePath.join(out, tempName(id, 'partial', token()));
  await fs.mkdir(dir);
  const owner: TempOwner = {
    host: os.hostname(),
    pid: process.pid,
    startedAt: new Date().toISOString(),
  };
  await fs.writeFile(nodePath.join(dir, OWNER_FILE), JSON.stringify(owner) + '\n');
  return dir;
}

/**
 * Moves the finished temporary folder to `out/<id>`. A previous output of ours (other options)
 * is moved aside first and deleted after; anything else there stops the commit.
 */
export async function commitScene(out: string, id: string, temp: string): Promise<void> {
  await fs.rm(nodePath.join(temp, OWNER_FILE), { force: true });
  const final = sceneDir(out, id);
  const existing = await inspectScene(out, id);
  if (existing.kind === 'foreign') throw new OutputConflictError(existing.reason);
  let old: string | undefined;
  if (existing.kind === 'ours') {
    old = nodePath.join(out, tempName(id, 'old', token()));
    await fs.rename(final, old);
  }
  try {
    await fs.rename(temp, final);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST')
      throw new OutputConflictError(`${final} was written by another process meanwhile`);
    throw err;
  }
  if (old) await fs.rm(old, { recursive: true, force: true });
}

/** Deletes a temporary folder (a failed scene). */
export async function discardScene(temp: string): Promise<void> {
  await fs.rm(temp, { recursive: true, force: true });
}
