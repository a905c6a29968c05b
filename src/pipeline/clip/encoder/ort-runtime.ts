/**
 * onnxruntime-web set-up, done once per realm (worker, Node process): the wasm thread count is
 * read when the first session is created and cannot change afterwards, so every session goes
 * through `ensureOrtConfigured` first. Threads and execution providers come from the host
 * (src/pipeline/platform.ts): WebGPU when the browser has an adapter, else wasm.
 */
import * as ort from 'onnxruntime-web';
import { CLIP_MODEL_DEFAULTS } from '../../defaults';
import { platform } from '../../platform';

export interface OrtRuntimeOptions {
  /** wasm threads; default: up to 4 where the host allows threads (platform().maxThreads), else 1. */
  numThreads?: number;
  /** Where the ort-wasm-*.wasm/.mjs files are served from (only if the bundler cannot resolve them). */
  wasmPaths?: string;
}

export interface OrtRuntimeSettings {
  numThreads: number;
  /** True when a later call asked for other settings than the ones in force. */
  ignoredRequest: boolean;
}

let settings: { numThreads: number } | undefined;

/** The host's thread budget (src/pipeline/platform.ts): 1 without SharedArrayBuffer. */
export function defaultThreadCount(): number {
  const host = platform();
  return Math.max(
    1,
    Math.min(CLIP_MODEL_DEFAULTS.maxWasmThreads, host.maxThreads, host.hardwareConcurrency),
  );
}

/** Configures ort.env once; later calls return the settings in force. */
export function ensureOrtConfigured(options: OrtRuntimeOptions = {}): OrtRuntimeSettings {
  if (settings) {
    const ignoredRequest =
      options.numThreads !== undefined && options.numThreads !== settings.numThreads;
    return { numThreads: settings.numThreads, ignoredRequest };
  }
  const requested = options.numThreads ?? defaultThreadCount();
  const numThreads = Math.max(1, Math.min(platform().maxThreads, Math.floor(requested)));
  ort.env.wasm.numThreads = numThreads;
  // Sessions run in the calling realm (our own worker); ort's proxy worker would add another hop.
  ort.env.wasm.proxy = false;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  ort.env.logLevel = 'error';
  settings = { numThreads };
  return { numThreads, ignoredRequest: false };
}

/** The host's execution providers, best first (['webgpu', 'wasm'] with a WebGPU adapter). */
export function preferredExecutionProviders(): Promise<string[]> {
  return platform().executionProviders();
}
