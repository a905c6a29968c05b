import {
  MODEL_CACHE_NAME,
  type CachedModelFile,
  type ModelFileCache,
} from '../../pipeline/clip/model-source/model-file-cache';

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
