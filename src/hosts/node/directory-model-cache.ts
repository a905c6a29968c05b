// Node-only ModelFileCache (CLI, tests, benches): one file per URL in a directory, written
// atomically (temp file + rename) so an interrupted write never looks like a cached file.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import type {
  CachedModelFile,
  ModelFileCache,
} from '../../pipeline/clip/model-source/model-file-cache';

const SUFFIX = '.bin';

export class NodeDirectoryModelCache implements ModelFileCache {
  constructor(readonly directory: string) {}

  private fileFor(url: string): string {
    return nodePath.join(this.directory, encodeURIComponent(url) + SUFFIX);
  }

  async get(url: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await fs.readFile(this.fileFor(url)));
    } catch {
      return undefined;
    }
  }

  async put(url: string, bytes: Uint8Array): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    const target = this.fileFor(url);
    const temp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, target);
  }

  async list(): Promise<CachedModelFile[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.directory);
    } catch {
      return [];
    }
    const out: CachedModelFile[] = [];
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      const stat = await fs.stat(nodePath.join(this.directory, name));
      out.push({ url: decodeURIComponent(name.slice(0, -SUFFIX.length)), bytes: stat.size });
    }
    return out.sort((a, b) => a.url.localeCompare(b.url));
  }

  async clear(urlPrefix = ''): Promise<number> {
    let removed = 0;
    for (const entry of await this.list()) {
      if (!entry.url.startsWith(urlPrefix)) continue;
      await fs.rm(this.fileFor(entry.url), { force: true });
      removed++;
    }
    return removed;
  }
}
