/**
 * `info` through the CLI in-process (runCli: the same parsing, output and exit codes as main.ts).
 * On the real ICL-NUIM scene: info-icl.integration.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sevenScenesFiles } from '../pipeline/scene/rgbd-folders';
import { K, WALL_Z } from '../pipeline/scene/rgbd-fixtures';
import { cli } from './run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'info-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeFolder(name: string, files: Record<string, Uint8Array>): string {
  const dir = path.join(tmp, name);
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), bytes);
  }
  return dir;
}

describe('cli info', () => {
  it('prints JSON for a generated 7-Scenes folder, with a reconstructed cloud', async () => {
    const dir = writeFolder('seven', sevenScenesFiles().files);
    const { code, stdout, stderr } = await cli('info', dir, '--json');
    expect(stderr).toMatch(/^(reconstruct \d+\/\d+ frames\n?)*$/);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.format).toBe('7scenes');
    expect(info.frameCount).toBe(3);
    expect(info.imageSizes).toEqual({ color: [K.width, K.height], depth: [K.width, K.height] });
    expect(info.intrinsics).toEqual(K);
    expect(info.depthScale).toBe(1000);
    expect(info.cloudSource).toBe('reconstructed');
    expect(info.pointCount).toBeGreaterThan(0);
    expect(info.bounds.min[2]).toBeGreaterThan(WALL_Z - 0.01);
    expect(info.bounds.max[2]).toBeLessThan(WALL_Z + 0.01);
    expect(info.objectCount).toBe(0);
    expect(info.warnings).toEqual([]);
  });

  it('a missing path exits non-zero with one line naming it', async () => {
    const missing = path.join(tmp, 'does-not-exist');
    const { code, stdout, stderr } = await cli('info', missing);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain(missing);
  });

  it('a broken pose file exits non-zero with the file and line', async () => {
    const { files } = sevenScenesFiles();
    files['seq-01/frame-000002.pose.txt'] = new TextEncoder().encode('1 0 0 0\n0 1 0 0\n');
    const dir = writeFolder('broken', files);
    const { code, stderr } = await cli('info', dir);
    expect(code).not.toBe(0);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/ParseError: .*frame-000002\.pose\.txt line 2: expected a 4x4 matrix/);
  });

  it('an unknown command exits non-zero with one line', async () => {
    const { code, stderr } = await cli('no-such-command');
    expect(code).not.toBe(0);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/unknown command/);
  });
});
