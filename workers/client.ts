/**
 * Creates (and restarts) the pipeline worker and wraps it with comlink. The viewer talks to the
 * pipeline only through the returned typed proxy.
 */
import * as Comlink from 'comlink';
import type { DiagnosticsApi } from './diagnostics-api';
import { installErrorTransfer } from './error-transfer';
import type { PipelineApi, ProgressListener } from './pipeline-api';

export type PipelineRemote = Comlink.Remote<PipelineApi>;

export interface PipelineClient {
  api: PipelineRemote;
  worker: Worker;
  /** Cancels the long job in flight, even while the worker is too busy to take messages. */
  cancel(): Promise<void>;
  /** Terminates the worker (any work in flight rejects) and releases the proxy. */
  terminate(): void;
}

export function createPipelineClient(onError?: (message: string) => void): PipelineClient {
  // Typed errors keep their kind, file and location across the boundary.
  installErrorTransfer();
  const worker = new Worker(new URL('./pipeline.worker.ts', import.meta.url), {
    type: 'module',
    name: 'pipeline',
  });
  worker.addEventListener('error', (e) =>
    onError?.(`Worker error: ${e.message || 'failed to start'}`),
  );
  worker.addEventListener('messageerror', () => onError?.('Worker message could not be decoded'));
  const api = Comlink.wrap<PipelineApi>(worker);
  // Shared memory needs cross-origin isolation; without it, cancel() waits for the worker's turn.
  const flag =
    typeof SharedArrayBuffer !== 'undefined' && self.crossOriginIsolated
      ? new Int32Array(new SharedArrayBuffer(4))
      : undefined;
  if (flag) void api.setCancelFlag(flag);
  return {
    api,
    worker,
    async cancel() {
      if (flag) Atomics.store(flag, 0, 1);
      await api.cancel();
    },
    terminate() {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/** Wraps a progress callback so the worker can call it across the boundary. */
export function progressProxy(listener: ProgressListener): ProgressListener {
  return Comlink.proxy(listener);
}

let diagnostics: Comlink.Remote<DiagnosticsApi> | undefined;

/** The diagnostics worker's API, started on first use (console and end-to-end checks). */
export function diagnosticsRemote(): Comlink.Remote<DiagnosticsApi> {
  diagnostics ??= Comlink.wrap<DiagnosticsApi>(
    new Worker(new URL('./diagnostics.worker.ts', import.meta.url), {
      type: 'module',
      name: 'diagnostics',
    }),
  );
  return diagnostics;
}
