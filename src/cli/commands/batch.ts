import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import type { CliCommand } from '../command';
import { CliUsageError, flagString, type ParsedArgs } from '../args';
import { extractCommand } from './extract';
import { ORT_RUNTIME_ENV } from '../../hosts/node/platform';
import { discoverDataset } from '../batch/dataset';
import { BATCH_EXPORTS, OUTPUT_FLAGS, exportFlags, usageFlags } from '../batch/exports';
import { inspectScene } from '../batch/atomic-output';
import { OutputConflictError } from '../batch/errors';
import { BATCH_DIR } from '../batch/layout';
import { inputKey, optionsKey } from '../batch/scene-status';
import { resolveShard } from '../batch/shard-env';
import { shardOf, shardSizes } from '../batch/sharding';
import { runShard, sceneAction, type ShardJob, type ShardResult } from '../batch/run-shard';

/** extract's flags batch forwards to every scene (all but --out/--force), from its usage line. */
export const EXTRACT_FLAGS = usageFlags(extractCommand.usage).filter((f) => !OUTPUT_FLAGS.has(f));
/** extract flags that change speed only, left out of the options key. */
const SPEED_ONLY_FLAGS = new Set(['threads', 'batch']);

/** A command's options as its usage line writes them, e.g. `[--stride k] [--detail …]`. */
const optionsUsage = (usage: string) =>
  [...usage.matchAll(/\[--([a-z][a-z0-9-]*)[^\]]*\]/g)]
    .filter((m) => !OUTPUT_FLAGS.has(m[1]))
    .map((m) => m[0]);
const extractOptionsUsage = optionsUsage(extractCommand.usage).join(' ');
const exportOptionsUsage = BATCH_EXPORTS.flatMap((e) => optionsUsage(e.command.usage)).join(' ');

const exportNames = BATCH_EXPORTS.map((e) => e.name).join(',');

function pick(args: ParsedArgs, names: string[]): Record<string, string | true> {
  const picked: Record<string, string | true> = {};
  for (const n of names) if (args.flags[n] !== undefined) picked[n] = args.flags[n];
  return picked;
}

function chosenExports(args: ParsedArgs) {
  const text = flagString(args, 'export');
  if (args.flags.export === true) throw new CliUsageError(`--export expects ${exportNames}`);
  if (text === undefined) return [];
  return [...new Set(text.split(','))].map((name) => {
    const e = BATCH_EXPORTS.find((x) => x.name === name.trim());
    if (!e)
      throw new CliUsageError(`--export expects ${exportNames} (comma-separated), got '${name}'`);
    return { export: e, flags: pick(args, exportFlags(e)) };
  });
}

export interface DryRunPlan {
  dryRun: true;
  dataset: string;
  kind: string;
  out: string;
  shard: ShardResult['shard'];
  totalScenes: number;
  shardSizes: number[];
  skippedEntries: { name: string; reason: string }[];
  scenes: { id: string; path: string; action: string }[];
}

async function checkOut(out: string) {
  let stat;
  try {
    stat = await fs.lstat(out);
  } catch {
    return;
  }
  if (!stat.isDirectory())
    throw new OutputConflictError(`${out}: --out exists and is not a folder`);
  try {
    const b = await fs.lstat(nodePath.join(out, BATCH_DIR));
    if (!b.isDirectory())
      throw new OutputConflictError(
        `${nodePath.join(out, BATCH_DIR)} exists and is not batch's folder`,
      );
  } catch (err) {
    if (err instanceof OutputConflictError) throw err;
  }
}

