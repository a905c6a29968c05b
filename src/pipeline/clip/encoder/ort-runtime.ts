/**
 * The one way into onnxruntime for the pipeline: every session and tensor is made through
 * `ortModule()` / `createOrtSession`, so a host can swap the runtime (the Node CLI installs
 * onnxruntime-node, the native CPU runtime; browsers keep onnxruntime-web) without the pipeline
 * importing anything host-specific (src/pipeline/platform.ts, `Platform.ort`).
 *
 * Threads are set once per runtime and realm: onnxruntime-web reads `env.wasm.numThreads` when
 * its first session is created and cannot change it afterwards, so every session goes through
 * `ensureOrtConfigured` first; the native runtime takes the same count as each session's
 * intra-op threads, fixed the same way so that both runtimes mean the same by `--threads`.
 */
import * as ortWeb from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import { CLIP_MODEL_DEFAULTS } from '../../defaults';
import { OrtRuntimeError } from '../../errors';
import { platform, type OrtHostRuntime, type OrtModule } from '../../platform';

export type { OrtHostRuntime, OrtModule } from '../../platform';

export interface OrtRuntimeOptions {
  /** Threads; default: up to 4 where the host allows threads (platform().maxThreads), else 1. */
  numThreads?: number;
  /** Where the ort-wasm-*.wasm/.mjs files are served from (only if the bundler cannot resolve them). */
  wasmPaths?: string;
}

export interface OrtRuntimeSettings {
  numThreads: number;
  /** True when a later call asked for other settings than the ones in force. */
  ignoredRequest: boolean;
}

/** What `ortRuntimeInfo` reports (CLI --json, diagnostics): the runtime sessions run on. */
export interface OrtRuntimeInfo {
  runtime: 'native' | 'wasm';
  /** Threads in force (null before the first session of this runtime). */
  numThreads: number | null;
  /** Why this is not the runtime that was asked for, if it is not. */
  diagnostic?: string;
}

const WASM_RUNTIME: OrtHostRuntime = { name: 'wasm', module: ortWeb };

/** Settings per runtime module (the wasm and native runtimes can both be used in one process). */
const settingsByModule = new WeakMap<OrtModule, { numThreads: number }>();

/** The runtime in force: the host's (`Platform.ort`) or onnxruntime-web. */
export function ortRuntime(): OrtHostRuntime {
  return platform().ort?.() ?? WASM_RUNTIME;
}

/** The onnxruntime module to make tensors with (`new (ortModule().Tensor)(…)`). */
export function ortModule(): OrtModule {
  return ortRuntime().module;
}

export function ortRuntimeInfo(): OrtRuntimeInfo {
  const runtime = ortRuntime();
  return {
    runtime: runtime.name,
    numThreads: settingsByModule.get(runtime.module)?.numThreads ?? null,
    ...(runtime.diagnostic ? { diagnostic: runtime.diagnostic } : {}),
  };
}

/**
 * The host's thread budget (src/pipeline/platform.ts): 1 without SharedArrayBuffer, and no more
 * than the cores other processes leave free (a thread on a busy core slows every op down).
 */
export function defaultThreadCount(): number {
  const host = platform();
  const free = host.freeCores?.();
  const budget = Math.min(
    CLIP_MODEL_DEFAULTS.maxWasmThreads,
    host.maxThreads,
    host.hardwareConcurrency,
    free === undefined ? Infinity : Math.round(free),
  );
  return Math.max(1, budget);
}

/** Configures the runtime in force once; later calls return the settings in force. */
export function ensureOrtConfigured(options: OrtRuntimeOptions = {}): OrtRuntimeSettings {
  const runtime = ortRuntime();
  const settings = settingsByModule.get(runtime.module);
  if (settings) {
    const ignoredRequest =
      options.numThreads !== undefined && options.numThreads !== settings.numThreads;
    return { numThreads: settings.numThreads, ignoredRequest };
  }
  const requested = options.numThreads ?? defaultThreadCount();
  const numThreads = Math.max(1, Math.min(platform().maxThreads, Math.floor(requested)));
  if (runtime.name === 'wasm') {
    const { env } = runtime.module;
    env.wasm.numThreads = numThreads;
    // Sessions run in the calling realm (our own worker); ort's proxy worker would add another hop.
    env.wasm.proxy = false;
    if (options.wasmPaths) env.wasm.wasmPaths = options.wasmPaths;
  }
  runtime.module.env.logLevel = 'error';
  settingsByModule.set(runtime.module, { numThreads });
  return { numThreads, ignoredRequest: false };
}

/**
 * The execution providers to try, best first: the host's (['webgpu', 'wasm'] with a WebGPU
 * adapter) on onnxruntime-web, the CPU EP on the native runtime.
 */
export function preferredExecutionProviders(): Promise<string[]> {
  if (ortRuntime().name === 'native') return Promise.resolve(['cpu']);
  return platform().executionProviders();
}

/**
 * onnxruntime-node has no 'wasm' EP: a request for it (callers that mean "the CPU") runs on its
 * CPU EP, which is the same MLAS kernels compiled natively.
 */
function nativeProviders(requested: InferenceSession.SessionOptions['executionProviders']) {
  const names = (requested ?? ['cpu']).map((ep) => {
    const name = typeof ep === 'string' ? ep : ep.name;
    return name === 'wasm' ? 'cpu' : ep;
  });
  return names.filter((ep, i) => typeof ep !== 'string' || names.indexOf(ep) === i);
}

function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/**
 * Creates a session on the runtime in force (after `ensureOrtConfigured`). On the native runtime
 * the thread count goes in as intra-op threads. On both runtimes failures, at creation and in
 * every later `run`, come back as OrtRuntimeError naming the model file and the stage: the
 * runtimes' own messages ("failed to call OrtRun()") say neither which of several models failed
 * nor what it was doing.
 */
export async function createOrtSession(
  bytes: Uint8Array,
  file: string,
  options: InferenceSession.SessionOptions = {},
): Promise<InferenceSession> {
  const runtime = ortRuntime();
  const { numThreads } = ensureOrtConfigured();
  const sessionOptions: InferenceSession.SessionOptions =
    runtime.name === 'wasm'
      ? options
      : {
          ...options,
          executionProviders: nativeProviders(options.executionProviders),
          intraOpNumThreads: numThreads,
          // One graph at a time: the intra-op pool is the parallelism we budget for.
          interOpNumThreads: 1,
        };
  let session: InferenceSession;
  try {
    session = await runtime.module.InferenceSession.create(bytes, sessionOptions);
  } catch (err) {
    throw new OrtRuntimeError(file, 'create-session', runtime.name, reasonOf(err));
  }
  wrapRun(session, file, runtime.name);
  return session;
}

/** Makes `session.run` throw OrtRuntimeError (file, stage 'run', runtime) for any failure. */
export function wrapRun(
  session: InferenceSession,
  file: string,
  runtime: OrtHostRuntime['name'],
): void {
  const run = session.run.bind(session) as (...args: unknown[]) => ReturnType<typeof session.run>;
  // Wrapped in place (not a proxy object) so the session keeps its class and metadata getters.
  session.run = (async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (err) {
      if (err instanceof OrtRuntimeError) throw err;
      throw new OrtRuntimeError(file, 'run', runtime, reasonOf(err));
    }
  }) as typeof session.run;
}
