/**
 * `query`/`info` inputs that are OpenScene data: a ScanNet-style scene folder (the mesh
 * `<scene>_vh_clean_2.ply`) with an OpenScene feature file `<scene>_<n>.pt`, given by
 * `--features FILE.pt` or found next to the mesh. The result is a feature bundle over the mesh's
 * vertices (unseen vertices masked), so every bundle command path applies.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CliIo } from '../command';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { MissingFileError, UnsupportedError } from '../../pipeline/errors';
import { readFeatureBundle, type FeatureBundle } from '../../pipeline/features/bundle';
import {
  openSceneBundle,
  openSceneTextSpace,
  readOpenSceneFeatures,
} from '../../pipeline/features/openscene';
import { openScene } from '../../pipeline/scene/open-scene';

/** `<scene>_<n>.pt` files directly in `dir`. */
async function openSceneFilesIn(dir: string): Promise<string[]> {
  try {
    const names = await fs.readdir(dir);
    return names.filter((n) => /_\d+\.pt$/.test(n)).sort();
  } catch {
    return [];
  }
}

/** A feature bundle, or a scene folder with OpenScene features (--features or one `_<n>.pt`). */
export async function loadFeaturesForQuery(
  dir: string,
  featuresFlag: string | undefined,
  io: CliIo,
): Promise<FeatureBundle> {
  let ptFile = featuresFlag;
  if (!ptFile) {
    const hasMeta = await fs
      .stat(path.join(dir, 'meta.json'))
      .then(() => true)
      .catch(() => false);
    const found = hasMeta ? [] : await openSceneFilesIn(dir);
    if (found.length > 1) {
      throw new UnsupportedError(
        `${dir}: ${found.length} OpenScene feature files (${found.slice(0, 3).join(', ')}…): pick one with --features FILE.pt`,
      );
    }
    if (found.length === 0) return readFeatureBundle(await NodeFileSource.open(dir));
    ptFile = path.join(dir, found[0]);
  }
  const scene = await openScene(await NodeFileSource.open(dir), { onWarning: io.warn });
  if (!scene.cloud)
    throw new MissingFileError(dir, 'no mesh or point cloud to put the OpenScene features on');
  const bytes = await fs.readFile(ptFile).catch(() => {
    throw new MissingFileError(ptFile, 'OpenScene feature file not found');
  });
  const n = scene.cloud.positions.length / 3;
  const imported = readOpenSceneFeatures(new Uint8Array(bytes), ptFile, n);
  io.warn(
    `${path.basename(ptFile)}: ${imported.seen}/${n} points carry ${imported.dim}-d features from ${openSceneTextSpace(imported.dim)}`,
  );
  return openSceneBundle(scene.name, scene.cloud, imported, ptFile);
}
