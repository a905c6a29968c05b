/**
 * The shard this process runs: from `--shard I/N`, else from the variables the scheduler sets
 * for each task of an array, so one container command serves every engine:
 *
 * | engine                    | index                    | count                                                  |
 * | ------------------------- | ------------------------ | ------------------------------------------------------ |
 * | Slurm job array           | `SLURM_ARRAY_TASK_ID`    | `SLURM_ARRAY_TASK_COUNT`, or from `_MIN`/`_MAX`/`_STEP` |
 * | Kubernetes Indexed Job    | `JOB_COMPLETION_INDEX`   | not exported: `BATCH_SHARD_COUNT` or `--shards N`       |
 * | AWS Batch array job       | `AWS_BATCH_JOB_ARRAY_INDEX` | `AWS_BATCH_JOB_ARRAY_SIZE`                          |
 * | Cloud Run job             | `CLOUD_RUN_TASK_INDEX`   | `CLOUD_RUN_TASK_COUNT`                                 |
 * | anything else             | `BATCH_SHARD_INDEX`      | `BATCH_SHARD_COUNT`                                    |
 *
 * Slurm array ids need not start at 0 (`--array=1-10`, steps `0-20:2`): the index is
 * (id − min) / step; a list that is not one evenly stepped range (`--array=1,5,7`) is refused.
 * `--shard` wins over the environment; variables of several engines must agree; `--shards N`
 * must agree with any count given. With nothing set, the one shard 0/1 runs the whole dataset.
 */
import { ShardConfigError } from './errors';
import type { Shard } from './sharding';

export interface ResolvedShard extends Shard {
  /** Where it came from: '--shard', 'SLURM_ARRAY_TASK_ID', ..., or 'default (no shard given)'. */
  source: string;
}

/** Every variable the resolver reads (the deployment files' test checks against this list). */
export const SHARD_ENV_VARS = [
  'SLURM_ARRAY_TASK_ID',
  'SLURM_ARRAY_TASK_COUNT',
  'SLURM_ARRAY_TASK_MIN',
  'SLURM_ARRAY_TASK_MAX',
  'SLURM_ARRAY_TASK_STEP',
  'JOB_COMPLETION_INDEX',
  'AWS_BATCH_JOB_ARRAY_INDEX',
  'AWS_BATCH_JOB_ARRAY_SIZE',
  'CLOUD_RUN_TASK_INDEX',
  'CLOUD_RUN_TASK_COUNT',
  'BATCH_SHARD_INDEX',
  'BATCH_SHARD_COUNT',
] as const;

type Env = Readonly<Record<string, string | undefined>>;

function integer(text: string, what: string): number {
  if (!/^\d{1,9}$/.test(text.trim()))
    throw new ShardConfigError(`${what} must be a non-negative integer, got '${text}'`);
  return Number(text.trim());
}

function envInt(env: Env, name: string): number | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : integer(v, name);
}

function checked(index: number, count: number, source: string): ResolvedShard {
  if (count < 1) throw new ShardConfigError(`${source}: the shard count must be at least 1`);
  if (index >= count)
    throw new ShardConfigError(
      `${source}: shard index ${index} is not below the shard count ${count}`,
    );
  return { index, count, source };
}

/** `I/N`, 0-based: 0/4 … 3/4. */
export function parseShardFlag(text: string): ResolvedShard {
  const m = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(text);
  if (!m)
    throw new ShardConfigError(
      `--shard expects I/N (0-based index I of N shards, e.g. 0/4), got '${text}'`,
    );
  return checked(Number(m[1]), Number(m[2]), '--shard');
}

