/**
 * The deployment files of docs/scale-out/ (no container can be built here): the Dockerfile's
 * base, install and entrypoint; the Kubernetes Indexed Job, Cloud Run job, AWS Batch job
 * definition and Slurm array script each run the same command; every flag in it is a flag of
 * `batch`; the shard variables each engine sets resolve to its last shard through the shard
 * resolver (and every shard-looking variable a manifest sets is one the resolver reads); every
 * path in the command lies on a mount (the scenes read-only, the output writable); and the
 * command itself runs here with --dry-run on a generated dataset, its mounts mapped to folders.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args';
import { batchCommand } from '../../src/cli/commands/batch';
import { SHARD_ENV_VARS, resolveShard } from '../../src/cli/batch/shard-env';
import { sevenScenesFiles } from '../pipeline/scene/rgbd-folders';
import { parseTinyYaml } from './tiny-yaml';
import { cli, repoRoot } from './run-cli';

const dir = path.join(repoRoot, 'docs', 'scale-out');
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'batch-deploy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Deployment {
  file: string;
  args: string[];
  /** Environment variables the file sets for the container. */
  env: Record<string, string>;
  /** What the engine itself sets for the last task of N. */
  engineEnv: (n: number) => Record<string, string>;
  shards: number;
  mounts: { path: string; readOnly: boolean }[];
}

function kubernetes(): Deployment {
  const job = parseTinyYaml(read('k8s-indexed-job.yaml')) as any;
  expect(job.kind).toBe('Job');
  expect(job.spec.completionMode).toBe('Indexed');
  expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
  const c = job.spec.template.spec.containers[0];
  const volumes = new Map<string, any>(job.spec.template.spec.volumes.map((v: any) => [v.name, v]));
  return {
    file: 'k8s-indexed-job.yaml',
    args: c.args,
    env: Object.fromEntries(c.env.map((e: any) => [e.name, e.value])),
    engineEnv: (n) => ({ JOB_COMPLETION_INDEX: String(n - 1) }),
    shards: job.spec.completions,
    mounts: c.volumeMounts.map((m: any) => {
      expect(volumes.has(m.name), m.name).toBe(true);
      return { path: m.mountPath, readOnly: m.readOnly === true };
    }),
  };
}

function cloudRun(): Deployment {
  const job = parseTinyYaml(read('cloud-run-job.yaml')) as any;
  expect(job.apiVersion).toBe('run.googleapis.com/v1');
  const spec = job.spec.template.spec;
  const c = spec.template.spec.containers[0];
  const volumes = new Map<string, any>(spec.template.spec.volumes.map((v: any) => [v.name, v]));
  return {
    file: 'cloud-run-job.yaml',
    args: c.args,
    env: Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value])),
    engineEnv: (n) => ({ CLOUD_RUN_TASK_INDEX: String(n - 1), CLOUD_RUN_TASK_COUNT: String(n) }),
    shards: spec.taskCount,
    mounts: c.volumeMounts.map((m: any) => ({
      path: m.mountPath,
      readOnly: volumes.get(m.name)?.csi?.readOnly === true,
    })),
  };
}

function awsBatch(): Deployment {
  const def = JSON.parse(read('aws-batch-job.json'));
  expect(def.type).toBe('container');
  const c = def.containerProperties;
  const volumes = new Set(c.volumes.map((v: any) => v.name));
  return {
    file: 'aws-batch-job.json',
    args: c.command,
    env: Object.fromEntries((c.environment ?? []).map((e: any) => [e.name, e.value])),
    // The array size is given at submit time (docs/scale-out.md: --array-properties size=8).
    engineEnv: (n) => ({
      AWS_BATCH_JOB_ARRAY_INDEX: String(n - 1),
      AWS_BATCH_JOB_ARRAY_SIZE: String(n),
    }),
    shards: 8,
    mounts: c.mountPoints.map((m: any) => {
      expect(volumes.has(m.sourceVolume), m.sourceVolume).toBe(true);
      return { path: m.containerPath, readOnly: m.readOnly === true };
    }),
  };
}

function slurm(): Deployment {
  const script = read('slurm-array.sh');
  const cmd = /^CMD=\((.*)\)$/m.exec(script);
  expect(cmd, 'a CMD=(...) line').not.toBeNull();
  const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(script);
  expect(array, '#SBATCH --array=A-B').not.toBeNull();
  const [min, max] = [Number(array![1]), Number(array![2])];
  const env: Record<string, string> = {};
  for (const m of script.matchAll(/^export ([A-Z_]+)=(\S*)$/gm)) env[m[1]] = m[2];
  return {
    file: 'slurm-array.sh',
    args: cmd![1].trim().split(/\s+/),
    env,
    // What Slurm sets for the last task of --array=min-max.
    engineEnv: () => ({
      SLURM_ARRAY_TASK_ID: String(max),
      SLURM_ARRAY_TASK_MIN: String(min),
      SLURM_ARRAY_TASK_MAX: String(max),
      SLURM_ARRAY_TASK_COUNT: String(max - min + 1),
    }),
    shards: max - min + 1,
    mounts: [...script.matchAll(/--bind "\$[A-Z_]+:([^:"]+)(:ro)?"/g)].map((m) => ({
      path: m[1],
      readOnly: m[2] === ':ro',
    })),
  };
}

