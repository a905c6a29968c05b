/**
 * Keeps downloaded model files so the next start works offline. Browser and worker: Cache
 * Storage (src/hosts/browser); Node: a directory (src/hosts/node); tests: memory.
 */

import { CLIP_MODEL_DEFAULTS } from '../../defaults';
import { platform } from '../../platform';

export interface CachedModelFile {
  url: string;
  bytes: number;
}

export interface ModelFileCache {
  get(url: string): Promise<Uint8Array | undefined>;
  put(url: string, bytes: Uint8Array): Promise<void>;
  list(): Promise<CachedModelFile[]>;
  /** Removes every entry (or those whose URL starts with the prefix); returns how many. */
  clear(urlPrefix?: string): Promise<number>;
}

export const MODEL_CACHE_NAME = CLIP_MODEL_DEFAULTS.cacheName;

export class MemoryModelCache implements ModelFileCache {
  readonly entries = new Map<string, Uint8Array>();
  async get(url: string) {
    return this.entries.get(url);
  }
  async put(url: string, bytes: Uint8Array) {
    this.entries.set(url, bytes.slice());
  }
  async list() {
    return [...this.entries]
      .map(([url, bytes]) => ({ url, bytes: bytes.byteLength }))
      .sort((a, b) => a.url.localeCompare(b.url));
  }
  async clear(urlPrefix = '') {
    let removed = 0;
    for (const url of [...this.entries.keys()]) {
      if (url.startsWith(urlPrefix)) {
        this.entries.delete(url);
        removed++;
      }
    }
    return removed;
  }
}

/** The host's model cache (Cache Storage in browsers, a directory in Node), if any. */
export function defaultModelCache(): ModelFileCache | undefined {
  return platform().modelCache;
}
