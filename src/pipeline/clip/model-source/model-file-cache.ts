/**
 * Keeps downloaded model files so the next start works offline. Browser and worker: Cache
 * Storage (`caches`); Node: a directory (node-directory-model-cache.ts); tests: memory.
 */

import { CLIP_MODEL_DEFAULTS } from '../../defaults';

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

/** Cache Storage, available in windows and workers (secure contexts). */
export class CacheStorageModelCache implements ModelFileCache {
  constructor(
    private readonly storage: CacheStorage,
    private readonly cacheName: string = MODEL_CACHE_NAME,
  ) {}

  private open() {
    return this.storage.open(this.cacheName);
  }

  async get(url: string) {
    const response = await (await this.open()).match(url);
    if (!response) return undefined;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const declared = Number(response.headers.get('content-length'));
    // A partial entry (quota hit mid-write) is treated as absent.
    return Number.isFinite(declared) && declared !== bytes.byteLength ? undefined : bytes;
  }

  async put(url: string, bytes: Uint8Array) {
    const body = new Uint8Array(bytes.byteLength);
    body.set(bytes);
    const response = new Response(body, {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.byteLength),
      },
    });
    await (await this.open()).put(url, response);
  }

  async list() {
    const cache = await this.open();
    const out: CachedModelFile[] = [];
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push({ url: request.url, bytes: Number(response?.headers.get('content-length') ?? 0) });
    }
    return out.sort((a, b) => a.url.localeCompare(b.url));
  }

  async clear(urlPrefix = '') {
    const cache = await this.open();
    const keys = (await cache.keys()).filter((r) => r.url.startsWith(urlPrefix));
    for (const request of keys) await cache.delete(request);
    return keys.length;
  }
}

/** Cache Storage when this realm has it (browser window or worker), else undefined. */
export function defaultModelCache(): ModelFileCache | undefined {
  const storage = (globalThis as { caches?: CacheStorage }).caches;
  return storage ? new CacheStorageModelCache(storage) : undefined;
}
