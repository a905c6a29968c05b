import { MissingFileError } from '../errors';
import type { FileSource } from './file-source';

/** An in-memory FileSource: tests, generated scenes, and browser drops already read to bytes. */
export class MemoryFileSource implements FileSource {
  private readonly files: Map<string, Uint8Array>;
  constructor(
    files: Record<string, Uint8Array> | Map<string, Uint8Array>,
    readonly name = 'memory',
  ) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
  }
  async list() {
    return [...this.files.keys()].sort();
  }
  private get(path: string): Uint8Array {
    const f = this.files.get(path);
    if (!f) throw new MissingFileError(`${this.name}/${path}`);
    return f;
  }
  async size(path: string) {
    return this.get(path).byteLength;
  }
  async read(path: string) {
    return this.get(path);
  }
  async readRange(path: string, offset: number, length: number) {
    const f = this.get(path);
    return f.subarray(Math.min(offset, f.byteLength), Math.min(offset + length, f.byteLength));
  }
  async exists(path: string) {
    return this.files.has(path);
  }
}
