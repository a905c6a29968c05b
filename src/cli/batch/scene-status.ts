/**
 * Per-scene status records and the keys a rerun compares:
 * - the options key: a hash of every flag that changes a scene's output files (extract's
 *   options, the model, the exports and their options; not --threads or --batch, which change
 *   speed only);
 * - the input key: a hash of the scene's file names and sizes (cheap to compute on a ScanNet
 *   folder of thousands of frames, and unchanged when a dataset is copied or moved).
 * A finished scene is skipped only when both match. Its status file also keeps extract's
 * feature cache key (features-v1:<scene hash>:<model>:<options hash>), timings and counts.
 */
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { Hasher, canonicalJson } from '../../pipeline/features/cache-key';
import { NodeFileSource } from '../../hosts/node/node-file-source';

export const SCENE_STATUS_SCHEMA = 'scene3d-batch-scene/1';

export const BATCH_OPTIONS_VERSION = 1;

export function optionsKey(options: Record<string, unknown>): string {
  return `batch-v${BATCH_OPTIONS_VERSION}:${new Hasher().text(canonicalJson(options)).hex()}`;
}

/** Hash of the scene's files (relative names and sizes). */
export async function inputKey(scenePath: string): Promise<string> {
  const source = await NodeFileSource.open(scenePath);
  const h = new Hasher();
  for (const rel of await source.list()) h.text(rel).text(String(await source.size(rel)));
  return h.hex();
}

interface StatusBase {
  schema: typeof SCENE_STATUS_SCHEMA;
  id: string;
  scenePath: string;
  optionsKey: string;
  inputKey: string;
  shard: { index: number; count: number };
  host: string;
  pid: number;
  startedAt: string;
  finishedAt: string;
  seconds: number;
}

export interface DoneStatus extends StatusBase {
  state: 'done';
  /** extract's feature cache key. */
  cacheKey: string;
  counts: { points: number; seenPoints: number; views: number; crops: number };
  /** extract's JSON report (timings, throughput, files), `out` being the scene's folder. */
  extract: Record<string, unknown>;
  exports: { name: string; dir: string; files: string[] }[];
  warnings: string[];
}

export interface FailedStatus extends StatusBase {
  state: 'failed';
  error: { name: string; message: string };
}

export type SceneStatus = DoneStatus | FailedStatus;

/** A status record, or undefined if the file is absent or not one of ours. */
export async function readStatus(file: string): Promise<SceneStatus | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const s = JSON.parse(text) as SceneStatus;
    return s?.schema === SCENE_STATUS_SCHEMA && (s.state === 'done' || s.state === 'failed')
      ? s
      : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a file whole or not at all (a temp sibling, then a rename). */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(nodePath.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}
