/**
 * What `batch-status DIR` reports: every scene of every shard's plan (the union of the shard
 * records under DIR/_batch/shards, the newest record deciding a scene's shard and options) and
 * its state from the files on disk:
 *   done     DIR/<id>/batch-scene.json with the plan's options key
 *   stale    done, but with other options (a rerun with the plan's options redoes it)
 *   partial  a temporary folder and no finished output: being written, or its process was killed
 *   failed   DIR/_batch/failed/<id>.json and no finished output: the reason
 *   missing  none of these: its shard has not reached it (or never ran)
 */
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { MissingFileError } from '../../pipeline/errors';
import { inspectScene, tempFolders, type TempOwner } from './atomic-output';
import { failedFile, shardsDir } from './layout';
import { SHARD_RECORD_SCHEMA, type ShardRecord } from './run-shard';
import { readStatus } from './scene-status';

export type SceneState = 'done' | 'stale' | 'partial' | 'failed' | 'missing';

export interface SceneSummary {
  id: string;
  path: string;
  shard: number;
  state: SceneState;
  reason?: string;
  seconds?: number;
  owner?: TempOwner;
}

export interface ShardSummary {
  index: number;
  count: number;
  /** finished, running (or killed: no end recorded), or never started (no record). */
  run: 'finished' | 'running or killed' | 'not started';
  host?: string;
  startedAt?: string;
  finishedAt?: string | null;
  scenes: number;
  done: number;
  failed: number;
  partial: number;
  missing: number;
  stale: number;
}

export interface BatchSummary {
  out: string;
  complete: boolean;
  shardCount: number;
  totals: Record<SceneState | 'scenes', number>;
  shards: ShardSummary[];
  scenes: SceneSummary[];
  /** Shard records that could not be read. */
  unreadable: string[];
}

async function readRecords(out: string) {
  const dir = shardsDir(out);
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    throw new MissingFileError(
      dir,
      'not a batch output folder (no shard records; run batch with --out here first)',
    );
  }
  const records: ShardRecord[] = [];
  const unreadable: string[] = [];
  for (const n of names) {
    try {
      const r = JSON.parse(await fs.readFile(nodePath.join(dir, n), 'utf8')) as ShardRecord;
      if (r?.schema !== SHARD_RECORD_SCHEMA || !Array.isArray(r.plan)) throw new Error();
      records.push(r);
    } catch {
      unreadable.push(n);
    }
  }
  if (records.length === 0) throw new MissingFileError(dir, 'no readable shard records');
  // Oldest first, so the newest record's plan wins.
  records.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  return { records, unreadable };
}

export async function summariseBatch(outDir: string): Promise<BatchSummary> {
  const out = nodePath.resolve(outDir);
  const { records, unreadable } = await readRecords(out);
  const newest = records[records.length - 1];
  const plan = new Map<string, { id: string; path: string; shard: number; optionsKey: string }>();
  for (const r of records)
    for (const p of r.plan) plan.set(p.id, { ...p, optionsKey: r.optionsKey });
  // Scenes in the newest plan's order, then any only older plans had.
  const order = [
    ...newest.plan.map((p) => p.id),
    ...[...plan.keys()].filter((id) => !newest.plan.some((p) => p.id === id)),
  ];
  const temps = await tempFolders(out);
  const scenes: SceneSummary[] = [];
  for (const id of order) {
    const p = plan.get(id)!;
    const base = { id, path: p.path, shard: p.shard };
    const existing = await inspectScene(out, id);
    if (existing.kind === 'ours') {
      const stale = existing.status.optionsKey !== p.optionsKey;
      scenes.push({
        ...base,
        state: stale ? 'stale' : 'done',
        seconds: existing.status.seconds,
        ...(stale ? { reason: 'finished with other options' } : {}),
      });
      continue;
    }
    const temp = temps.find((t) => t.id === id && t.kind === 'partial');
    if (temp) {
      scenes.push({
        ...base,
        state: 'partial',
        owner: temp.owner,
        reason: 'in progress or interrupted',
      });
      continue;
    }
    const failed = await readStatus(failedFile(out, id));
    if (failed?.state === 'failed') {
      scenes.push({
        ...base,
        state: 'failed',
        seconds: failed.seconds,
        reason: `${failed.error.name}: ${failed.error.message}`,
      });
      continue;
    }
    if (existing.kind === 'foreign') {
      scenes.push({ ...base, state: 'failed', reason: existing.reason });
      continue;
    }
    scenes.push({ ...base, state: 'missing' });
  }
  const count = newest.shard.count;
  const shards: ShardSummary[] = [];
  for (let index = 0; index < count; index++) {
    const rec = [...records]
      .reverse()
      .find((r) => r.shard.index === index && r.shard.count === count);
    const mine = scenes.filter((s) => s.shard === index);
    const n = (state: SceneState) => mine.filter((s) => s.state === state).length;
    shards.push({
      index,
      count,
      run: !rec ? 'not started' : rec.finishedAt ? 'finished' : 'running or killed',
      host: rec?.host,
      startedAt: rec?.startedAt,
      finishedAt: rec?.finishedAt,
      scenes: mine.length,
      done: n('done'),
      failed: n('failed'),
      partial: n('partial'),
      missing: n('missing'),
      stale: n('stale'),
    });
  }
  const total = (state: SceneState) => scenes.filter((s) => s.state === state).length;
  const totals = {
    scenes: scenes.length,
    done: total('done'),
    stale: total('stale'),
    partial: total('partial'),
    failed: total('failed'),
    missing: total('missing'),
  };
  return {
    out,
    complete: totals.done === totals.scenes,
    shardCount: count,
    totals,
    shards,
    scenes,
    unreadable,
  };
}