const deployments = () => [kubernetes(), cloudRun(), awsBatch(), slurm()];

const batchFlags = new Set([
  'json',
  'help',
  'runtime',
  ...[...batchCommand.usage.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]),
]);

describe('docs/scale-out deployment files', () => {
  it('Dockerfile: Node 20 on glibc, npm ci from the lock file, the CLI as entrypoint', () => {
    const docker = read('Dockerfile');
    const from = /^FROM (\S+)/m.exec(docker)![1];
    expect(from).toMatch(/^node:20(\.|-|$)/);
    expect(from).not.toMatch(/alpine/);
    expect(docker).toMatch(/^COPY package\.json package-lock\.json/m);
    expect(docker).toMatch(/^RUN npm ci\b/m);
    const workdir = /^WORKDIR (\S+)$/m.exec(docker)![1];
    const entry = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(docker)![1]) as string[];
    expect(entry).toEqual([`${workdir}/node_modules/.bin/tsx`, `${workdir}/src/cli/main.ts`]);
    // The entrypoint's script is the CLI, tsx is installed by npm ci.
    readFileSync(path.join(repoRoot, entry[1].slice(workdir.length + 1)));
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect({ ...pkg.dependencies, ...pkg.devDependencies }.tsx).toBeDefined();
    expect(read('Dockerfile.dockerignore')).toMatch(/^node_modules$/m);
  });

  it('every engine runs the same batch command with real flags, its shard variables and mounts', () => {
    const all = deployments();
    for (const d of all) {
      expect(d.args, d.file).toEqual(all[0].args);
      expect(d.args[0], d.file).toBe('batch');
      const parsed = parseArgs(d.args.slice(1));
      for (const flag of Object.keys(parsed.flags))
        expect(batchFlags.has(flag), `${d.file}: --${flag}`).toBe(true);
      // Shard-looking variables the file sets are ones the resolver reads.
      for (const name of Object.keys(d.env))
        if (/SHARD|ARRAY|TASK|COMPLETION/.test(name))
          expect(SHARD_ENV_VARS as readonly string[], `${d.file}: ${name}`).toContain(name);
      // The engine's own variables plus the file's: the last of N shards.
      const shard = resolveShard(undefined, undefined, { ...d.env, ...d.engineEnv(d.shards) });
      expect({ file: d.file, index: shard.index, count: shard.count }).toEqual({
        file: d.file,
        index: d.shards - 1,
        count: d.shards,
      });
      // Each path in the command is on a mount; the scenes read-only, the output writable.
      const mountOf = (p: string) =>
        d.mounts.find((m) => p === m.path || p.startsWith(m.path + '/'));
      const paths = [parsed.positionals[0], String(parsed.flags.out), String(parsed.flags.model)];
      for (const p of paths.filter((p) => p.startsWith('/')))
        expect(mountOf(p), `${d.file}: ${p}`).toBeDefined();
      expect(mountOf(parsed.positionals[0])?.readOnly, `${d.file}: dataset`).toBe(true);
      expect(mountOf(String(parsed.flags.out))?.readOnly, `${d.file}: out`).toBe(false);
    }
    // Without the count, a Kubernetes shard is refused (Kubernetes does not export it).
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(
      /BATCH_SHARD_COUNT/,
    );
  });

  it('the command runs (--dry-run) with its mounts mapped to local folders', async () => {
    const scenes = path.join(tmp, 'scenes');
    for (const name of ['scene0000_00', 'scene0001_00', 'scene0002_00'])
      for (const [rel, bytes] of Object.entries(sevenScenesFiles().files)) {
        mkdirSync(path.dirname(path.join(scenes, name, rel)), { recursive: true });
        writeFileSync(path.join(scenes, name, rel), bytes);
      }
    const local: Record<string, string> = {
      '/data/scenes': scenes,
      '/data/features': path.join(tmp, 'features'),
      '/models': path.join(tmp, 'models'),
    };
    const mapped = kubernetes().args.map((a) => {
      const root = Object.keys(local).find((m) => a === m || a.startsWith(m + '/'));
      return root ? local[root] + a.slice(root.length) : a;
    });
    const r = await cli(...mapped, '--shard', '1/2', '--dry-run', '--json');
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.scenes.map((s: { id: string }) => s.id)).toEqual(['scene0001_00']);
    expect(plan.shardSizes).toEqual([2, 1]);
  });

  it('docs/scale-out.md names every file', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs', 'scale-out.md'), 'utf8');
    for (const f of [
      'Dockerfile',
      'k8s-indexed-job.yaml',
      'cloud-run-job.yaml',
      'aws-batch-job.json',
      'slurm-array.sh',
    ])
      expect(doc).toContain(`scale-out/${f}`);
  });
});
