/**
 * `batch` as a scheduler runs it: a generated dataset of 7 scenes (3 scene bundles, 2 7-Scenes
 * and 1 TUM RGB-D folders, 1 corrupt PLY) as 3 shards in 3 processes, each told its shard only by
 * environment variables (Slurm, a Kubernetes Indexed Job, AWS Batch). One shard is SIGKILLed
 * while its first scene is being written and then rerun. Afterwards every scene was processed
 * exactly once, each output is byte-identical to a single-scene `extract` (and `export-3dllm`)
 * of the same scene (only batch-scene.json, batch's own status file, holds timings and
 * timestamps), no temporary folder is left, and `batch-status` reports the corrupt scene with
 * its reason; a rerun skips finished scenes, and other options redo them. 10–30 s on 2
 * cores.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARD_ENV_VARS } from '../../src/cli/batch/shard-env';
import { BROKEN_SCENE, writeBatchDataset } from './batch-dataset';
import { cli, repoRoot } from './run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'batch-int-'));
const dataset = path.join(tmp, 'dataset');
const out = path.join(tmp, 'out');
const refs = path.join(tmp, 'refs');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const OPTIONS = ['--model', 'offline', '--detail', 'coarse'];
const ARGS = ['batch', dataset, '--out', out, ...OPTIONS, '--export', '3dllm', '--json'];

let names: string[] = [];
beforeAll(async () => {
  names = await writeBatchDataset(dataset);
}, 120_000);

interface Child {
  pid: number | undefined;
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: () => void;
}

/** `node --import tsx src/cli/main.ts batch ...` with only the given shard variables set. */
function shardProcess(env: Record<string, string>): Child {
  const base = { ...process.env };
  for (const v of SHARD_ENV_VARS) delete base[v];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...ARGS], {
    cwd: repoRoot,
    env: { ...base, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return {
    pid: child.pid,
    code: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    stdout: () => stdout,
    stderr: () => stderr,
    kill: () => child.kill('SIGKILL'),
  };
}

const SHARD_ENV: Record<string, string>[] = [
  // Slurm --array=1-3: task ids from 1.
  { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3' },
  // A Kubernetes Indexed Job exports the index only; the manifest adds the count.
  { JOB_COMPLETION_INDEX: '1', BATCH_SHARD_COUNT: '3' },
  { AWS_BATCH_JOB_ARRAY_INDEX: '2', AWS_BATCH_JOB_ARRAY_SIZE: '3' },
];

async function waitFor(check: () => boolean, what: string, child: Child, timeoutMs = 60_000) {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  void child;
}

const idOf = (name: string) => name.replace(/\.ply$/, '');

/** Every file under dir, relative, sorted. */
function tree(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel))
    .flatMap((n) => {
      const r = rel ? `${rel}/${n}` : n;
      return statSync(path.join(dir, r)).isDirectory() ? tree(dir, r) : [r];
    })
    .sort();
}

