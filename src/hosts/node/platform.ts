/**
 * Node's capabilities for the pipeline (CLI, tests, benches): wasm threads up to the machine's
 * cores (Node always has SharedArrayBuffer), the wasm execution provider, pure-JS image decoders
 * and a directory cache for downloaded models.
 */
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { installPlatform, type Platform } from '../../pipeline/platform';
import { NodeDirectoryModelCache } from './directory-model-cache';

export const DEFAULT_NODE_MODEL_CACHE_DIR = nodePath.join(
  os.homedir(),
  '.cache',
  'scene3d-llm',
  'models',
);

export function nodePlatform(options: { modelCacheDir?: string } = {}): Partial<Platform> {
  const cores = os.availableParallelism();
  return {
    name: 'node',
    maxThreads: cores,
    hardwareConcurrency: cores,
    executionProviders: async () => ['wasm'],
    modelCache: new NodeDirectoryModelCache(options.modelCacheDir ?? DEFAULT_NODE_MODEL_CACHE_DIR),
    now: () => performance.now(),
  };
}

/** Installs Node's capabilities; call once at process start (CLI entry, test setup, bench). */
export function installNodePlatform(options: { modelCacheDir?: string } = {}): Platform {
  return installPlatform(nodePlatform(options));
}
