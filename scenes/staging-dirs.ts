/**
 * The `<bundle>.tmp-<pid>` folders a bundle is written into before it is swapped in place: one
 * that a killed run left behind is removed by the next run (its process is gone), and a run
 * stopped by SIGINT or SIGTERM removes its own before it exits.
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The staging folder this process writes `outDir` into. */
export const stagingDirOf = (outDir: string, pid = process.pid) => `${outDir}.tmp-${pid}`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs under another user; only ESRCH says it is gone.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes `outDir`'s staging folders whose process no longer runs; returns their paths. */
export function removeStaleStagingDirs(outDir: string): string[] {
  const parent = dirname(outDir);
  const prefix = `${basename(outDir)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(join(parent, name));
  }
  return removed;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `write` with `dir` removed should the process be interrupted meanwhile. When nothing else
 * listens for the signal, it is raised again after the clean-up, so the process still ends as
 * interrupted (exit status 130 / 143); a host that listens (a test runner) decides itself.
 */
export async function withStagingDir<T>(dir: string, write: () => Promise<T> | T): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(dir, { recursive: true, force: true });
    for (const s of SIGNALS) process.off(s, onSignal);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await write();
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}
