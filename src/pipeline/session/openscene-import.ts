/**
 * A scene folder that holds OpenScene fused features next to its mesh (`<scene>_<n>.pt`) opens
 * with those features as its extraction, so the viewer can query them without extracting.
 */
import { readOpenSceneFeatures, openSceneBundle, openSceneTextSpace } from '../features/openscene';
import { UnsupportedError } from '../errors';
import type { FileSource } from '../io/file-source';
import type { Scene } from '../scene/types';
import type { FeatureExtraction } from './extract-bundle';

const OPENSCENE_FILE = /(^|\/)[^/]+_\d+\.pt$/;

/** The OpenScene extraction of `scene`, when `source` holds exactly one `<scene>_<n>.pt`. */
export async function openSceneExtraction(
  source: FileSource,
  scene: Scene,
): Promise<FeatureExtraction | undefined> {
  const cloud = scene.cloud;
  if (!cloud) return undefined;
  const files = (await source.list()).filter((p) => OPENSCENE_FILE.test(p));
  if (files.length === 0) return undefined;
  if (files.length > 1) {
    throw new UnsupportedError(
      `${source.name}: ${files.length} OpenScene feature files (${files.slice(0, 3).join(', ')}): keep one next to the mesh`,
    );
  }
  const file = `${source.name}/${files[0]}`;
  const n = cloud.positions.length / 3;
  const imported = readOpenSceneFeatures(await source.read(files[0]), file, n);
  const bundle = openSceneBundle(scene.name, cloud, imported, file);
  bundle.field.prepareScoring?.();
  return {
    files: new Map(),
    bundle,
    summary: {
      modelId: bundle.meta.model.id,
      dim: imported.dim,
      points: n,
      seenPoints: imported.seen,
      views: 0,
      crops: 0,
      featureSource: 'crops',
      bytesPerPoint: bundle.field.bytesPerPoint,
      seconds: { load: 0, encode: 0, fuse: 0, field: 0 },
      warnings: [`features imported from ${files[0]} (OpenScene)`],
      fromCache: false,
      cacheKey: '',
      importedFrom: {
        format: 'openscene',
        file: files[0],
        textSpace: openSceneTextSpace(imported.dim),
      },
    },
  };
}