describe('batch: 3 shards in 3 processes, one killed and rerun', () => {
  it('processes every scene once, byte-identical to extract, and reports the corrupt one', async () => {
    const good = names.filter((n) => n !== BROKEN_SCENE);
    expect(good.length).toBeGreaterThanOrEqual(6);
    // Shard k gets scenes k, k + 3, ... of the sorted listing.
    const shardScenes = [0, 1, 2].map((k) => names.filter((_, i) => i % 3 === k).map(idOf));
    const [first1] = shardScenes[1];

    const children = SHARD_ENV.map((env) => shardProcess(env));
    // Shard 1: SIGKILL once its first scene's temporary folder exists.
    const partialOf = (id: string) =>
      existsSync(out) ? readdirSync(out).filter((n) => n.startsWith(`.${id}.partial-`)) : [];
    await waitFor(() => partialOf(first1).length > 0, `${first1}'s temp folder`, children[1]);
    children[1].kill();
    expect(await children[1].code).toBeNull(); // killed by a signal
    expect(children[1].stdout()).toBe('');
    expect(existsSync(path.join(out, first1))).toBe(false);
    expect(partialOf(first1)).toHaveLength(1);
    // batch-status now: the killed scene is partial, its shard started and never finished.
    const mid = JSON.parse((await cli('batch-status', out, '--json')).stdout);
    expect(mid.scenes.find((x: { id: string }) => x.id === first1)).toMatchObject({
      state: 'partial',
      owner: { pid: children[1].pid },
    });
    expect(mid.shards[1].run).toBe('running or killed');
    expect(mid.complete).toBe(false);

    // Single-scene extract + export of each good scene, meanwhile, in this process.
    const refKeys = new Map<string, string>();
    for (const name of good) {
      const ref = path.join(refs, idOf(name));
      const e = await cli('extract', path.join(dataset, name), ...OPTIONS, '--out', ref, '--json');
      expect(e.code, e.stderr).toBe(0);
      refKeys.set(idOf(name), JSON.parse(e.stdout).cacheKey);
      const x = await cli('export-3dllm', ref, '--out', path.join(ref, '3dllm'));
      expect(x.code, x.stderr).toBe(0);
    }

    const [code0, code2] = await Promise.all([children[0].code, children[2].code]);
    expect(code0, children[0].stderr()).toBe(1); // its corrupt scene failed
    expect(code2, children[2].stderr()).toBe(0);
    const rerun = shardProcess(SHARD_ENV[1]);
    expect(await rerun.code, rerun.stderr()).toBe(0);

    const results = [children[0], rerun, children[2]].map((c) => JSON.parse(c.stdout()));
    results.forEach((r, k) => {
      expect(r.shard).toMatchObject({ index: k, count: 3 });
      expect(r.scenes.map((s: { id: string }) => s.id)).toEqual(shardScenes[k]);
    });
    // Exactly once: each good scene done by one process, none skipped, none twice.
    const done = results.flatMap((r) =>
      r.scenes
        .filter((s: { state: string }) => s.state === 'done')
        .map((s: { id: string }) => s.id),
    );
    expect(done.sort()).toEqual(good.map(idOf).sort());
    expect(results.every((r) => r.counts.skipped === 0)).toBe(true);
    expect(results[0].scenes.find((s: { id: string }) => s.id === 'broken')).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^ParseError: .*broken\.ply at byte \d+/),
    });
    // The progress on stderr: per scene and per shard, one line each (not a TTY: no \r).
    expect(rerun.stderr()).not.toMatch(/\r/);
    expect(rerun.stderr()).toMatch(
      new RegExp(`\\[shard 1/3 scene 1/2 ${first1}\\] encode \\d+/2 views`),
    );
    expect(rerun.stderr()).toMatch(/^shard 1\/3: 2\/2 scenes \(2 done, 0 skipped, 0 failed\)/m);

    // Nothing but scene folders and _batch; no temporary folder left.
    expect(readdirSync(out).sort()).toEqual(['_batch', ...good.map(idOf)].sort());
    for (const name of good) {
      const id = idOf(name);
      const ref = path.join(refs, id);
      const files = tree(path.join(out, id));
      expect(files).toEqual([...tree(ref), 'batch-scene.json'].sort());
      for (const f of tree(ref))
        expect(
          Buffer.compare(readFileSync(path.join(out, id, f)), readFileSync(path.join(ref, f))),
          `${id}/${f}`,
        ).toBe(0);
      const status = JSON.parse(readFileSync(path.join(out, id, 'batch-scene.json'), 'utf8'));
      expect(status).toMatchObject({ state: 'done', id, scenePath: path.join(dataset, name) });
      // The same feature cache key as the single-scene extract.
      expect(status.cacheKey).toBe(refKeys.get(id));
      expect(status.cacheKey).toMatch(
        /^features-v\d+:[0-9a-f]{16}:offline-colors[^:]*:[0-9a-f]{16}$/,
      );
    }

    const status = await cli('batch-status', out, '--json');
    expect(status.code).toBe(1);
    const s = JSON.parse(status.stdout);
    expect(s.totals).toEqual({
      scenes: names.length,
      done: good.length,
      failed: 1,
      partial: 0,
      missing: 0,
      stale: 0,
    });
    expect(s.shards.map((h: { run: string }) => h.run)).toEqual([
      'finished',
      'finished',
      'finished',
    ]);
    expect(s.scenes.find((x: { state: string }) => x.state === 'failed')).toMatchObject({
      id: 'broken',
      shard: 0,
      reason: expect.stringMatching(/ParseError: .*broken\.ply/),
    });

    // A rerun of shard 0 skips its finished scenes (no model loaded) and retries the broken one.
    const again = await cli(...ARGS.slice(0, -1), '--shard', '0/3', '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).counts).toMatchObject({ skipped: 2, failed: 1, done: 0 });
    expect(again.stderr).not.toMatch(/graphs, offline-colors/);

    // Other options redo a shard's scenes and replace their outputs whole; batch-status then
    // calls the other shards' scenes, finished with the old options, stale.
    const f4 = await cli(
      ...ARGS.slice(0, -1),
      '--features-dtype',
      'f4',
      '--shard',
      '2/3',
      '--json',
    );
    expect(f4.code, f4.stderr).toBe(0);
    expect(JSON.parse(f4.stdout).counts).toMatchObject({ done: 2, skipped: 0 });
    expect(f4.stderr).toMatch(/start \(options changed\)/);
    for (const id of shardScenes[2]) {
      const meta = JSON.parse(readFileSync(path.join(out, id, 'meta.json'), 'utf8'));
      expect(meta.featuresDtype).toBe('<f4');
    }
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    const after = JSON.parse((await cli('batch-status', out, '--json')).stdout);
    expect(after.totals).toMatchObject({ done: 2, stale: good.length - 2, failed: 1 });
  }, 120_000);
});
