/** `embed-text` / `embed-image` through the CLI in-process (runCli) with the offline model. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePngRgb } from '../../../../src/pipeline/image/encode';
import { FOCAL_SRGB } from '../../../../src/pipeline/clip/offline/color-terms';
import {
  OFFLINE_IMAGE_GENERIC,
  OFFLINE_TOKEN_GENERIC,
} from '../../../../src/pipeline/clip/offline/offline-spec';
import { cli as runCli } from '../../../cli/run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cli-embed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Resolves with stdout on exit 0, rejects with { code, stderr } otherwise (as execFile did). */
async function cli(...args: string[]): Promise<{ stdout: string }> {
  const r = await runCli(...args);
  if (r.code !== 0) throw Object.assign(new Error(r.stderr), r);
  return r;
}

describe('cli embed-text / embed-image with the offline model', () => {
  it('embed-text prints D, the raw norm and the first values', async () => {
    const { stdout } = await cli('embed-text', '--json', 'a', 'red', 'object');
    const r = JSON.parse(stdout);
    expect(r.dim).toBe(64);
    expect(r.model).toBe('offline-colors');
    // start, 'a', 'red', 'object' each add the generic component; 'red' adds its term (1).
    expect(r.norm).toBeCloseTo(Math.hypot(1, 4 * OFFLINE_TOKEN_GENERIC), 5);
    expect(r.first).toHaveLength(8);
  });

  it('embed-image on a flat red PNG: raw norm ≈ |(1 red, generic)|', async () => {
    const file = path.join(tmp, 'red.png');
    const [r, g, b] = FOCAL_SRGB.red;
    const data = new Uint8Array(64 * 48 * 3).map((_, i) => [r, g, b][i % 3]);
    writeFileSync(file, encodePngRgb({ width: 64, height: 48, data }));
    const { stdout } = await cli('embed-image', '--json', file);
    const out = JSON.parse(stdout);
    expect(out.dim).toBe(64);
    expect([out.width, out.height]).toEqual([64, 48]);
    expect(out.norm).toBeCloseTo(Math.hypot(1, OFFLINE_IMAGE_GENERIC), 2);
  });

  it('fails in one line with a non-zero exit on a missing model folder', async () => {
    const err = await cli('embed-text', '--model', path.join(tmp, 'nope'), 'red').catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr.trim().split('\n').at(-1)).toMatch(
      /^error: MissingFileError: .*nope: file not found$/,
    );
  });
});
