import { describe, expect, it } from 'vitest';
import { CacheStorageModelCache } from '../../../src/hosts/browser/cache-storage-model-cache';

/**
 * A Map-backed stand-in for the browser's CacheStorage (same method shapes, real Request and
 * Response objects from Node's fetch implementation), to test our use of the API.
 */
class FakeCache {
  readonly entries = new Map<string, Response>();
  async match(request: RequestInfo) {
    const url = typeof request === 'string' ? request : request.url;
    return this.entries.get(url)?.clone();
  }
  async put(request: RequestInfo, response: Response) {
    const url = typeof request === 'string' ? request : request.url;
    this.entries.set(url, response.clone());
  }
  async keys() {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
  async delete(request: RequestInfo) {
    return this.entries.delete(typeof request === 'string' ? request : request.url);
  }
}

class FakeCacheStorage {
  readonly caches = new Map<string, FakeCache>();
  async open(name: string) {
    if (!this.caches.has(name)) this.caches.set(name, new FakeCache());
    return this.caches.get(name)!;
  }
}

describe('CacheStorageModelCache', () => {
  const a = 'https://hub.example/org/m/resolve/main/onnx/vision_model_quantized.onnx';
  const b = 'https://hub.example/org/m/resolve/main/tokenizer.json';
  const c = 'https://hub.example/other/m/resolve/main/config.json';

  it('stores, lists with sizes, reads back and clears by prefix', async () => {
    const storage = new FakeCacheStorage();
    const cache = new CacheStorageModelCache(storage as unknown as CacheStorage, 'test-cache');
    await cache.put(a, new Uint8Array([1, 2, 3]));
    await cache.put(b, new Uint8Array(1000).fill(7));
    await cache.put(c, new Uint8Array([9]));
    expect(await cache.get(a)).toEqual(new Uint8Array([1, 2, 3]));
    expect(await cache.get('https://hub.example/absent')).toBeUndefined();
    expect(await cache.list()).toEqual(
      [
        { url: a, bytes: 3 },
        { url: c, bytes: 1 },
        { url: b, bytes: 1000 },
      ].sort((x, y) => x.url.localeCompare(y.url)),
    );
    expect(await cache.clear('https://hub.example/org/')).toBe(2);
    expect((await cache.list()).map((e) => e.url)).toEqual([c]);
    expect(await cache.clear()).toBe(1);
    expect(await cache.list()).toEqual([]);
  });

  it('treats an entry whose body is shorter than its declared length as absent', async () => {
    const storage = new FakeCacheStorage();
    const cache = new CacheStorageModelCache(storage as unknown as CacheStorage, 'test-cache');
    const inner = await storage.open('test-cache');
    await inner.put(a, new Response(new Uint8Array(10), { headers: { 'content-length': '20' } }));
    expect(await cache.get(a)).toBeUndefined();
  });
});
