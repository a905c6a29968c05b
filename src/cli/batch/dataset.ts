/**
 * Finds a dataset's scenes, in a fixed order (the order shards are assigned in):
 * - a folder: each entry that is a scene, sorted by name (UTF-16 code units, the same on every
 *   machine and locale): a sub-folder in any format `openScene` detects (the same readers and
 *   detection as `info` and `extract`), or a lone `.ply` / `.sens` file. Hidden entries, the
 *   output folder and entries no reader claims are left out (the latter listed as skipped);
 * - a manifest: a text file with one scene path per line (folder or file; relative paths are
 *   relative to the manifest's folder), in the file's order; blank lines and lines starting with
 *   `#` are ignored. A line that is not UTF-8 text, holds control characters or repeats an
 *   earlier scene is refused with the manifest's name and line.
 * Scene ids come from the folder or file name (scene-id.ts).
 */
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { MissingFileError, ParseError, UnsupportedError } from '../../pipeline/errors';
import { READERS } from '../../pipeline/scene/open-scene';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { uniqueSceneIds } from './scene-id';

export interface DatasetScene {
  /** Output folder name under --out (safe, unique). */
  id: string;
  /** The folder or file name it came from. */
  name: string;
  /** Absolute path of the scene folder or file. */
  path: string;
}

export interface Dataset {
  /** Absolute path of the dataset folder or manifest. */
  path: string;
  kind: 'folder' | 'manifest';
  scenes: DatasetScene[];
  /** Folder entries that are not scenes, with the reason. */
  skipped: { name: string; reason: string }[];
}

const SCENE_FILE = /\.(ply|sens)$/i;

const stem = (name: string) => name.replace(SCENE_FILE, '');

function withIds(entries: { name: string; path: string }[]): DatasetScene[] {
  const ids = uniqueSceneIds(entries.map((e) => stem(e.name)));
  return entries.map((e, i) => ({ id: ids[i], name: e.name, path: e.path }));
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch {
    return nodePath.resolve(path);
  }
}

async function discoverFolder(root: string, outDir: string | undefined): Promise<Dataset> {
  const out = outDir === undefined ? undefined : await realpathOr(outDir);
  const names = (await fs.readdir(root)).filter((n) => !n.startsWith('.'));
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const scenes: { name: string; path: string }[] = [];
  const skipped: Dataset['skipped'] = [];
  for (const name of names) {
    const path = nodePath.join(root, name);
    let stat;
    try {
      stat = await fs.stat(path);
    } catch {
      skipped.push({ name, reason: 'unreadable (a broken link?)' });
      continue;
    }
    if (out !== undefined && (await realpathOr(path)) === out) continue;
    if (stat.isFile()) {
      if (SCENE_FILE.test(name)) scenes.push({ name, path });
      else skipped.push({ name, reason: 'a file that is not a .ply or .sens scene' });
    } else if (stat.isDirectory()) {
      const files = await (await NodeFileSource.open(path)).list();
      if (READERS.some((r) => r.detect(files))) scenes.push({ name, path });
      else skipped.push({ name, reason: `no supported scene format among ${files.length} files` });
    }
  }
  return { path: root, kind: 'folder', scenes: withIds(scenes), skipped };
}

/** Parses a manifest's bytes (exported for tests); `file` names it in errors. */
export function parseManifest(bytes: Uint8Array, file: string): { line: number; path: string }[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const entries: { line: number; path: string }[] = [];
  const seen = new Map<string, number>();
  const base = nodePath.dirname(file);
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(start, end));
    } catch {
      throw new ParseError({ file, line }, 'not UTF-8 text');
    }
    start = end + 1;
    const trimmed = text.replace(/\r$/, '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(trimmed))
      throw new ParseError({ file, line }, 'control character in a scene path');
    const path = nodePath.resolve(base, trimmed);
    const earlier = seen.get(path);
    if (earlier !== undefined)
      throw new ParseError({ file, line }, `repeats the scene of line ${earlier} (${trimmed})`);
    seen.set(path, line);
    entries.push({ line, path });
  }
  return entries;
}

/** The dataset at `path` (a folder of scenes or a manifest). `outDir` is never taken for a scene. */
export async function discoverDataset(path: string, outDir?: string): Promise<Dataset> {
  const root = nodePath.resolve(path);
  let stat;
  try {
    stat = await fs.stat(root);
  } catch {
    throw new MissingFileError(root, 'dataset not found (a folder of scenes or a manifest file)');
  }
  let dataset: Dataset;
  if (stat.isDirectory()) dataset = await discoverFolder(root, outDir);
  else {
    if (SCENE_FILE.test(root))
      throw new UnsupportedError(
        `${root}: a single scene file, not a dataset (use extract, or list it in a manifest)`,
      );
    const entries = parseManifest(new Uint8Array(await fs.readFile(root)), root);
    dataset = {
      path: root,
      kind: 'manifest',
      scenes: withIds(entries.map((e) => ({ name: nodePath.basename(e.path), path: e.path }))),
      skipped: [],
    };
  }
  if (dataset.scenes.length === 0) {
    const why = dataset.skipped.length
      ? ` (${dataset.skipped.length} entries skipped: ${dataset.skipped
          .slice(0, 3)
          .map((s) => `${s.name}: ${s.reason}`)
          .join('; ')})`
      : '';
    throw new UnsupportedError(`${root}: no scenes found${why}`);
  }
  return dataset;
}
