/**
 * laz-perf for Node (CLI, tests): its Node build, fed the .wasm read from node_modules — nothing
 * is fetched (laz-instance.ts: compiled once, a fresh instance per file).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { LazPerfModule } from '../../pipeline/scene/readers/laz';
import { lazPerfLoader, type LazPerfFactory } from '../../pipeline/scene/readers/laz-instance';

/** Emscripten's Node build hooks these on every instance (to exit on a wasm abort): unhooked. */
const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'];
type Listener = (...args: unknown[]) => void;
const events = process as unknown as {
  listeners(event: string): Listener[];
  removeListener(event: string, listener: Listener): void;
};

const freshInstance = lazPerfLoader(async () => {
  // createRequire: laz-perf is CommonJS, and a require made at run time stays out of bundles.
  const require = createRequire(import.meta.url);
  const create = require('laz-perf/lib/node/laz-perf.js') as LazPerfFactory;
  const bytes = await readFile(require.resolve('laz-perf/lib/node/laz-perf.wasm'));
  return { create, wasm: new Uint8Array(bytes).buffer };
});

export async function loadNodeLazPerf(): Promise<LazPerfModule> {
  const before = PROCESS_EVENTS.map((e) => new Set(events.listeners(e)));
  try {
    return await freshInstance();
  } finally {
    // One pair per LAZ file would pile up (and make a wasm abort exit the CLI): remove them.
    PROCESS_EVENTS.forEach((e, i) => {
      for (const l of events.listeners(e)) if (!before[i].has(l)) events.removeListener(e, l);
    });
  }
}
