import { MissingFileError } from '../../pipeline/errors';
import type { FileSource } from '../../pipeline/io/file-source';

/** A file from an <input webkitdirectory> or a drop, with its path relative to the chosen root. */
export interface DroppedFile {
  path: string;
  file: File;
}

/**
 * A FileSource over browser File objects (a picked or dropped folder). Reads lazily, so a
 * multi-GB .sens file is only sliced, never loaded whole.
 */
export class BlobFileSource implements FileSource {
  private readonly files = new Map<string, Blob>();

  constructor(
    files: DroppedFile[],
    readonly name: string,
  ) {
    for (const f of files) this.files.set(f.path, f.file);
  }

  /** Strips the common top-level folder so paths are relative to the chosen folder. */
  static fromDropped(files: DroppedFile[]): BlobFileSource {
    const paths = files.map((f) => f.path.replace(/^\/+/, ''));
    const first = paths[0]?.split('/')[0] ?? '';
    const shared =
      paths.length > 0 && paths.every((p) => p.includes('/') && p.split('/')[0] === first);
    const name = shared ? first : paths.length === 1 ? paths[0] : 'dropped files';
    const rel = files.map((f, i) => ({
      path: shared ? paths[i].slice(first.length + 1) : paths[i],
      file: f.file,
    }));
    return new BlobFileSource(rel, name);
  }

  private get(path: string): Blob {
    const f = this.files.get(path);
    if (!f) throw new MissingFileError(`${this.name}/${path}`);
    return f;
  }

  async list() {
    return [...this.files.keys()].sort();
  }
  async size(path: string) {
    return this.get(path).size;
  }
  async read(path: string) {
    return new Uint8Array(await this.get(path).arrayBuffer());
  }
  async readRange(path: string, offset: number, length: number) {
    const blob = this.get(path);
    const start = Math.min(offset, blob.size);
    return new Uint8Array(
      await blob.slice(start, Math.min(start + length, blob.size)).arrayBuffer(),
    );
  }
  async exists(path: string) {
    return this.files.has(path);
  }
}
