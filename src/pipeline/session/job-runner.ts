/**
 * One long job at a time (open, reconstruct, load a model, extract): a new job aborts the one in
 * flight, `cancel()` aborts it, and so does a cancel probe polled at every progress report — the
 * browser host's probe reads a flag in shared memory, which lands even while the worker's event
 * loop is too busy to receive a `cancel()` message.
 */
import type { Progress, ProgressCallback } from '../progress';

export type CancelProbe = () => boolean;

export class JobRunner {
  private current: AbortController | undefined;
  private probe: CancelProbe | undefined;
  /** Called when a job starts, so the probe's flag can be reset (the page set it for the last one). */
  private resetProbe: (() => void) | undefined;

  /** Installs the host's cancel probe (and how to reset it when the next job starts). */
  setCancelProbe(probe: CancelProbe | undefined, reset?: () => void): void {
    this.probe = probe;
    this.resetProbe = reset;
  }

  /** Whether a job is in flight. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  cancel(): void {
    this.current?.abort();
  }

  async run<T>(
    onProgress: ProgressCallback | undefined,
    work: (signal: AbortSignal, report: ProgressCallback) => Promise<T>,
  ): Promise<T> {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    this.resetProbe?.();
    const report = (p: Progress) => {
      if (this.probe?.()) controller.abort();
      onProgress?.(p);
    };
    try {
      return await work(controller.signal, report);
    } finally {
      if (this.current === controller) this.current = undefined;
    }
  }
}
