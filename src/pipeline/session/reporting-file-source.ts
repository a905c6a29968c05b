/**
 * A FileSource that reports what it reads and stops when the job is cancelled: opening a scene
 * reads its files one by one, so every read is a progress report (the page shows "read: 12/211
 * files") and a cancel point, whatever the reader does between reads. Frames load lazily later,
 * in other jobs: after `detach()` reads pass straight through.
 */
import { throwIfAborted } from '../errors';
import type { FileSource } from '../io/file-source';
import type { ProgressCallback } from '../progress';

export function reportingFileSource(
  source: FileSource,
  signal: AbortSignal,
  report: ProgressCallback,
): FileSource & { detach(): void } {
  let attached = true;
  let total = 0;
  let done = 0;
  const counted = new Set<string>();
  const step = (path: string) => {
    if (!attached) return;
    throwIfAborted(signal);
    // Files read in ranges (.sens) count once.
    if (!counted.has(path)) {
      counted.add(path);
      done++;
    }
    // About 200 reports per open, however many files: each one is a message to the page.
    const every = Math.max(1, Math.floor(total / 200));
    if (done % every === 0 || done === total) {
      report({ stage: 'read', done: Math.min(done, total || done), total, unit: 'files' });
    }
  };
  return {
    detach() {
      attached = false;
    },
    name: source.name,
    async list() {
      throwIfAborted(signal);
      const paths = await source.list();
      total = paths.length;
      return paths;
    },
    size: (path) => source.size(path),
    exists: (path) => source.exists(path),
    async read(path) {
      step(path);
      const bytes = await source.read(path);
      if (attached) throwIfAborted(signal);
      return bytes;
    },
    async readRange(path, offset, length) {
      step(path);
      const bytes = await source.readRange(path, offset, length);
      if (attached) throwIfAborted(signal);
      return bytes;
    },
  };
}
