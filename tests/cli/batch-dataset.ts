/**
 * A small generated dataset for the batch tests and bench: scene folders in three formats (scene
 * bundles of demo rooms, 7-Scenes and TUM RGB-D folders over the wall fixture) and, optionally, a
 * corrupt PLY that fails to open. Each scene extracts in about a second with the offline encoder
 * and `--detail coarse`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDemoRoom } from '../../src/demo-room/demo-room';
import { writeSceneBundle } from '../../src/pipeline/scene/bundle/bundle-writer';
import { writeFiles } from '../../src/hosts/node/write-files';
import { sevenScenesFiles, tumFiles } from '../pipeline/scene/rgbd-folders';

export const BROKEN_SCENE = 'broken.ply';

function writeFolder(dir: string, files: Record<string, Uint8Array>) {
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), bytes);
  }
}

/** Writes the dataset under `root`; returns the scene entry names in sorted (shard) order. */
export async function writeBatchDataset(
  root: string,
  options: {
    broken?: boolean;
    rooms?: number;
    rgbd?: number;
    /** Demo-room views and image width (default 2 views of 64×48). */
    roomViews?: number;
    roomWidth?: number;
  } = {},
): Promise<string[]> {
  const names: string[] = [];
  const rooms = options.rooms ?? 3;
  const rgbd = options.rgbd ?? 3;
  for (let i = 0; i < rooms; i++) {
    const name = `room-${String.fromCharCode(97 + i)}`;
    const room = generateDemoRoom({
      layout: i % 2 === 0 ? 'demo' : 'cluttered',
      seed: i + 1,
      views: options.roomViews ?? 2,
      width: options.roomWidth ?? 64,
      height: ((options.roomWidth ?? 64) * 3) / 4,
      objectPointSpacing: 0.06,
      shellPointSpacing: 0.12,
    });
    await writeFiles(path.join(root, name), await writeSceneBundle(room));
    names.push(name);
  }
  for (let i = 0; i < rgbd; i++) {
    // Alternate 7-Scenes and TUM RGB-D folders.
    const tum = i % 2 === 1;
    const name = `${tum ? 'tum' : 'seven'}-${String.fromCharCode(97 + i)}`;
    writeFolder(
      path.join(root, name),
      tum ? tumFiles('').files : sevenScenesFiles(true, `seq-0${i + 1}/`).files,
    );
    names.push(name);
  }
  if (options.broken ?? true) {
    // The header promises 5 vertices; the body holds 2 lines.
    writeFileSync(
      path.join(root, BROKEN_SCENE),
      'ply\nformat ascii 1.0\nelement vertex 5\nproperty float x\nend_header\n1\n2\n',
    );
    names.push(BROKEN_SCENE);
  }
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
