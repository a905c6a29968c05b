/**
 * laz-perf modules for a host: the wasm is compiled once, and every LAZ file gets a fresh
 * instance of it (Emscripten's `instantiateWasm` hook; instantiating a compiled module takes
 * milliseconds). A corrupt file that faults the wasm then cannot break the next file, and a big
 * file's heap (wasm memory only grows) is freed with its instance. The hosts differ only in where
 * the JavaScript factory and the wasm bytes come from.
 */
import type { LazPerfModule } from './laz';

/** laz-perf's Emscripten factory (the `createLazPerf` each of its builds exports). */
export type LazPerfFactory = (options: {
  instantiateWasm: (
    imports: WebAssembly.Imports,
    done: (instance: WebAssembly.Instance) => void,
  ) => object;
}) => Promise<LazPerfModule>;

export interface LazPerfParts {
  create: LazPerfFactory;
  wasm: ArrayBuffer;
}

/** A loader for `platform().lazPerf`: a fresh module per call over one compiled wasm. */
export function lazPerfLoader(parts: () => Promise<LazPerfParts>): () => Promise<LazPerfModule> {
  let compiled: Promise<{ create: LazPerfFactory; module: WebAssembly.Module }> | undefined;
  return async () => {
    compiled ??= parts().then(async ({ create, wasm }) => ({
      create,
      module: await WebAssembly.compile(wasm),
    }));
    // A failed load is not kept: the next LAZ file tries again.
    compiled.catch(() => (compiled = undefined));
    const { create, module } = await compiled;
    return create({
      instantiateWasm(imports, done) {
        // Synchronous instantiation: fine off the page's main thread (workers, Node).
        done(new WebAssembly.Instance(module, imports));
        // Emscripten's contract: an empty object means "the exports arrive through done()".
        return {};
      },
    });
  };
}
