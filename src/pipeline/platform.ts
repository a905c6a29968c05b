/**
 * What the host platform offers the pure pipeline, in one place (like transformers.js's `env`).
 * The pipeline never probes for browser or Node APIs itself: a host (src/hosts/browser or
 * src/hosts/node) installs its capabilities once at start-up with `installPlatform`. The defaults
 * are what runs everywhere: pure-JS decoders, one wasm thread, the wasm execution provider,
 * onnxruntime-web.
 */
import type * as OrtWeb from 'onnxruntime-web';
import type { RgbImage } from './scene/types';
import type { ModelFileCache } from './clip/model-source/model-file-cache';
import type { LazPerfModule } from './scene/readers/laz';

/**
 * The part of the onnxruntime API the pipeline uses. onnxruntime-web and onnxruntime-node both
 * re-export onnxruntime-common, so either module fits.
 */
export type OrtModule = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor' | 'env'>;

/** An onnxruntime a host supplies (the Node host: onnxruntime-node, the native CPU runtime). */
export interface OrtHostRuntime {
  /** 'native' runs sessions in-process on the CPU EP with intra-op threads; 'wasm' is ort-web. */
  name: 'native' | 'wasm';
  module: OrtModule;
  /** Why this is not the runtime the host was asked for (e.g. onnxruntime-node did not load). */
  diagnostic?: string;
}

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
  /**
   * Cores other processes are not using right now (Node: measured once, when the first session
   * asks), for the default thread count: an onnxruntime thread that shares its core with another
   * busy process stalls every parallel op, so 2 threads on 2 cores with one busy are slower
   * than 1 (README "Models and speed"). Absent or undefined: all of them.
   */
  freeCores?: () => number | undefined;
  /** onnxruntime execution providers to try, best first (e.g. ['webgpu', 'wasm']). */
  executionProviders(): Promise<string[]>;
  /** Where downloaded model files are kept (Cache Storage, a directory), if anywhere. */
  modelCache?: ModelFileCache;
  /** Milliseconds from an arbitrary origin, for timings. */
  now(): number;
  /**
   * The onnxruntime to create sessions and tensors with, resolved on first use (loading a native
   * module costs time that commands without a model should not pay); absent = onnxruntime-web.
   */
  ort?: () => OrtHostRuntime;
  /**
   * laz-perf's wasm module (the LAZ decoder), loaded on first use from wherever the host keeps
   * its .wasm; absent = LAZ files are refused with advice to decompress them.
   */
  lazPerf?: () => Promise<LazPerfModule>;
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
