/**
 * Creates (and restarts) the pipeline worker and wraps it with comlink. The viewer talks to the
 * pipeline only through the returned typed proxy.
 */
import * as Comlink from 'comlink';
import type { PipelineApi, ProgressListener } from './pipeline-api';

export type PipelineRemote = Comlink.Remote<PipelineApi>;

export interface PipelineClient {
  api: PipelineRemote;
  worker: Worker;
  /** Terminates the worker (any work in flight rejects) and releases the proxy. */
  terminate(): void;
}

export function createPipelineClient(onError?: (message: string) => void): PipelineClient {
  const worker = new Worker(new URL('./pipeline.worker.ts', import.meta.url), {
    type: 'module',
    name: 'pipeline',
  });
  worker.addEventListener('error', (e) =>
    onError?.(`Worker error: ${e.message || 'failed to start'}`),
  );
  worker.addEventListener('messageerror', () => onError?.('Worker message could not be decoded'));
  const api = Comlink.wrap<PipelineApi>(worker);
  return {
    api,
    worker,
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
