/**
 * Extracted feature bundles kept in IndexedDB under the pipeline's cache key (scene fingerprint,
 * model id, options), so a reload restores them without recomputing and any changed option misses.
 * Only the most recent few bundles are kept; bundles above a size limit are not kept at all.
 * An entry that is not a bundle's files (tampered, another version's shape) is refused with a
 * ParseError, and a database that does not answer (blocked by another tab) times out, so the
 * session drops the entry and recomputes instead of waiting forever.
 */
import { ParseError } from '../../pipeline/errors';
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
  /** A request that has not answered after this long fails (ms). */
  timeoutMs?: number;
}

const where = (key: string) => ({ file: `IndexedDB ${DB_NAME}/${STORE}/${key}` });

function request<T>(req: IDBRequest<T>, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`IndexedDB did not answer in ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    req.onsuccess = () => {
      clearTimeout(timer);
      resolve(req.result);
    };
    req.onerror = () => {
      clearTimeout(timer);
      reject(req.error ?? new Error('IndexedDB request failed'));
    };
  });
}

/** The files of a stored entry, or a ParseError saying what is wrong with it. */
export function entryFiles(key: string, entry: unknown): Map<string, Uint8Array> {
  const files = (entry as Partial<Entry> | null)?.files;
  if (typeof files !== 'object' || files === null) {
    throw new ParseError(where(key), 'the cached entry has no files');
  }
  const out = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(files)) {
    if (!(bytes instanceof Uint8Array)) {
      throw new ParseError(where(key), `the cached file ${name.slice(0, 80)} is not bytes`);
    }
    out.set(name, bytes);
  }
  return out;
}

export class IndexedDbFeatureCache implements FeatureCache {
  private readonly keep: number;
  private readonly maxBytes: number;

  constructor(options: IndexedDbFeatureCacheOptions = {}) {
    this.keep = options.keep ?? 3;
    this.maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  private readonly timeoutMs: number;

  private request<T>(req: IDBRequest<T>): Promise<T> {
    return request(req, this.timeoutMs);
  }

  /** Runs `work` on an open database (undefined where IndexedDB is missing, e.g. some private modes). */
  private async withDb<T>(fallback: T, work: (db: IDBDatabase) => Promise<T>): Promise<T> {
    if (typeof indexedDB === 'undefined') return fallback;
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    const db = await this.request(req);
    try {
      return await work(db);
    } finally {
      db.close();
    }
  }

  load(key: string): Promise<Map<string, Uint8Array> | undefined> {
    return this.withDb(undefined, async (db) => {
      const entry: unknown = await this.request(db.transaction(STORE).objectStore(STORE).get(key));
      return entry === undefined ? undefined : entryFiles(key, entry);
    });
  }

  async save(key: string, files: Map<string, Uint8Array>): Promise<boolean> {
    let total = 0;
    for (const bytes of files.values()) total += bytes.byteLength;
    if (total > this.maxBytes) return false;
    return this.withDb(false, async (db) => {
      const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
      const entry: Entry = { key, savedAt: Date.now(), files: Object.fromEntries(files) };
      await this.request(store.put(entry));
      const all = (await this.request(
        db.transaction(STORE).objectStore(STORE).getAll(),
      )) as Partial<Entry>[];
      // Entries of another shape sort last and go first.
      const stale = all
        .sort((a, b) => (Number(b.savedAt) || 0) - (Number(a.savedAt) || 0))
        .slice(this.keep);
      if (stale.length > 0) {
        const tx = db.transaction(STORE, 'readwrite').objectStore(STORE);
        await Promise.all(stale.map((e) => this.request(tx.delete(String(e.key)))));
      }
      return true;
    });
  }

  delete(key: string): Promise<void> {
    return this.withDb(undefined, async (db) => {
      await this.request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(key));
    });
  }

  clear(prefix = ''): Promise<number> {
    return this.withDb(0, async (db) => {
      const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
      if (!prefix) {
        const n = await this.request(store.count());
        await this.request(store.clear());
        return n;
      }
      // Keys are strings; every key starting with the prefix lies in [prefix, prefix + U+FFFF].
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      const n = await this.request(store.count(range));
      await this.request(store.delete(range));
      return n;
    });
  }
}
