/**
 * Extracted feature bundles kept in IndexedDB under the pipeline's cache key (scene fingerprint,
 * model id, options), so a reload restores them without recomputing and any changed option misses.
 * Only the most recent few bundles are kept.
 */
const DB_NAME = 'scene3d-llm-features';
const STORE = 'bundles';
const KEEP = 3;
/** Bundles larger than this are not cached (quota and write time). */
const MAX_BYTES = 512 * 1024 * 1024;

interface Entry {
  key: string;
  savedAt: number;
  files: Record<string, Uint8Array>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
  return request(req);
}

export async function loadCachedBundle(key: string): Promise<Map<string, Uint8Array> | undefined> {
  const db = await openDb();
  if (!db) return undefined;
  try {
    const entry = (await request(db.transaction(STORE).objectStore(STORE).get(key))) as
      Entry | undefined;
    return entry ? new Map(Object.entries(entry.files)) : undefined;
  } finally {
    db.close();
  }
}

export async function saveCachedBundle(
  key: string,
  files: Map<string, Uint8Array>,
): Promise<boolean> {
  let total = 0;
  for (const bytes of files.values()) total += bytes.byteLength;
  if (total > MAX_BYTES) return false;
  const db = await openDb();
  if (!db) return false;
  try {
    const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
    const entry: Entry = { key, savedAt: Date.now(), files: Object.fromEntries(files) };
    await request(store.put(entry));
    const all = (await request(db.transaction(STORE).objectStore(STORE).getAll())) as Entry[];
    const stale = all.sort((a, b) => b.savedAt - a.savedAt).slice(KEEP);
    if (stale.length > 0) {
      const tx = db.transaction(STORE, 'readwrite').objectStore(STORE);
      await Promise.all(stale.map((e) => request(tx.delete(e.key))));
    }
    return true;
  } finally {
    db.close();
  }
}
