/** 3D Gaussian-splat PLY, antimatter15 .splat and LAS point clouds through openScene. */
import { openScene } from '../../../src/pipeline/scene/open-scene';
import {
  gaussianSplatPly,
  lasFile,
  roomSplats,
  splatFile,
} from '../../pipeline/scene/readers/cloud-files';
import type { FileMap, FuzzTarget } from '../types';
import { checkScene, source } from './checks';

const points = Array.from({ length: 12 }, (_, i) => ({
  xyz: [i * 0.3, 1 - i * 0.1, 0.5] as [number, number, number],
  rgb16: [i * 5000, 300, 65535] as [number, number, number],
  classification: i % 4,
}));

const cloud = (name: string, seeds: () => FileMap[], textual = false): FuzzTarget => ({
  name,
  hasLocations: true,
  seeds,
  textual: () => textual,
  read: async (files, sourceName) => openScene(source(files, sourceName)),
  validate: (output) => checkScene({ ...(output as object), loaded: [] }),
});

export const targets: FuzzTarget[] = [
  cloud(
    'gaussian-splat-ply',
    () => [
      new Map([['splats.ply', gaussianSplatPly(roomSplats())]]),
      new Map([['splats.ply', gaussianSplatPly(roomSplats().slice(0, 8), 'ascii')]]),
    ],
    true,
  ),
  cloud('splat', () => [new Map([['room.splat', splatFile(roomSplats())]])]),
  cloud('las', () =>
    [
      lasFile(points, 3, [0.001, 0.001, 0.001], [0, 0, 0]),
      lasFile(points, 7, [0.01, 0.01, 0.01], [100, 200, 0]),
      lasFile(points, 0, [0.01, 0.01, 0.01], [0, 0, 0], 0),
    ].map((bytes) => new Map([['scan.las', bytes]])),
  ),
];
