/**
 * batch's parts that need no extraction: sharding, the shard from the scheduler's environment,
 * scene ids from hostile names, manifests and dataset discovery, and batch / batch-status
 * in-process on scenes that fail before any model loads (a corrupt PLY, an output folder that is
 * the user's): outputs stay under --out, a user's folder is never touched, failures carry their
 * reason. Real extraction in separate processes: batch.integration.test.ts.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { itemsOfShard, shardOf, shardSizes } from '../../src/cli/batch/sharding';
import { resolveShard, SHARD_ENV_VARS } from '../../src/cli/batch/shard-env';
import { isSafeSceneId, sanitiseSceneId, uniqueSceneIds } from '../../src/cli/batch/scene-id';
import { discoverDataset, parseManifest } from '../../src/cli/batch/dataset';
import { parseTempName, tempName } from '../../src/cli/batch/layout';
import { sevenScenesFiles } from '../pipeline/scene/rgbd-folders';
import { cli } from './run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'batch-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeFolder(dir: string, files: Record<string, Uint8Array | string>) {
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), bytes);
  }
  return dir;
}

const BROKEN_PLY = 'ply\nformat ascii 1.0\nelement vertex 5\nproperty float x\nend_header\n1\n2\n';

describe('sharding', () => {
  it('puts every scene on exactly one shard, evenly, and appending moves none', () => {
    for (const n of [1, 2, 3, 7, 16]) {
      for (const total of [0, 1, 5, 6, 100]) {
        const items = Array.from({ length: total }, (_, k) => k);
        const shards = Array.from({ length: n }, (_, i) =>
          itemsOfShard(items, { index: i, count: n }),
        );
        expect(shards.flat().sort((a, b) => a - b)).toEqual(items);
        const sizes = shards.map((s) => s.length);
        expect(sizes).toEqual(shardSizes(total, n));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        // Ten more scenes at the end: every earlier scene keeps its shard.
        for (const k of items) expect(shardOf(k, n)).toBe(k % n);
        const grown = Array.from({ length: total + 10 }, (_, k) => k);
        for (let i = 0; i < n; i++)
          expect(itemsOfShard(grown, { index: i, count: n }).slice(0, shards[i].length)).toEqual(
            shards[i],
          );
      }
    }
  });
});

describe('shard from --shard or the scheduler environment', () => {
  const none = {};
  it('reads each engine', () => {
    expect(resolveShard(undefined, undefined, none)).toMatchObject({ index: 0, count: 1 });
    expect(resolveShard('2/5', undefined, none)).toMatchObject({
      index: 2,
      count: 5,
      source: '--shard',
    });
    expect(
      resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' }),
    ).toMatchObject({ index: 3, count: 4 });
    // --array=1-8: ids from 1; --array=0-14:2: steps of 2.
    expect(
      resolveShard(undefined, undefined, {
        SLURM_ARRAY_TASK_ID: '1',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_MAX: '8',
      }),
    ).toMatchObject({ index: 0, count: 8 });
    expect(
      resolveShard(undefined, undefined, {
        SLURM_ARRAY_TASK_ID: '6',
        SLURM_ARRAY_TASK_MIN: '0',
        SLURM_ARRAY_TASK_MAX: '14',
        SLURM_ARRAY_TASK_STEP: '2',
        SLURM_ARRAY_TASK_COUNT: '8',
      }),
    ).toMatchObject({ index: 3, count: 8 });
    expect(
      resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '4', BATCH_SHARD_COUNT: '5' }),
    ).toMatchObject({ index: 4, count: 5, source: 'JOB_COMPLETION_INDEX' });
    expect(resolveShard(undefined, '5', { JOB_COMPLETION_INDEX: '4' })).toMatchObject({
      index: 4,
      count: 5,
    });
    expect(
      resolveShard(undefined, undefined, {
        AWS_BATCH_JOB_ARRAY_INDEX: '0',
        AWS_BATCH_JOB_ARRAY_SIZE: '2',
      }),
    ).toMatchObject({ index: 0, count: 2 });
    expect(
      resolveShard(undefined, undefined, { CLOUD_RUN_TASK_INDEX: '1', CLOUD_RUN_TASK_COUNT: '3' }),
    ).toMatchObject({ index: 1, count: 3 });
    expect(
      resolveShard(undefined, undefined, { BATCH_SHARD_INDEX: '1', BATCH_SHARD_COUNT: '2' }),
    ).toMatchObject({ index: 1, count: 2 });
    // Two engines that agree are fine; --shard wins over the environment.
    expect(
      resolveShard(undefined, undefined, {
        CLOUD_RUN_TASK_INDEX: '1',
        CLOUD_RUN_TASK_COUNT: '3',
        BATCH_SHARD_INDEX: '1',
        BATCH_SHARD_COUNT: '3',
      }).index,
    ).toBe(1);
    expect(
      resolveShard('0/2', undefined, { CLOUD_RUN_TASK_INDEX: '1', CLOUD_RUN_TASK_COUNT: '3' }),
    ).toMatchObject({ index: 0, count: 2 });
  });

  it('refuses bad or contradictory values with a ShardConfigError naming them', () => {
    const bad: [string | undefined, string | undefined, Record<string, string>, RegExp][] = [
      ['3/3', undefined, {}, /index 3 is not below the shard count 3/],
      ['1', undefined, {}, /--shard expects I\/N/],
      ['-1/3', undefined, {}, /--shard expects/],
      ['0/0', undefined, {}, /at least 1/],
      ['1/4', '3', {}, /--shards 3 contradicts --shard/],
      [undefined, '4', {}, /needs a shard index/],
      [undefined, undefined, { JOB_COMPLETION_INDEX: '2' }, /BATCH_SHARD_COUNT.*spec\.completions/],
      [
        undefined,
        undefined,
        { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '2' },
        /SLURM_ARRAY_TASK_ID must be/,
      ],
      [
        undefined,
        undefined,
        { SLURM_ARRAY_TASK_ID: '1.5', SLURM_ARRAY_TASK_COUNT: '2' },
        /non-negative integer/,
      ],
      [
        undefined,
        undefined,
        { SLURM_ARRAY_TASK_ID: '3' },
        /SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX/,
      ],
      [
        undefined,
        undefined,
        {
          SLURM_ARRAY_TASK_ID: '5',
          SLURM_ARRAY_TASK_MIN: '1',
          SLURM_ARRAY_TASK_MAX: '7',
          SLURM_ARRAY_TASK_COUNT: '3',
        },
        /not one evenly stepped range/,
      ],
      [
        undefined,
        undefined,
        { AWS_BATCH_JOB_ARRAY_INDEX: '5', AWS_BATCH_JOB_ARRAY_SIZE: '5' },
        /not below/,
      ],
      [
        undefined,
        undefined,
        {
          AWS_BATCH_JOB_ARRAY_INDEX: '0',
          AWS_BATCH_JOB_ARRAY_SIZE: '2',
          CLOUD_RUN_TASK_INDEX: '1',
          CLOUD_RUN_TASK_COUNT: '2',
        },
        /AWS_BATCH_JOB_ARRAY_INDEX gives shard 0\/2 but CLOUD_RUN_TASK_INDEX gives 1\/2/,
      ],
      [
        undefined,
        '3',
        { BATCH_SHARD_COUNT: '4', BATCH_SHARD_INDEX: '0' },
        /--shards 3 contradicts BATCH_SHARD_COUNT=4/,
      ],
    ];
    for (const [flag, shards, env, message] of bad) {
      let error: unknown;
      try {
        resolveShard(flag, shards, env);
      } catch (e) {
        error = e;
      }
      expect((error as Error)?.name, JSON.stringify(env)).toBe('ShardConfigError');
      expect((error as Error).message).toMatch(message);
    }
  });

  it('reads only the variables it lists', () => {
    expect(SHARD_ENV_VARS).toContain('JOB_COMPLETION_INDEX');
    expect(new Set(SHARD_ENV_VARS).size).toBe(SHARD_ENV_VARS.length);
  });
});

describe('scene ids', () => {
  it('turn hostile names into safe, unique folder names', () => {
    const hostile = [
      '../../etc',
      '..',
      '.',
      '',
      '_batch',
      '.hidden',
      'a b',
      'a_b',
      'A_B',
      'line\nbreak',
      'nul\u0000byte',
      'CON',
      'scène 1',
      '日本語',
      'x'.repeat(300),
      'x'.repeat(300) + 'y',
      '.a.partial-0123456789ab',
      'scene0000_00',
      'scene0000_00',
    ];
    const ids = uniqueSceneIds(hostile);
    expect(new Set(ids.map((i) => i.toLowerCase())).size).toBe(ids.length);
    for (const id of ids) {
      expect(isSafeSceneId(id), id).toBe(true);
      expect(id).not.toMatch(/[/\\]|^[._-]/);
      expect(path.basename(id)).toBe(id);
      expect(parseTempName(id)).toBeUndefined();
    }
    // Ordinary names are kept; a later duplicate gets a suffix, the first keeps its id.
    expect(ids.slice(-2)).toEqual(['scene0000_00', 'scene0000_00-2']);
    expect(sanitiseSceneId('room-a')).toBe('room-a');
    expect(sanitiseSceneId('a b')).not.toBe(sanitiseSceneId('a_b'));
    // Temp folder names parse back to their scene only.
    expect(parseTempName(tempName('a.partial-x', 'partial', '0123456789ab'))).toEqual({
      id: 'a.partial-x',
      kind: 'partial',
    });
  });
});

describe('datasets', () => {
  it('reads a manifest: comments, blank lines, CRLF, paths relative to the manifest', () => {
    const file = path.join(tmp, 'lists', 'val.txt');
    const entries = parseManifest(
      new TextEncoder().encode(
        '# ScanNet val\n\nscans/scene0000_00\r\n  /abs/scene0001_00  \n# end\n',
      ),
      file,
    );
    expect(entries).toEqual([
      { line: 3, path: path.join(tmp, 'lists', 'scans', 'scene0000_00') },
      { line: 4, path: '/abs/scene0001_00' },
    ]);
  });

  it('refuses manifest lines it cannot use, naming the manifest and the line', () => {
    const file = '/data/list.txt';
    const bytes = (parts: (string | number[])[]) =>
      new Uint8Array(
        parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)),
      );
    const cases: [Uint8Array, RegExp][] = [
      [bytes(['a\n', [0xff, 0xfe], '\n']), /^\/data\/list\.txt line 2: not UTF-8 text$/],
      [bytes(['a\nb\u0007c\n']), /^\/data\/list\.txt line 2: control character/],
      [bytes(['a\n# x\n./a\n']), /^\/data\/list\.txt line 3: repeats the scene of line 1/],
    ];
    for (const [b, message] of cases) {
      expect(() => parseManifest(b, file)).toThrow(message);
      try {
        parseManifest(b, file);
      } catch (e) {
        expect((e as Error).name).toBe('ParseError');
      }
    }
  });

  it('finds the scenes of a folder in sorted order and says what it skipped', async () => {
    const root = path.join(tmp, 'dataset');
    writeFolder(path.join(root, 'b-seven'), sevenScenesFiles().files);
    writeFolder(root, {
      'a.ply': BROKEN_PLY,
      'README.md': 'notes',
      '.cache/x.ply': BROKEN_PLY,
      'empty/notes.txt': 'x',
      'odd name/scan.ply': BROKEN_PLY,
    });
    const d = await discoverDataset(root, path.join(root, 'out'));
    expect(d.kind).toBe('folder');
    expect(d.scenes.map((s) => s.name)).toEqual(['a.ply', 'b-seven', 'odd name']);
    expect(d.scenes[0].id).toBe('a');
    expect(isSafeSceneId(d.scenes[2].id)).toBe(true);
    expect(d.skipped.map((s) => s.name).sort()).toEqual(['README.md', 'empty']);

    await expect(discoverDataset(path.join(tmp, 'nope'))).rejects.toMatchObject({
      name: 'MissingFileError',
      message: expect.stringMatching(/nope: dataset not found/),
    });
    mkdirSync(path.join(tmp, 'no-scenes'));
    await expect(discoverDataset(path.join(tmp, 'no-scenes'))).rejects.toMatchObject({
      name: 'UnsupportedError',
    });
    const manifest = path.join(tmp, 'list.txt');
    writeFileSync(manifest, 'dataset/b-seven\ndataset/a.ply\n');
    const m = await discoverDataset(manifest);
    expect(m.kind).toBe('manifest');
    expect(m.scenes.map((s) => s.id)).toEqual(['b-seven', 'a']);
  });
});

describe('cli batch / batch-status in-process (no extraction)', () => {
  it('records failing scenes, never touches a folder it did not write, writes only under --out', async () => {
    const root = writeFolder(path.join(tmp, 'fail-ds'), {
      'bad.ply': BROKEN_PLY,
      'mine.ply': BROKEN_PLY,
      '..evil.ply': BROKEN_PLY,
    });
    const out = path.join(tmp, 'fail-out');
    // The user's own folder where batch would put scene 'mine'.
    writeFolder(path.join(out, 'mine'), { 'notes.txt': 'my work' });
    const dry = await cli('batch', root, '--out', out, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan.scenes.map((s: { id: string }) => s.id)).toEqual(['bad', 'mine']);
    expect(plan.scenes[1].action).toMatch(
      /^conflict: .*mine exists without batch's batch-scene\.json/,
    );
    expect(readdirSync(out)).toEqual(['mine']);

    const run = await cli('batch', root, '--out', out, '--model', 'offline', '--json');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.counts).toMatchObject({ planned: 2, failed: 2, done: 0 });
    expect(result.scenes[0].reason).toMatch(/^ParseError: .*bad\.ply at byte \d+/);
    expect(result.scenes[1].reason).toMatch(/^OutputConflictError: .*not overwritten/);
    expect(readFileSync(path.join(out, 'mine', 'notes.txt'), 'utf8')).toBe('my work');
    expect(readdirSync(out).sort()).toEqual(['_batch', 'mine']);
    // Nothing written beside the dataset's own files.
    expect(readdirSync(root).sort()).toEqual(['..evil.ply', 'bad.ply', 'mine.ply']);

    const status = await cli('batch-status', out, '--json');
    expect(status.code).toBe(1);
    const s = JSON.parse(status.stdout);
    expect(s.totals).toMatchObject({ scenes: 2, failed: 2, done: 0 });
    expect(s.scenes[0]).toMatchObject({
      id: 'bad',
      state: 'failed',
      reason: expect.stringMatching(/ParseError/),
    });
    const text = await cli('batch-status', out);
    expect(text.stdout).toMatch(/2 scenes, 0 done, 2 failed/);
    expect(text.stdout).toMatch(/bad \(shard 0, .*bad\.ply\): ParseError/);
  });

  it('fails with one clear line on bad input', async () => {
    const missing = await cli('batch', path.join(tmp, 'none'), '--out', path.join(tmp, 'o'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: MissingFileError: .*none: dataset not found/);
    expect(existsSync(path.join(tmp, 'o'))).toBe(false);
    const noOut = await cli('batch', tmp);
    expect(noOut.code).toBe(2);
    const badShard = await cli('batch', tmp, '--out', path.join(tmp, 'o'), '--shard', '5/2');
    expect(badShard.stderr).toMatch(/^error: ShardConfigError: --shard: shard index 5/);
    const typo = await cli('batch', tmp, '--out', path.join(tmp, 'o'), '--shrad', '0/2');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown flag --shrad for 'batch'/);
    const badExport = await cli('batch', tmp, '--out', path.join(tmp, 'o'), '--export', 'pdf');
    expect(badExport.stderr).toMatch(/--export expects 3dllm/);
    writeFileSync(path.join(tmp, 'a-file'), 'x');
    const outIsFile = await cli(
      'batch',
      path.join(tmp, 'dataset'),
      '--out',
      path.join(tmp, 'a-file'),
    );
    expect(outIsFile.stderr).toMatch(
      /OutputConflictError: .*a-file: --out exists and is not a folder/,
    );
    const notBatch = await cli('batch-status', tmp);
    expect(notBatch.stderr).toMatch(/not a batch output folder/);
    for (const r of [missing, badShard, outIsFile, notBatch])
      expect(r.stderr.split('\n')).toHaveLength(1);
  });
});
