/**
 * Extracted feature bundles kept in IndexedDB under the pipeline's cache key (scene fingerprint,
 * model id, options), so a reload restores them without recomputing and any changed option misses.
 * Only the most recent few bundles are kept; bundles above a size limit are not kept at all.
 */
import type { FeatureCache } from '../../pipeline/session/feature-cache';

const DB_NAME = 'scene3d-llm-features';
const STORE = 'bundles';

interface Entry {
  key: string;
  savedAt: number;
  files: Record<string, Uint8Array>;
}

export interface IndexedDbFeatureCacheOptions {
  /** Bundles kept (most recent first). */
  keep?: number;
  /** Bundles larger than this are not cached (quota and write time). */
  maxBytes?: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export class IndexedDbFeatureCache implements FeatureCache {
  private readonly keep: number;
  private readonly maxBytes: number;

  constructor(options: IndexedDbFeatureCacheOptions = {}) {
    this.keep = options.keep ?? 3;
    this.maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  }

  /** Runs `work` on an open database (undefined where IndexedDB is missing, e.g. some private modes). */
  private async withDb<T>(fallback: T, work: (db: IDBDatabase) => Promise<T>): Promise<T> {
    if (typeof indexedDB === 'undefined') return fallback;
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    const db = await request(req);
    try {
      return await work(db);
    } finally {
      db.close();
    }
  }

  load(key: string): Promise<Map<string, Uint8Array> | undefined> {
    return this.withDb(undefined, async (db) => {
      const entry = (await request(db.transaction(STORE).objectStore(STORE).get(key))) as
        Entry | undefined;
      return entry ? new Map(Object.entries(entry.files)) : undefined;
    });
  }

  async save(key: string, files: Map<string, Uint8Array>): Promise<boolean> {
    let total = 0;
    for (const bytes of files.values()) total += bytes.byteLength;
    if (total > this.maxBytes) return false;
    return this.withDb(false, async (db) => {
      const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
      const entry: Entry = { key, savedAt: Date.now(), files: Object.fromEntries(files) };
      await request(store.put(entry));
      const all = (await request(db.transaction(STORE).objectStore(STORE).getAll())) as Entry[];
      const stale = all.sort((a, b) => b.savedAt - a.savedAt).slice(this.keep);
      if (stale.length > 0) {
        const tx = db.transaction(STORE, 'readwrite').objectStore(STORE);
        await Promise.all(stale.map((e) => request(tx.delete(e.key))));
      }
      return true;
    });
  }

  delete(key: string): Promise<void> {
    return this.withDb(undefined, async (db) => {
      await request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(key));
    });
  }

  clear(): Promise<number> {
    return this.withDb(0, async (db) => {
      const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
      const n = await request(store.count());
      await request(store.clear());
      return n;
    });
  }
}
