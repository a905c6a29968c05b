// Node-only (CLI, scene generator, tests): stores writeSceneBundle's files under a folder.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';

/** Writes each relative path → bytes under `dir`, creating sub-folders (frames/, objects/). */
export async function writeBundleFiles(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  const root = nodePath.resolve(dir);
  for (const [rel, bytes] of files) {
    const abs = nodePath.resolve(root, ...rel.split('/'));
    if (!abs.startsWith(root + nodePath.sep))
      throw new Error(`bundle path escapes the folder: ${rel}`);
    await fs.mkdir(nodePath.dirname(abs), { recursive: true });
    await fs.writeFile(abs, bytes);
  }
}
