/**
 * RGB-D folders through openScene, mutating the pose / trajectory / list files: 7-Scenes
 * pose.txt, ICL-NUIM / Redwood trajectory.log, TUM groundtruth.txt and its rgb / depth lists
 * (the colour–depth association), nerfstudio transforms.json. Seeds: tests/pipeline/scene/rgbd-folders.ts.
 */
import {
  nerfstudioFiles,
  redwoodFiles,
  sevenScenesFiles,
  tumFiles,
} from '../../pipeline/scene/rgbd-folders';
import type { FuzzTarget } from '../types';
import { folderTarget } from './folder-target';

export const targets: FuzzTarget[] = [
  folderTarget('7scenes-pose', () => sevenScenesFiles().files, /\.pose\.txt$/),
  folderTarget('redwood-trajectory', () => redwoodFiles().files, /trajectory\.log$/),
  folderTarget('tum-groundtruth', () => tumFiles().files, /groundtruth\.txt$/),
  folderTarget('tum-associations', () => tumFiles().files, /(rgb|depth)\.txt$/),
  folderTarget('nerfstudio', () => nerfstudioFiles().files, /transforms\.json$/),
];