function slurm(env: Env, fallbackCount: number | undefined): ResolvedShard | undefined {
  const id = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (id === undefined) return undefined;
  const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
  const max = envInt(env, 'SLURM_ARRAY_TASK_MAX');
  const step = envInt(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
  const given = envInt(env, 'SLURM_ARRAY_TASK_COUNT');
  if (step < 1) throw new ShardConfigError('SLURM_ARRAY_TASK_STEP must be at least 1');
  if (id < min || (id - min) % step !== 0)
    throw new ShardConfigError(
      `SLURM_ARRAY_TASK_ID=${id} is not on the array's range (min ${min}, step ${step})`,
    );
  const fromRange = max === undefined ? undefined : Math.floor((max - min) / step) + 1;
  if (max !== undefined && max < min)
    throw new ShardConfigError(`SLURM_ARRAY_TASK_MAX=${max} is below SLURM_ARRAY_TASK_MIN=${min}`);
  if (given !== undefined && fromRange !== undefined && given !== fromRange)
    throw new ShardConfigError(
      `SLURM_ARRAY_TASK_COUNT=${given} but the range ${min}-${max}:${step} has ${fromRange} ids: ` +
        'the array is not one evenly stepped range (e.g. --array=1,5,7); use --array=0-N or --shard I/N',
    );
  const count = given ?? fromRange ?? fallbackCount;
  if (count === undefined)
    throw new ShardConfigError(
      'SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is; ' +
        'set BATCH_SHARD_COUNT or --shards N',
    );
  return checked((id - min) / step, count, 'SLURM_ARRAY_TASK_ID');
}

function indexed(
  env: Env,
  indexVar: string,
  countVar: string | undefined,
  fallbackCount: number | undefined,
  hint: string,
): ResolvedShard | undefined {
  const index = envInt(env, indexVar);
  if (index === undefined) return undefined;
  const count = (countVar ? envInt(env, countVar) : undefined) ?? fallbackCount;
  if (count === undefined)
    throw new ShardConfigError(`${indexVar} is set but the shard count is not: ${hint}`);
  return checked(index, count, indexVar);
}

/**
 * Resolves the shard. `shardsFlag` is `--shards N` (the count alone, for engines that export
 * only an index).
 */
export function resolveShard(
  shardFlag: string | undefined,
  shardsFlag: string | undefined,
  env: Env,
): ResolvedShard {
  const shards = shardsFlag === undefined ? undefined : integer(shardsFlag, '--shards');
  if (shards !== undefined && shards < 1) throw new ShardConfigError('--shards must be at least 1');
  const envCount = envInt(env, 'BATCH_SHARD_COUNT');
  if (shards !== undefined && envCount !== undefined && shards !== envCount)
    throw new ShardConfigError(`--shards ${shards} contradicts BATCH_SHARD_COUNT=${envCount}`);
  const fallback = shards ?? envCount;
  const agrees = (r: ResolvedShard) => {
    if (shards !== undefined && r.count !== shards)
      throw new ShardConfigError(`--shards ${shards} contradicts ${r.source}'s count ${r.count}`);
    return r;
  };
  if (shardFlag !== undefined) return agrees(parseShardFlag(shardFlag));

  const countHint = 'set BATCH_SHARD_COUNT or --shards N';
  const found = [
    slurm(env, fallback),
    indexed(
      env,
      'JOB_COMPLETION_INDEX',
      undefined,
      fallback,
      'Kubernetes Indexed Jobs do not export the completion count; set BATCH_SHARD_COUNT ' +
        '(= spec.completions) in the pod template or pass --shards N',
    ),
    indexed(env, 'AWS_BATCH_JOB_ARRAY_INDEX', 'AWS_BATCH_JOB_ARRAY_SIZE', fallback, countHint),
    indexed(env, 'CLOUD_RUN_TASK_INDEX', 'CLOUD_RUN_TASK_COUNT', fallback, countHint),
    indexed(env, 'BATCH_SHARD_INDEX', 'BATCH_SHARD_COUNT', shards, countHint),
  ].filter((r): r is ResolvedShard => r !== undefined);
  if (found.length === 0) {
    if (shards !== undefined && shards > 1)
      throw new ShardConfigError(
        `--shards ${shards} needs a shard index: --shard I/N or a scheduler's index variable`,
      );
    return { index: 0, count: 1, source: 'default (no shard given)' };
  }
  const [first, ...others] = found;
  for (const o of others) {
    if (o.index !== first.index || o.count !== first.count)
      throw new ShardConfigError(
        `${first.source} gives shard ${first.index}/${first.count} but ${o.source} gives ` +
          `${o.index}/${o.count}; unset one or pass --shard I/N`,
      );
  }
  return agrees({ ...first, source: found.map((r) => r.source).join(' = ') });
}
