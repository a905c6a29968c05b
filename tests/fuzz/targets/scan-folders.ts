/** ARKitScenes raw, Polycam raw export and Replica (NICE-SLAM) folders through openScene. */
import { openScene } from '../../../src/pipeline/scene/open-scene';
import {
  arkitScenesFiles,
  polycamFiles,
  replicaFiles,
} from '../../pipeline/scene/readers/scan-folders';
import type { FuzzTarget } from '../types';
import { checkScene, isText, loadScene, source } from './checks';

const folder = (
  name: string,
  build: () => Record<string, Uint8Array>,
  mutated: RegExp,
): FuzzTarget => ({
  name,
  hasLocations: true,
  seeds: () => [new Map(Object.entries(build()))],
  // Mostly the pose / camera files, sometimes any file.
  mutable: (paths) => [...paths, ...paths.filter((p) => mutated.test(p)).flatMap((p) => [p, p, p])],
  textual: (path) => isText(path) || mutated.test(path),
  read: async (files, sourceName) => loadScene(await openScene(source(files, sourceName))),
  validate: checkScene,
});

export const targets: FuzzTarget[] = [
  folder('arkitscenes', () => arkitScenesFiles().files, /\.(traj|pincam)$/),
  folder('polycam', () => polycamFiles().files, /\.json$/),
  folder('replica', () => replicaFiles().files, /traj\.txt$|\.json$/),
];
