/** scenes/staging-dirs.ts: staging folders of killed runs are removed, live runs' are kept. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleStagingDirs, stagingDirOf, withStagingDir } from '../../scenes/staging-dirs';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'staging-dirs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The pid of a process that has exited (nothing runs under it now). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function folder(p: string): string {
  mkdirSync(p, { recursive: true });
  writeFileSync(path.join(p, 'half-written.bin'), new Uint8Array(8));
  return p;
}

describe('staging folders', () => {
  it("removes a dead run's folder, keeps a running process's, this one's and others' names", () => {
    const out = path.join(tmp, 'demo-room');
    const dead = folder(stagingDirOf(out, deadPid()));
    const live = folder(stagingDirOf(out, process.ppid));
    const mine = folder(stagingDirOf(out));
    const otherBundle = folder(stagingDirOf(path.join(tmp, 'cluttered-room'), deadPid()));
    const notAPid = folder(`${out}.tmp-notes`);
    expect(removeStaleStagingDirs(out)).toEqual([dead]);
    expect(existsSync(dead)).toBe(false);
    for (const kept of [live, mine, otherBundle, notAPid]) expect(existsSync(kept)).toBe(true);
  });

  it('leaves no signal listeners behind and returns what the write returns', async () => {
    const before = process.listenerCount('SIGTERM');
    const dir = folder(path.join(tmp, 'x.tmp-1'));
    expect(await withStagingDir(dir, () => 42)).toBe(42);
    await expect(
      withStagingDir(dir, () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
