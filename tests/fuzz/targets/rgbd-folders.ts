/**
 * RGB-D folders through openScene, mutating the pose / trajectory / list files: 7-Scenes
 * pose.txt, ICL-NUIM / Redwood trajectory.log, TUM groundtruth.txt and its rgb / depth lists
 * (the colour–depth association), nerfstudio transforms.json. Seeds: tests/pipeline/scene/rgbd-folders.ts.
 */
import { openScene } from '../../../src/pipeline/scene/open-scene';
import {
  nerfstudioFiles,
  redwoodFiles,
  sevenScenesFiles,
  tumFiles,
} from '../../pipeline/scene/rgbd-folders';
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
  mutable: (paths) => paths.filter((p) => mutated.test(p)),
  textual: isText,
  read: async (files, sourceName) => loadScene(await openScene(source(files, sourceName))),
  validate: checkScene,
});

export const targets: FuzzTarget[] = [
  folder('7scenes-pose', () => sevenScenesFiles().files, /\.pose\.txt$/),
  folder('redwood-trajectory', () => redwoodFiles().files, /trajectory\.log$/),
  folder('tum-groundtruth', () => tumFiles().files, /groundtruth\.txt$/),
  folder('tum-associations', () => tumFiles().files, /(rgb|depth)\.txt$/),
  folder('nerfstudio', () => nerfstudioFiles().files, /transforms\.json$/),
];
