/**
 * laz-perf for the pipeline worker: its worker build, with the .wasm served from our own origin
 * (the worker passes the URL its bundler gave the file; no CDN). Both are fetched on the first
 * LAZ file only (laz-instance.ts: compiled once, a fresh instance per file).
 */
import type { LazPerfModule } from '../../pipeline/scene/readers/laz';
import { lazPerfLoader, type LazPerfFactory } from '../../pipeline/scene/readers/laz-instance';

export function browserLazPerf(wasmUrl: string): () => Promise<LazPerfModule> {
  return lazPerfLoader(async () => {
    const [m, response] = await Promise.all([
      import('laz-perf/lib/worker/laz-perf.js') as Promise<{ default?: unknown }>,
      fetch(wasmUrl),
    ]);
    if (!response.ok) throw new Error(`${wasmUrl}: HTTP ${response.status}`);
    return { create: (m.default ?? m) as LazPerfFactory, wasm: await response.arrayBuffer() };
  });
}