export const batchCommand: CliCommand = {
  name: 'batch',
  usage:
    `batch <dataset-dir|manifest> --out DIR [--shard I/N] [--shards N] [--dry-run] ` +
    `[--export ${exportNames}] --model <offline|DIR> ${extractOptionsUsage} ${exportOptionsUsage}`,
  summary:
    'extract every scene of a dataset (a folder of scenes or a manifest of paths) into DIR/<scene-id>/, ' +
    'one shard of it (--shard I/N or the scheduler: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, ' +
    'AWS_BATCH_JOB_ARRAY_INDEX, CLOUD_RUN_TASK_INDEX; docs/scale-out.md); resumable, exit 1 if a scene failed',
  async run(args, io): Promise<ShardResult | DryRunPlan> {
    const datasetPath = args.positionals[0];
    if (!datasetPath) throw new CliUsageError('batch needs a dataset folder or manifest');
    if (args.positionals.length > 1)
      throw new CliUsageError(`batch takes one dataset, got ${args.positionals.length} paths`);
    const outFlag = flagString(args, 'out');
    if (!outFlag) throw new CliUsageError('batch needs --out DIR');
    const out = nodePath.resolve(outFlag);
    const shard = resolveShard(flagString(args, 'shard'), flagString(args, 'shards'), process.env);
    const exports = chosenExports(args);
    const extractFlags = pick(args, EXTRACT_FLAGS);
    const keyed = Object.fromEntries(
      Object.entries(extractFlags).filter(([f]) => !SPEED_ONLY_FLAGS.has(f)),
    );
    // The onnxruntime asked for (the global --runtime, or its variable) may change the numbers.
    const runtime = flagString(args, 'runtime') ?? (process.env[ORT_RUNTIME_ENV] || undefined);
    const options = {
      extract: { model: 'offline', ...keyed, runtime },
      exports: exports.map((e) => ({ name: e.export.name, flags: e.flags })),
    };
    await checkOut(out);
    const dataset = await discoverDataset(datasetPath, out);
    const job: ShardJob = {
      dataset,
      out,
      shard,
      extractFlags,
      exports,
      optionsKey: optionsKey(options),
      options,
    };
    io.progress(
      `batch: ${dataset.scenes.length} scenes in ${dataset.path}; shard ${shard.index}/${shard.count} ` +
        `(${shard.source}) has ${shardSizes(dataset.scenes.length, shard.count)[shard.index]}`,
    );
    if (args.flags['dry-run'] !== true) return runShard(job, io);
    const scenes = [];
    for (const [k, s] of dataset.scenes.entries()) {
      if (shardOf(k, shard.count) !== shard.index) continue;
      let action: string;
      try {
        const a = await sceneAction(await inspectScene(out, s.id), job, await inputKey(s.path));
        action =
          a.action === 'run'
            ? `run (${a.why})`
            : a.action === 'skip'
              ? 'skip (done)'
              : `conflict: ${a.reason}`;
      } catch (err) {
        action = `fail: ${(err as Error).name}: ${(err as Error).message}`;
      }
      scenes.push({ id: s.id, path: s.path, action });
    }
    return {
      dryRun: true,
      dataset: dataset.path,
      kind: dataset.kind,
      out,
      shard,
      totalScenes: dataset.scenes.length,
      shardSizes: shardSizes(dataset.scenes.length, shard.count),
      skippedEntries: dataset.skipped,
      scenes,
    };
  },
  exitCode: (result) => ((result as { ok?: boolean }).ok === false ? 1 : 0),
  format(result) {
    const r = result as ShardResult | DryRunPlan;
    const head = `shard ${r.shard.index}/${r.shard.count} (${r.shard.source})`;
    if ('dryRun' in r) {
      return [
        `plan: ${r.totalScenes} scenes in ${r.dataset} (${r.kind}); shard sizes ${r.shardSizes.join(', ')}`,
        `${head}, output ${r.out}:`,
        ...r.scenes.map((s) => `  ${s.id}: ${s.action}  (${s.path})`),
        ...r.skippedEntries.map((s) => `  not a scene: ${s.name} (${s.reason})`),
      ].join('\n');
    }
    const c = r.counts;
    return [
      `${head}: ${c.planned} scenes, ${c.done} done, ${c.skipped} skipped (already done), ${c.failed} failed, ${r.seconds} s`,
      ...r.scenes.map(
        (s) =>
          `  ${s.state.padEnd(7)} ${s.id}${s.state === 'done' ? ` (${s.seconds} s)` : ''}${s.reason ? `: ${s.reason}` : ''}`,
      ),
    ].join('\n');
  },
};
