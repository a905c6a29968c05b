/**
 * A read-only view of a scene folder (or single file) that works the same in Node (fs), in the
 * browser (a dropped folder / FileList) and in tests (in-memory). Readers only ever see this,
 * so every reader runs everywhere. Paths are '/'-separated and relative to the source root.
 */
export interface FileSource {
  /** Human-readable name for messages (folder or file name). */
  readonly name: string;
  /** All file paths in the source (relative, '/'-separated), recursively. */
  list(): Promise<string[]>;
  /** Size in bytes; throws MissingFileError if absent. */
  size(path: string): Promise<number>;
  /** The whole file; throws MissingFileError if absent. */
  read(path: string): Promise<Uint8Array>;
  /** `length` bytes from `offset` (fewer at the end of file); for large files (.sens). */
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;
  /** True if the path exists. */
  exists(path: string): Promise<boolean>;
}

export async function readText(source: FileSource, path: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await source.read(path));
}

/** The directory part of a path ('' for top level). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('/');
}
