/**
 * Opens any supported scene from a FileSource: each reader says whether the file list looks like
 * its format, and the first that does reads it. Opening is cheap: frames load lazily, and RGB-D
 * formats without a cloud (7-Scenes, Redwood, TUM, nerfstudio, a lone .sens) leave `scene.cloud`
 * undefined; call `ensureCloud(scene, options)` from ./reconstruct to build it (once).
 */
import { UnsupportedError } from '../errors';
import type { FileSource } from '../io/file-source';
import type { Scene, SceneFormat } from './types';
import { nerfstudioReader } from './readers/nerfstudio';
import { redwoodReader } from './readers/redwood';
import { sevenScenesReader } from './readers/seven-scenes';
import { tumReader } from './readers/tum';
import { bundleReader } from './bundle/bundle-reader';
import { plyReader } from './readers/ply';
import { scannetReader } from './readers/scannet';
import { sensReader } from './readers/sens';
import { arkitScenesReader } from './readers/arkitscenes';
import { polycamReader } from './readers/polycam';
import { replicaReader } from './readers/replica';
import { splatReader } from './readers/splat';
import { lasReader } from './readers/las';

export interface OpenSceneOptions {
  signal?: AbortSignal;
  /** Called with non-fatal warnings as they are found (also collected in scene.warnings). */
  onWarning?: (message: string) => void;
}

export interface SceneReader {
  format: SceneFormat;
  /** True if these paths (from FileSource.list()) look like this format. Cheap: names only. */
  detect(paths: string[]): boolean;
  read(source: FileSource, paths: string[], options: OpenSceneOptions): Promise<Scene>;
}

/**
 * Most specific first (a ScanNet folder also contains a .ply and maybe a .sens; a bundle has a
 * manifest that wins over everything).
 */
export const READERS: SceneReader[] = [
  bundleReader,
  scannetReader,
  // A lone .sens file (a ScanNet folder with its .txt is claimed above).
  sensReader,
  // RGB-D folders, most explicit manifest first (a Redwood folder is detected by any *.log).
  arkitScenesReader,
  polycamReader,
  replicaReader,
  nerfstudioReader,
  sevenScenesReader,
  tumReader,
  redwoodReader,
  // Lone point-cloud files; PLY (incl. Gaussian-splat PLY) last: many folders above hold a .ply.
  splatReader,
  lasReader,
  plyReader,
];

export async function openScene(
  source: FileSource,
  options: OpenSceneOptions = {},
): Promise<Scene> {
  const paths = await source.list();
  const reader = READERS.find((r) => r.detect(paths));
  if (!reader) {
    throw new UnsupportedError(
      `${source.name}: no supported scene format found among ${paths.length} files ` +
        `(expected PLY, ScanNet .sens or scene folder, 7-Scenes, ICL-NUIM/Redwood, TUM RGB-D, ` +
        `nerfstudio transforms.json, ARKitScenes, Polycam, Replica (NICE-SLAM), .splat, LAS ` +
        `or a scene bundle)`,
    );
  }
  return reader.read(source, paths, options);
}
