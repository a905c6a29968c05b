/** ARKitScenes raw, Polycam raw export and Replica (NICE-SLAM) folders through openScene. */
import {
  arkitScenesFiles,
  polycamFiles,
  replicaFiles,
} from '../../pipeline/scene/readers/scan-folders';
import type { FuzzTarget } from '../types';
import { folderTarget } from './folder-target';

// Mostly the pose / camera files, sometimes any file (the frames' images too).
export const targets: FuzzTarget[] = [
  folderTarget('arkitscenes', () => arkitScenesFiles().files, /\.(traj|pincam)$/, 'mostly'),
  folderTarget('polycam', () => polycamFiles().files, /\.json$/, 'mostly'),
  folderTarget('replica', () => replicaFiles().files, /traj\.txt$|\.json$/, 'mostly'),
];
