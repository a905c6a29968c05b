/**
 * The browser's capabilities for the pipeline, probed once in the realm that runs it (the
 * pipeline worker): wasm threads only when cross-origin isolated (SharedArrayBuffer), WebGPU
 * when an adapter exists, the platform image decoder, Cache Storage for model files.
 */
import { installPlatform, type Platform } from '../../pipeline/platform';
import { CacheStorageModelCache } from './cache-storage-model-cache';
import { browserImageDecoderAvailable, decodeWithBrowser } from './image-decoder';
import { browserLazPerf } from './laz-perf';

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

export function crossOriginIsolatedRealm(): boolean {
  return self.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
}

async function webGpuProviders(): Promise<string[]> {
  const gpu = (navigator as { gpu?: GpuLike }).gpu;
  if (!gpu) return ['wasm'];
  try {
    return (await gpu.requestAdapter()) ? ['webgpu', 'wasm'] : ['wasm'];
  } catch {
    return ['wasm'];
  }
}

export interface BrowserPlatformOptions {
  /** Where the bundler put laz-perf's .wasm (the worker imports it with `?url`); none = no LAZ. */
  lazPerfWasmUrl?: string;
}

export function browserPlatform(options: BrowserPlatformOptions = {}): Partial<Platform> {
  const cores = navigator.hardwareConcurrency ?? 1;
  return {
    name: 'browser',
    maxThreads: crossOriginIsolatedRealm() ? cores : 1,
    hardwareConcurrency: cores,
    executionProviders: webGpuProviders,
    decodeImage: browserImageDecoderAvailable() ? decodeWithBrowser : undefined,
    modelCache: typeof caches !== 'undefined' ? new CacheStorageModelCache(caches) : undefined,
    now: () => performance.now(),
    lazPerf: options.lazPerfWasmUrl ? browserLazPerf(options.lazPerfWasmUrl) : undefined,
  };
}

export function installBrowserPlatform(options: BrowserPlatformOptions = {}): Platform {
  return installPlatform(browserPlatform(options));
}
