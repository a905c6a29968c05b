// Node-only (CLI, scene generator, tests): stores a path → bytes map (scene bundles, feature
// bundles, 3D-LLM exports) under a folder.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';

/**
 * Writes each relative '/'-separated path → bytes under `dir`, creating sub-folders, and returns
 * the paths written. A path that would land outside `dir` is refused.
 */
export async function writeFiles(dir: string, files: Map<string, Uint8Array>): Promise<string[]> {
  const root = nodePath.resolve(dir);
  await fs.mkdir(root, { recursive: true });
  const written: string[] = [];
  for (const [rel, bytes] of files) {
    const abs = nodePath.resolve(root, ...rel.split('/'));
    if (!abs.startsWith(root + nodePath.sep)) throw new Error(`path escapes the folder: ${rel}`);
    await fs.mkdir(nodePath.dirname(abs), { recursive: true });
    await fs.writeFile(abs, bytes);
    written.push(rel);
  }
  return written;
}
