/**
 * `--cloud-stride k` and `--cloud-voxel m` (in-process CLI on a generated 7-Scenes folder of
 * three frames, no cloud file): they reach the reconstruction of every command that opens a
 * scene, the default uses every frame, and wrong values are usage errors before any file is read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sevenScenesFiles } from '../pipeline/scene/rgbd-folders';
import { K } from '../pipeline/scene/rgbd-fixtures';
import { cli } from './run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cloud-flags-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dir = path.join(tmp, 'seven');
for (const [rel, bytes] of Object.entries(sevenScenesFiles().files)) {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), bytes);
}
// 7-Scenes marks one pixel per frame invalid (65535).
const VALID_PIXELS = K.width * K.height - 1;

async function infoJson(...flags: string[]) {
  const r = await cli('info', dir, '--json', ...flags);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('cli reconstruction flags', () => {
  it('info: every frame by default; --cloud-stride and --cloud-voxel reach the reconstruction', async () => {
    const all = await infoJson();
    expect(all.reconstruction).toMatchObject({
      frameStride: 1,
      strideFrom: 'budget',
      framesUsed: 3,
      framesTotal: 3,
      voxelSize: 0.02,
      rawPoints: 3 * VALID_PIXELS,
    });
    const strided = await infoJson('--cloud-stride', '2', '--cloud-voxel', '0.25');
    expect(strided.reconstruction).toMatchObject({
      frameStride: 2,
      strideFrom: 'option',
      framesUsed: 2, // frames 0 and 2
      voxelSize: 0.25,
      rawPoints: 2 * VALID_PIXELS,
    });
    expect(strided.pointCount).toBe(strided.reconstruction.pointCount);
    expect(strided.pointCount).toBeLessThan(all.pointCount);
    // info's older names still work; the new ones win when both are given.
    const older = await infoJson('--stride', '3', '--voxel', '0.1');
    expect(older.reconstruction).toMatchObject({ frameStride: 3, framesUsed: 1, voxelSize: 0.1 });
    const both = await infoJson('--stride', '3', '--cloud-stride', '2');
    expect(both.reconstruction.frameStride).toBe(2);
  });

  it('objects: the flags set the cloud it segments', async () => {
    const r = await cli('objects', dir, '--json', '--cloud-stride', '3', '--cloud-voxel', '0.25');
    expect(r.code, r.stderr).toBe(0);
    const info = await infoJson('--cloud-stride', '3', '--cloud-voxel', '0.25');
    const listed = JSON.parse(r.stdout);
    const top = listed.objects.filter((o: { parent: number }) => o.parent === -1);
    const points = top.reduce((n: number, o: { pointCount: number }) => n + o.pointCount, 0);
    expect(points).toBeLessThanOrEqual(info.pointCount);
    expect(points).toBeGreaterThan(0);
  });

  const nowhere = path.join(tmp, 'does-not-exist');
  it.each([
    ['info', nowhere, '--cloud-stride', '0'],
    ['info', nowhere, '--cloud-stride', '1.5'],
    ['info', nowhere, '--cloud-voxel', 'NaN'],
    ['info', nowhere, '--cloud-voxel', '0'],
    ['objects', nowhere, '--cloud-stride', '-2'],
    ['ground', nowhere, '--scores', nowhere, '--cloud-voxel', '-1'],
    ['extract', nowhere, '--out', nowhere, '--cloud-stride', 'x'],
    ['eval', nowhere, '--cloud-voxel', 'Infinity'],
  ])('%s %s %s %s is a usage error', async (...argv) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: usage error: --cloud-(stride|voxel) expects .*, got /);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
