/**
 * What the host platform offers the pure pipeline, in one place (like transformers.js's `env`).
 * The pipeline never probes for browser or Node APIs itself: a host (src/hosts/browser or
 * src/hosts/node) installs its capabilities once at start-up with `installPlatform`. The defaults
 * are what runs everywhere: pure-JS decoders, one wasm thread, the wasm execution provider.
 */
import type { RgbImage } from './scene/types';
import type { ModelFileCache } from './clip/model-source/model-file-cache';

export interface Platform {
  /** Host name for messages and diagnostics ('browser', 'node', 'memory'). */
  name: string;
  /**
   * A native image decoder (browsers: createImageBitmap + OffscreenCanvas), used for JPEG colour
   * when present; absent = jpeg-js everywhere. PNG always goes through fast-png (lossless).
   */
  decodeImage?: (bytes: Uint8Array, file: string) => Promise<RgbImage>;
  /** wasm threads this realm can run: 1 without SharedArrayBuffer (no cross-origin isolation). */
  maxThreads: number;
  /** Logical cores, for the default thread count. */
  hardwareConcurrency: number;
  /** onnxruntime execution providers to try, best first (e.g. ['webgpu', 'wasm']). */
  executionProviders(): Promise<string[]>;
  /** Where downloaded model files are kept (Cache Storage, a directory), if anywhere. */
  modelCache?: ModelFileCache;
  /** Milliseconds from an arbitrary origin, for timings. */
  now(): number;
}

/** The one place the pipeline looks for a clock itself (hosts install theirs). */
function portableNow(): number {
  const clock = (globalThis as { performance?: { now(): number } }).performance;
  return clock ? clock.now() : Date.now();
}

const PORTABLE: Platform = {
  name: 'portable',
  maxThreads: 1,
  hardwareConcurrency: 1,
  executionProviders: async () => ['wasm'],
  now: portableNow,
};

let current: Platform = PORTABLE;

/** The capabilities in force (the portable defaults until a host installs its own). */
export function platform(): Platform {
  return current;
}

/** Installs a host's capabilities (merged over the portable defaults); returns them. */
export function installPlatform(host: Partial<Platform>): Platform {
  current = { ...PORTABLE, ...host };
  return current;
}
