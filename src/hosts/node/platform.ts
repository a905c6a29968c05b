/**
 * Node's capabilities for the pipeline (CLI, tests, benches): threads up to the machine's cores
 * (Node always has SharedArrayBuffer), the native onnxruntime (onnxruntime-node, 3–7× the wasm
 * runtime's images/s on the CPU) where it loads, else onnxruntime-web's wasm, pure-JS image
 * decoders and a directory cache for downloaded models.
 */
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import * as ortWeb from 'onnxruntime-web';
import {
  installPlatform,
  type OrtHostRuntime,
  type OrtModule,
  type Platform,
} from '../../pipeline/platform';
import { NodeDirectoryModelCache } from './directory-model-cache';
import { loadNodeLazPerf } from './laz-perf';

export const DEFAULT_NODE_MODEL_CACHE_DIR = nodePath.join(
  os.homedir(),
  '.cache',
  'scene3d-llm',
  'models',
);

/** Which onnxruntime runs sessions: 'native' (onnxruntime-node) or 'wasm' (onnxruntime-web). */
export type NodeOrtRuntimeName = 'native' | 'wasm';

/** Environment variable that picks the runtime when no option does (CLI --runtime wins). */
export const ORT_RUNTIME_ENV = 'SCENE3D_ORT_RUNTIME';

export function parseOrtRuntimeName(text: string): NodeOrtRuntimeName | undefined {
  return text === 'native' || text === 'wasm' ? text : undefined;
}

export type NativeOrtLoad = { module: OrtModule } | { error: string };

let nativeLoad: NativeOrtLoad | undefined;

/**
 * onnxruntime-node, loaded once per process. It is an optional dependency (its binaries are
 * per-platform and npm skips it where none fit), so a failure here is expected on some
 * machines and only means the wasm runtime.
 */
export function loadNativeOrt(): NativeOrtLoad {
  if (!nativeLoad) {
    try {
      // createRequire keeps this synchronous (the platform is installed synchronously) and out
      // of any bundle: bundlers do not follow a require made at run time.
      const require = createRequire(import.meta.url);
      nativeLoad = { module: require('onnxruntime-node') as OrtModule };
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      nativeLoad = { error: `onnxruntime-node did not load (${reason})` };
    }
  }
  return nativeLoad;
}

/**
 * The runtime for a request: the native one where it loads, else wasm with a diagnostic that
 * says why. Resolved when the first session needs it, not at start-up.
 */
export function resolveNodeOrtRuntime(
  requested?: string,
  load: () => NativeOrtLoad = loadNativeOrt,
): OrtHostRuntime {
  const fromEnv = process.env[ORT_RUNTIME_ENV];
  const text = requested ?? (fromEnv === '' ? undefined : fromEnv);
  const name = text === undefined ? 'native' : parseOrtRuntimeName(text);
  if (name === 'wasm') return { name: 'wasm', module: ortWeb };
  const badEnv =
    name === undefined
      ? `${requested !== undefined ? '--runtime' : ORT_RUNTIME_ENV} '${text}' is not native or wasm; `
      : '';
  const native = load();
  if ('module' in native) {
    return badEnv
      ? { name: 'native', module: native.module, diagnostic: `${badEnv}using native` }
      : { name: 'native', module: native.module };
  }
  return { name: 'wasm', module: ortWeb, diagnostic: `${badEnv}${native.error}; using wasm` };
}

/** Shortest window for telling other processes' CPU use from ours, ms. */
const FREE_CORE_WINDOW_MS = 100;

function busyCpuMs(): number {
  let busy = 0;
  for (const { times } of os.cpus()) busy += times.user + times.nice + times.sys + times.irq;
  return busy;
}

/**
 * Cores other processes leave free, from the machine's CPU time since `start` minus this
 * process's own (so our start-up work does not count as load). Measured over at least 100 ms,
 * blocking for the rest of that once, when the first session wants a default thread count.
 * undefined where os.cpus() does not describe the cores we can run on (a cpuset container).
 */
function freeCoreMeter(): () => number | undefined {
  const cores = os.availableParallelism();
  const start = { t: performance.now(), busy: busyCpuMs(), own: process.cpuUsage() };
  let free: number | undefined;
  let measured = false;
  return () => {
    if (measured) return free;
    measured = true;
    if (os.cpus().length !== cores) return undefined;
    const wait = FREE_CORE_WINDOW_MS - (performance.now() - start.t);
    if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    const elapsed = performance.now() - start.t;
    const own = process.cpuUsage(start.own);
    const others = busyCpuMs() - start.busy - (own.user + own.system) / 1000;
    free = Math.min(cores, Math.max(0, cores - Math.max(0, others) / elapsed));
    return free;
  };
}

export interface NodePlatformOptions {
  modelCacheDir?: string;
  /** 'native' | 'wasm'; default: $SCENE3D_ORT_RUNTIME, else native where it loads. */
  runtime?: string;
}

export function nodePlatform(options: NodePlatformOptions = {}): Partial<Platform> {
  const cores = os.availableParallelism();
  let runtime: OrtHostRuntime | undefined;
  return {
    name: 'node',
    maxThreads: cores,
    hardwareConcurrency: cores,
    freeCores: freeCoreMeter(),
    executionProviders: async () => ['wasm'],
    modelCache: new NodeDirectoryModelCache(options.modelCacheDir ?? DEFAULT_NODE_MODEL_CACHE_DIR),
    now: () => performance.now(),
    ort: () => (runtime ??= resolveNodeOrtRuntime(options.runtime)),
    lazPerf: loadNodeLazPerf,
  };
}

/** Installs Node's capabilities; call once at process start (CLI entry, test setup, bench). */
export function installNodePlatform(options: NodePlatformOptions = {}): Platform {
  return installPlatform(nodePlatform(options));
}
