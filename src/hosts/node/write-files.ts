// Node-only (CLI, scene generator, tests): stores a path → bytes map (scene bundles, feature
// bundles, 3D-LLM exports) as one output folder that appears whole or not at all.
import { randomBytes } from 'node:crypto';
import { promises as nodeFs } from 'node:fs';
import * as nodePath from 'node:path';
import { OutputExistsError } from '../../pipeline/errors';
import { fileSystemError } from './file-system-error';

/** The file operations writing uses (tests inject failing ones: a full disk, a read-only folder). */
export interface WriteFileOps {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { recursive: true; force: true }): Promise<void>;
  lstat(path: string): Promise<{ isDirectory(): boolean }>;
  readdir(path: string): Promise<string[]>;
}

export interface WriteFilesOptions {
  /** Replace an existing, non-empty output (never an input, nor a folder holding one). */
  force?: boolean;
  /** The paths the command reads: the output may not be one of them or hold one. */
  inputs?: readonly string[];
  fs?: WriteFileOps;
}

const token = () => randomBytes(6).toString('hex');

/** `dir` is `other` or lies inside it. */
function within(dir: string, other: string): boolean {
  return (
    dir === other || dir.startsWith(other.endsWith(nodePath.sep) ? other : other + nodePath.sep)
  );
}

async function call<T>(op: string, path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw fileSystemError(err, path, op);
  }
}

/** Refuses an output that would replace an input or a folder holding one, whatever --force says. */
function checkNotInput(root: string, inputs: readonly string[], exists: boolean): void {
  for (const input of inputs) {
    const abs = nodePath.resolve(input);
    if (within(abs, root)) {
      throw new OutputExistsError(
        root,
        root === abs
          ? 'the output is the input; choose another --out'
          : `the output holds the input ${abs}; choose another --out`,
      );
    }
    // A new folder inside the input adds files; replacing one would delete part of the input.
    if (exists && within(root, abs)) {
      throw new OutputExistsError(
        root,
        `exists inside the input ${abs} and is never replaced; choose another --out`,
      );
    }
  }
}

/**
 * The checks `writeFiles` makes before writing, for commands to call before hours of work:
 * throws OutputExistsError when `dir` may not be written (see writeFiles); returns what is there.
 */
export async function checkOutputFolder(
  dir: string,
  options: WriteFilesOptions = {},
): Promise<'absent' | 'empty' | 'full'> {
  const root = nodePath.resolve(dir);
  const existing = await existingOutput(options.fs ?? nodeFs, root);
  checkNotInput(root, options.inputs ?? [], existing === 'full' || existing === 'file');
  if (existing === 'file')
    throw new OutputExistsError(root, 'exists and is not a folder; not replaced');
  if (existing === 'full' && !options.force)
    throw new OutputExistsError(root, 'already exists; pass --force to replace it');
  return existing;
}

/**
 * Writes each relative '/'-separated path → bytes as the folder `dir`, atomically: everything is
 * written into a hidden temporary sibling (`.<name>.partial-<token>`) that is renamed to `dir`
 * only once every file is complete. A failed write (full disk, read-only folder) removes the
 * temporary folder and leaves what was at `dir` as it was. An existing non-empty `dir` is
 * replaced only with `force`, and never when it is, holds, or lies inside one of `inputs`. A path
 * that would land outside `dir` is refused before anything is written. Returns the paths written.
 */
export async function writeFiles(
  dir: string,
  files: Map<string, Uint8Array>,
  options: WriteFilesOptions = {},
): Promise<string[]> {
  const fs = options.fs ?? nodeFs;
  const root = nodePath.resolve(dir);
  const targets = [...files.keys()].map((rel) => {
    const abs = nodePath.resolve(root, ...rel.split('/'));
    if (!abs.startsWith(root + nodePath.sep)) throw new Error(`path escapes the folder: ${rel}`);
    return { rel, abs: nodePath.relative(root, abs) };
  });
  const existing = await checkOutputFolder(dir, options);

  const parent = nodePath.dirname(root);
  const base = nodePath.basename(root);
  await call('create the folder', parent, () => fs.mkdir(parent, { recursive: true }));
  const temp = nodePath.join(parent, `.${base}.partial-${token()}`);
  try {
    await call('create the folder', temp, () => fs.mkdir(temp, { recursive: true }));
    for (const { rel, abs } of targets) {
      const path = nodePath.join(temp, abs);
      await call('create the folder', path, () =>
        fs.mkdir(nodePath.dirname(path), { recursive: true }),
      );
      await call('write', nodePath.join(root, abs), () => fs.writeFile(path, files.get(rel)!));
    }
    await commit(fs, temp, root, existing !== 'absent');
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  return targets.map((t) => t.rel);
}

/** Moves the finished temporary folder to `root`; the old output is moved aside, then deleted. */
async function commit(fs: WriteFileOps, temp: string, root: string, replace: boolean) {
  if (!replace) {
    await call('rename into place', root, () => fs.rename(temp, root));
    return;
  }
  const old = nodePath.join(nodePath.dirname(root), `.${nodePath.basename(root)}.old-${token()}`);
  await call('move the old output aside', root, () => fs.rename(root, old));
  try {
    await call('rename into place', root, () => fs.rename(temp, root));
  } catch (err) {
    await fs.rename(old, root).catch(() => undefined);
    throw err;
  }
  await fs.rm(old, { recursive: true, force: true }).catch(() => undefined);
}

/** What is at the output path now: nothing, an empty folder (nothing to lose), a full one, a file. */
async function existingOutput(
  fs: WriteFileOps,
  root: string,
): Promise<'absent' | 'empty' | 'full' | 'file'> {
  let stat;
  try {
    stat = await fs.lstat(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw fileSystemError(err, root, 'inspect');
  }
  if (!stat.isDirectory()) return 'file';
  const entries = await call('list', root, () => fs.readdir(root));
  return entries.length === 0 ? 'empty' : 'full';
}

/**
 * Writes files into a folder the caller already owns and makes atomic itself (batch's per-scene
 * temporary folder): in place, no existence checks; file-system failures are FileSystemErrors.
 */
export async function writeFilesInto(
  dir: string,
  files: Map<string, Uint8Array>,
): Promise<string[]> {
  const root = nodePath.resolve(dir);
  const written: string[] = [];
  for (const [rel, bytes] of files) {
    const abs = nodePath.resolve(root, ...rel.split('/'));
    if (!abs.startsWith(root + nodePath.sep)) throw new Error(`path escapes the folder: ${rel}`);
    await call('create the folder', abs, () =>
      nodeFs.mkdir(nodePath.dirname(abs), { recursive: true }),
    );
    await call('write', abs, () => nodeFs.writeFile(abs, bytes));
    written.push(rel);
  }
  return written;
}
