/**
 * onnxruntime-web set-up, done once per realm (worker, Node process): the wasm thread count is
 * read when the first session is created and cannot change afterwards, so every session goes
 * through `ensureOrtConfigured` first. Execution provider: WebGPU when the browser has an adapter,
 * else wasm.
 */
import * as ort from 'onnxruntime-web';
import { CLIP_MODEL_DEFAULTS } from '../../defaults';

export interface OrtRuntimeOptions {
  /** wasm threads; default: up to 4 when cross-origin isolated (browser) or in Node, else 1. */
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

function hardwareThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 2;
}

function isBrowserLike(): boolean {
  return (
    typeof (globalThis as { window?: unknown; importScripts?: unknown }).window !== 'undefined' ||
    typeof (globalThis as { importScripts?: unknown }).importScripts !== 'undefined' ||
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined'
  );
}

/** Threads are only possible with SharedArrayBuffer: cross-origin isolation in a browser. */
export function threadsAvailable(): boolean {
  if (!isBrowserLike()) return typeof SharedArrayBuffer !== 'undefined';
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

export function defaultThreadCount(): number {
  return threadsAvailable()
    ? Math.max(1, Math.min(CLIP_MODEL_DEFAULTS.maxWasmThreads, hardwareThreads()))
    : 1;
}

/** Configures ort.env once; later calls return the settings in force. */
export function ensureOrtConfigured(options: OrtRuntimeOptions = {}): OrtRuntimeSettings {
  if (settings) {
    const ignoredRequest =
      options.numThreads !== undefined && options.numThreads !== settings.numThreads;
    return { numThreads: settings.numThreads, ignoredRequest };
  }
  const requested = options.numThreads ?? defaultThreadCount();
  const numThreads = threadsAvailable() ? Math.max(1, Math.floor(requested)) : 1;
  ort.env.wasm.numThreads = numThreads;
  // Sessions run in the calling realm (our own worker); ort's proxy worker would add another hop.
  ort.env.wasm.proxy = false;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  ort.env.logLevel = 'error';
  settings = { numThreads };
  return { numThreads, ignoredRequest: false };
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** ['webgpu', 'wasm'] when a WebGPU adapter exists (ort falls back per node), else ['wasm']. */
export async function preferredExecutionProviders(): Promise<string[]> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu || !isBrowserLike()) return ['wasm'];
  try {
    return (await gpu.requestAdapter()) ? ['webgpu', 'wasm'] : ['wasm'];
  } catch {
    return ['wasm'];
  }
}
