/**
 * `npm run scenes` through its command line (scenes/generate.ts in a child process): writes a
 * bundle with the given options, then reports it up to date. The in-process behaviour (stamps,
 * --force, other options) is tested in demo-bundle.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordedStampHash, writeDemoRoomBundle } from '../../scenes/generate';

const repo = path.resolve(__dirname, '../..');

describe('npm run scenes (the script)', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'demo-room-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes a bundle for its command-line options and skips an up-to-date one', async () => {
    const out = path.join(tmp, 'room');
    const run = () =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'scenes/generate.ts',
          '--out',
          out,
          '--views',
          '3',
          '--width',
          '48',
          '--height',
          '36',
        ],
        { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    expect(run()).toMatch(/wrote .*3 views 48x36/);
    expect(run()).toMatch(/up to date/);
    // The flags meant these options: the in-process call with them finds its stamp.
    const same = await writeDemoRoomBundle({
      outDir: out,
      options: { views: 3, width: 48, height: 36 },
    });
    expect(same.wrote).toBe(false);
    expect(recordedStampHash(out)).toBe(same.stamp.hash);
  }, 120_000);
});
