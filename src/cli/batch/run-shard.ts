/**
 * Runs one shard: every scene of the shard in dataset order, each through `extract`'s own code
 * (runExtract, with one model kept for the whole shard) and the chosen exports, written
 * atomically (atomic-output.ts) with a status file; a failing scene is recorded and the shard
 * goes on. Progress per scene and for the shard goes to stderr through the CLI's io.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import * as nodePath from 'node:path';
import type { CliIo } from '../command';
import { runExtract, type ExtractModel, type ExtractModelProvider } from '../commands/extract';
import {
  beginScene,
  cleanStale,
  commitScene,
  discardScene,
  inspectScene,
  type Existing,
  type TempOwner,
} from './atomic-output';
import type { Dataset, DatasetScene } from './dataset';
import { OutputConflictError } from './errors';
import type { BatchExport } from './exports';
import { BATCH_DIR, SCENE_STATUS_FILE, failedFile, sceneDir, shardFile } from './layout';
import {
  SCENE_STATUS_SCHEMA,
  inputKey,
  writeFileAtomic,
  type DoneStatus,
  type FailedStatus,
} from './scene-status';
import type { ResolvedShard } from './shard-env';
import { shardOf } from './sharding';

export interface ShardJob {
  dataset: Dataset;
  out: string;
  shard: ResolvedShard;
  /** extract's flags (without --out), forwarded to every scene. */
  extractFlags: Record<string, string | true>;
  exports: { export: BatchExport; flags: Record<string, string | true> }[];
  optionsKey: string;
  /** The flags behind optionsKey (kept in the shard record). */
  options: Record<string, unknown>;
}

export type SceneOutcome = 'done' | 'skipped' | 'failed';

export interface SceneResult {
  id: string;
  path: string;
  state: SceneOutcome;
  seconds: number;
  reason?: string;
}

export interface ShardResult {
  dataset: string;
  out: string;
  shard: ResolvedShard;
  scenes: SceneResult[];
  counts: { planned: number; done: number; skipped: number; failed: number };
  seconds: number;
  ok: boolean;
}

export const SHARD_RECORD_SCHEMA = 'scene3d-batch-shard/1';

/** A shard's record: the whole dataset's plan (so batch-status knows every scene) and its run. */
export interface ShardRecord {
  schema: typeof SHARD_RECORD_SCHEMA;
  shard: { index: number; count: number; source: string };
  dataset: { path: string; kind: string; scenes: number };
  optionsKey: string;
  options: Record<string, unknown>;
  plan: { id: string; path: string; shard: number }[];
  host: string;
  pid: number;
  startedAt: string;
  finishedAt: string | null;
  counts?: ShardResult['counts'];
}

/** What a finished scene's state is against this job: skip it, redo it, or leave it alone. */
export type SceneAction =
  | { action: 'skip' }
  | { action: 'run'; why: 'new' | 'options changed' | 'input changed' }
  | { action: 'conflict'; reason: string };

export async function sceneAction(
  existing: Existing,
  job: Pick<ShardJob, 'optionsKey'>,
  inKey: string,
): Promise<SceneAction> {
  if (existing.kind === 'foreign') return { action: 'conflict', reason: existing.reason };
  if (existing.kind === 'absent') return { action: 'run', why: 'new' };
  if (existing.status.optionsKey !== job.optionsKey)
    return { action: 'run', why: 'options changed' };
  if (existing.status.inputKey !== inKey) return { action: 'run', why: 'input changed' };
  return { action: 'skip' };
}

/** Loads the model on the first scene that needs it and keeps it for the rest of the shard. */
class SharedModel implements ExtractModelProvider {
  private model?: Promise<ExtractModel>;
  get(load: () => Promise<ExtractModel>) {
    this.model ??= load();
    // A failed load is retried by the next scene rather than failing every scene with it.
    this.model.catch(() => (this.model = undefined));
    return this.model;
  }
  async dispose() {
    const m = await this.model?.catch(() => undefined);
    await m?.encoder.dispose();
  }
}

const errorOf = (err: unknown) => {
  const e = err as Error;
  return { name: e?.name ?? 'Error', message: String(e?.message ?? err) };
};

export function shardRecord(job: ShardJob, startedAt: string): ShardRecord {
  return {
    schema: SHARD_RECORD_SCHEMA,
    shard: job.shard,
    dataset: { path: job.dataset.path, kind: job.dataset.kind, scenes: job.dataset.scenes.length },
    optionsKey: job.optionsKey,
    options: job.options,
    plan: job.dataset.scenes.map((s, k) => ({
      id: s.id,
      path: s.path,
      shard: shardOf(k, job.shard.count),
    })),
    host: os.hostname(),
    pid: process.pid,
    startedAt,
    finishedAt: null,
  };
}

