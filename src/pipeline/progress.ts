/**
 * Progress reporting for long work. Stages call `report` with what they know; the worker forwards
 * it through a Comlink.proxy callback, the CLI prints it to stderr.
 */
export interface Progress {
  /** Short stage name, e.g. 'read', 'encode', 'fuse', 'write', 'download'. */
  stage: string;
  /** Units done and total (views, frames, bytes, ...); total may be unknown (0). */
  done: number;
  total: number;
  /** Unit label for display ('views', 'bytes', 'crops', ...). */
  unit?: string;
  /** Throughput in units per second, when the stage measures it. */
  rate?: number;
  /** Estimated seconds left, when known. */
  etaSeconds?: number;
  /** Free text (from our code only, never from files). */
  message?: string;
}

export type ProgressCallback = (p: Progress) => void;

/** Options every long-running pipeline function accepts. */
export interface WorkOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Tracks rate and ETA for a stage with a known total. */
export function progressTracker(stage: string, total: number, unit: string, cb?: ProgressCallback) {
  const start = Date.now();
  return (done: number, message?: string) => {
    if (!cb) return;
    const elapsed = (Date.now() - start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : undefined;
    const etaSeconds = rate && total > 0 ? Math.max(0, (total - done) / rate) : undefined;
    cb({ stage, done, total, unit, rate, etaSeconds, message });
  };
}
