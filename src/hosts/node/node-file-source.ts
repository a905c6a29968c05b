// Node-only FileSource (CLI, tests, benches). Never imported by the worker or the viewer.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { MissingFileError } from '../../pipeline/errors';
import type { FileSource } from '../../pipeline/io/file-source';
import { fileSystemError } from './file-system-error';

export class NodeFileSource implements FileSource {
  readonly name: string;
  private readonly isFile: boolean;
  private readonly root: string;

  private constructor(path: string, isFile: boolean) {
    this.isFile = isFile;
    this.root = isFile ? nodePath.dirname(path) : path;
    this.name = path;
  }

  /** Opens a folder, or a single file (then the source lists just that file). */
  static async open(path: string): Promise<NodeFileSource> {
    let stat;
    try {
      stat = await fs.stat(path);
    } catch {
      throw new MissingFileError(path);
    }
    return new NodeFileSource(path, stat.isFile());
  }

  private abs(path: string) {
    return nodePath.join(this.root, ...path.split('/'));
  }

  async list(): Promise<string[]> {
    if (this.isFile) return [nodePath.basename(this.name)];
    const out: string[] = [];
    const walk = async (dir: string, rel: string) => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (err) {
        throw fileSystemError(err, dir, 'list the folder');
      }
      for (const e of entries) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(nodePath.join(dir, e.name), r);
        else if (e.isFile()) out.push(r);
      }
    };
    await walk(this.root, '');
    return out.sort();
  }

  async size(path: string) {
    try {
      return (await fs.stat(this.abs(path))).size;
    } catch {
      throw new MissingFileError(this.abs(path));
    }
  }

  async read(path: string) {
    try {
      return new Uint8Array(await fs.readFile(this.abs(path)));
    } catch {
      throw new MissingFileError(this.abs(path));
    }
  }

  async readRange(path: string, offset: number, length: number) {
    let handle;
    try {
      handle = await fs.open(this.abs(path), 'r');
    } catch {
      throw new MissingFileError(this.abs(path));
    }
    try {
      // Never allocate more than the file can give (a garbled count must not become a huge buffer).
      const available = Math.max(0, (await handle.stat()).size - offset);
      const n = Math.max(0, Math.min(length, available));
      const buf = new Uint8Array(n);
      const { bytesRead } = n > 0 ? await handle.read(buf, 0, n, offset) : { bytesRead: 0 };
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async exists(path: string) {
    try {
      await fs.stat(this.abs(path));
      return true;
    } catch {
      return false;
    }
  }
}
