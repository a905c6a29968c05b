/**
 * One long job at a time (open, reconstruct, load a model, extract, segment): a new job aborts
 * the one in flight, `cancel()` aborts it, and so does a cancel probe — the browser host's probe
 * reads a flag in shared memory, which lands even while the worker's event loop is too busy to
 * receive a `cancel()` message. The probe is polled at every progress report and every time the
 * job's signal is checked (`throwIfAborted(signal)` in readers, fusion, segmentation), so a
 * cancel lands inside long parses that report no progress.
 */
import type { Progress, ProgressCallback } from '../progress';

export type CancelProbe = () => boolean;

/** AbortSignal's own `aborted` getter (the instance getter below falls back to it). */
function nativeAborted(signal: AbortSignal): boolean {
  let proto: object | null = Object.getPrototypeOf(signal) as object | null;
  while (proto) {
    const getter = Object.getOwnPropertyDescriptor(proto, 'aborted')?.get;
    if (getter) return getter.call(signal) as boolean;
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return false;
}

/** Makes reading `signal.aborted` poll the probe first (and abort when it says so). */
function probingSignal(controller: AbortController, probe: () => CancelProbe | undefined) {
  const signal = controller.signal;
  Object.defineProperty(signal, 'aborted', {
    configurable: true,
    get: () => {
      if (!nativeAborted(signal) && probe()?.()) controller.abort();
      return nativeAborted(signal);
    },
  });
  return signal;
}

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
    const signal = probingSignal(controller, () =>
      this.current === controller ? this.probe : undefined,
    );
    const report = (p: Progress) => {
      // Reading `aborted` polls the probe.
      if (!signal.aborted) onProgress?.(p);
    };
    try {
      return await work(signal, report);
    } finally {
      if (this.current === controller) this.current = undefined;
    }
  }
}
