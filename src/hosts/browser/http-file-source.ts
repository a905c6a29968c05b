/**
 * A read-only FileSource over files served from our own origin (the generated demo room under
 * /scenes/). The file list is given up front (HTTP has no directory listing); each file is
 * fetched once, whole, and kept while the source lives.
 */
import { MissingFileError, ParseError } from '../../pipeline/errors';
import type { FileSource } from '../../pipeline/io/file-source';

export class HttpFileSource implements FileSource {
  private readonly fetched = new Map<string, Promise<Uint8Array>>();
  private readonly paths: Set<string>;

  constructor(
    private readonly baseUrl: string,
    paths: readonly string[],
    readonly name: string,
  ) {
    this.paths = new Set(paths);
  }

  private url(path: string): string {
    return new URL(path.split('/').map(encodeURIComponent).join('/'), this.baseUrl).href;
  }

  read(path: string): Promise<Uint8Array> {
    if (!this.paths.has(path)) return Promise.reject(new MissingFileError(`${this.name}/${path}`));
    let bytes = this.fetched.get(path);
    if (!bytes) {
      bytes = fetchBytes(this.url(path), `${this.name}/${path}`);
      this.fetched.set(path, bytes);
      // A failed fetch must not stay cached: the next read tries again.
      bytes.catch(() => this.fetched.delete(path));
    }
    return bytes;
  }

  async list() {
    return [...this.paths].sort();
  }
  async size(path: string) {
    return (await this.read(path)).byteLength;
  }
  async readRange(path: string, offset: number, length: number) {
    const bytes = await this.read(path);
    const start = Math.min(Math.max(0, offset), bytes.byteLength);
    return bytes.slice(start, Math.min(start + Math.max(0, length), bytes.byteLength));
  }
  async exists(path: string) {
    return this.paths.has(path);
  }
}

export async function fetchBytes(url: string, file: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (response.status === 404) throw new MissingFileError(file);
  if (!response.ok) throw new ParseError({ file }, `HTTP ${response.status} fetching ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}
