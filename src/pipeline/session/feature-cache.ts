/**
 * Where a host keeps extracted feature bundles under their cache key (scene fingerprint, model
 * id, options; see features/cache-key.ts): IndexedDB in the browser (src/hosts/browser), memory in
 * tests. A bundle that cannot be read back is dropped by the session and recomputed.
 */
export interface FeatureCache {
  /** The entry's files; throws (or rejects) when the entry is there but unreadable. */
  load(key: string): Promise<Map<string, Uint8Array> | undefined>;
  /** Returns false when the bundle was not kept (too big, quota); never throws for that. */
  save(key: string, files: Map<string, Uint8Array>): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Removes every bundle, or those whose key starts with `prefix`; returns how many. */
  clear(prefix?: string): Promise<number>;
}

export class MemoryFeatureCache implements FeatureCache {
  readonly entries = new Map<string, Map<string, Uint8Array>>();
  async load(key: string) {
    return this.entries.get(key);
  }
  async save(key: string, files: Map<string, Uint8Array>) {
    this.entries.set(key, new Map(files));
    return true;
  }
  async delete(key: string) {
    this.entries.delete(key);
  }
  async clear(prefix = '') {
    let n = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) n += this.entries.delete(key) ? 1 : 0;
    }
    return n;
  }
}
