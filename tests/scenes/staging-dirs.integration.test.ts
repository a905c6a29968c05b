/**
 * A process stopped by SIGTERM/SIGINT while it writes into a staging folder removes it and
 * still ends as killed by that signal (a child process running scenes/staging-dirs.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(__dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'staging-signal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const script = `
import { mkdirSync } from 'node:fs';
import { withStagingDir } from './scenes/staging-dirs.ts';
const dir = process.argv[1];
await withStagingDir(dir, async () => {
  mkdirSync(dir, { recursive: true });
  process.stdout.write('writing\\n');
  await new Promise((r) => setTimeout(r, 60_000));
});
`;

describe('staging folder on a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s removes it and ends the process', async (signal) => {
    const dir = path.join(tmp, `bundle.tmp-${signal}`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, dir],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => d.toString().includes('writing') && resolve()),
    );
    expect(existsSync(dir)).toBe(true);
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, sig) => resolve(sig)),
    );
    child.kill(signal);
    expect(await ended).toBe(signal);
    expect(existsSync(dir)).toBe(false);
  });
});