async function runScene(
  job: ShardJob,
  scene: DatasetScene,
  inKey: string,
  io: CliIo,
  model: SharedModel,
  startedAt: string,
  busy: ReadonlyMap<string, TempOwner>,
): Promise<DoneStatus> {
  const owner = busy.get(scene.id);
  if (owner)
    throw new OutputConflictError(
      `${scene.id} is being written by process ${owner.pid} on this host (since ${owner.startedAt})`,
    );
  const temp = await beginScene(job.out, scene.id);
  const t0 = performance.now();
  try {
    const report = await runExtract(
      { positionals: [scene.path], flags: { ...job.extractFlags, out: temp } },
      io,
      model,
      { intoStagingFolder: true },
    );
    const exports: DoneStatus['exports'] = [];
    for (const { export: e, flags } of job.exports) {
      const dir = nodePath.join(temp, e.dir);
      const r = (await e.command.run(
        { positionals: [temp], flags: { ...flags, out: dir } },
        io,
      )) as {
        files?: string[];
      };
      exports.push({ name: e.name, dir: e.dir, files: r.files ?? [] });
    }
    const final = sceneDir(job.out, scene.id);
    const status: DoneStatus = {
      schema: SCENE_STATUS_SCHEMA,
      state: 'done',
      id: scene.id,
      scenePath: scene.path,
      optionsKey: job.optionsKey,
      inputKey: inKey,
      shard: { index: job.shard.index, count: job.shard.count },
      host: os.hostname(),
      pid: process.pid,
      startedAt,
      finishedAt: new Date().toISOString(),
      seconds: Math.round(performance.now() - t0) / 1000,
      cacheKey: report.cacheKey,
      counts: {
        points: report.points,
        seenPoints: report.seenPoints,
        views: report.views,
        crops: report.crops,
      },
      extract: { ...report, out: final },
      exports,
      warnings: report.warnings,
    };
    await fs.writeFile(
      nodePath.join(temp, SCENE_STATUS_FILE),
      JSON.stringify(status, null, 2) + '\n',
    );
    await commitScene(job.out, scene.id, temp);
    return status;
  } catch (err) {
    await discardScene(temp);
    throw err;
  }
}

const fmtS = (s: number) => `${s.toFixed(s < 10 ? 1 : 0)} s`;

export async function runShard(job: ShardJob, io: CliIo): Promise<ShardResult> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const record = shardRecord(job, startedAt);
  const recordFile = shardFile(job.out, job.shard.index, job.shard.count);
  await fs.mkdir(nodePath.join(job.out, BATCH_DIR), { recursive: true });
  await writeFileAtomic(recordFile, JSON.stringify(record, null, 2) + '\n');

  const mine = job.dataset.scenes.filter((_, k) => shardOf(k, job.shard.count) === job.shard.index);
  // Temporary folders of this shard's scenes left by a killed run: removed once, up front.
  const busy = await cleanStale(job.out, new Set(mine.map((s) => s.id)));
  const model = new SharedModel();
  const results: SceneResult[] = [];
  let workSeconds = 0;
  let worked = 0;
  const tag = `shard ${job.shard.index}/${job.shard.count}`;
  try {
    for (const [k, scene] of mine.entries()) {
      const prefix = `[${tag} scene ${k + 1}/${mine.length} ${scene.id}]`;
      const sceneIo: CliIo = {
        json: io.json,
        progress: (line) => io.progress(`${prefix} ${line}`),
        warn: (line) => io.warn(`${scene.id}: ${line}`),
      };
      const sceneStart = performance.now();
      const startedIso = new Date().toISOString();
      let result: SceneResult;
      try {
        const inKey = await inputKey(scene.path);
        const action = await sceneAction(await inspectScene(job.out, scene.id), job, inKey);
        if (action.action === 'conflict') throw new OutputConflictError(action.reason);
        if (action.action === 'skip') {
          result = { id: scene.id, path: scene.path, state: 'skipped', seconds: 0 };
        } else {
          sceneIo.progress(`start (${action.why})`);
          const status = await runScene(job, scene, inKey, sceneIo, model, startedIso, busy);
          await fs.rm(failedFile(job.out, scene.id), { force: true });
          result = { id: scene.id, path: scene.path, state: 'done', seconds: status.seconds };
        }
      } catch (err) {
        const error = errorOf(err);
        const seconds = Math.round(performance.now() - sceneStart) / 1000;
        const failed: FailedStatus = {
          schema: SCENE_STATUS_SCHEMA,
          state: 'failed',
          id: scene.id,
          scenePath: scene.path,
          optionsKey: job.optionsKey,
          inputKey: '',
          shard: { index: job.shard.index, count: job.shard.count },
          host: os.hostname(),
          pid: process.pid,
          startedAt: startedIso,
          finishedAt: new Date().toISOString(),
          seconds,
          error,
        };
        await writeFileAtomic(
          failedFile(job.out, scene.id),
          JSON.stringify(failed, null, 2) + '\n',
        );
        sceneIo.warn(`failed: ${error.name}: ${error.message}`);
        result = {
          id: scene.id,
          path: scene.path,
          state: 'failed',
          seconds,
          reason: `${error.name}: ${error.message}`,
        };
      }
      results.push(result);
      if (result.state !== 'skipped') {
        workSeconds += result.seconds;
        worked++;
      }
      const left = mine.length - results.length;
      const count = (s: SceneOutcome) => results.filter((r) => r.state === s).length;
      const eta = worked > 0 && left > 0 ? `, ETA ${fmtS((workSeconds / worked) * left)}` : '';
      io.progress(
        `${tag}: ${results.length}/${mine.length} scenes (${count('done')} done, ` +
          `${count('skipped')} skipped, ${count('failed')} failed)` +
          (worked > 0 ? `, ${fmtS(workSeconds / worked)}/scene` : '') +
          eta,
      );
    }
  } finally {
    await model.dispose();
  }
  const count = (s: SceneOutcome) => results.filter((r) => r.state === s).length;
  const counts = {
    planned: mine.length,
    done: count('done'),
    skipped: count('skipped'),
    failed: count('failed'),
  };
  await writeFileAtomic(
    recordFile,
    JSON.stringify({ ...record, finishedAt: new Date().toISOString(), counts }, null, 2) + '\n',
  );
  return {
    dataset: job.dataset.path,
    out: job.out,
    shard: job.shard,
    scenes: results,
    counts,
    seconds: Math.round(performance.now() - t0) / 1000,
    ok: counts.failed === 0,
  };
}
