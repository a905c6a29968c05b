/** PLY ascii / binary little- and big-endian, through parsePly. */
import { parsePly } from '../../../src/pipeline/scene/readers/ply';
import { writePly } from '../../../src/pipeline/scene/readers/ply-writer';
import type { FuzzTarget } from '../types';
import { checkCloud } from './checks';

export function smallCloud() {
  const n = 40;
  return {
    positions: new Float32Array(n * 3).map((_, i) => i * 0.1),
    colors: new Uint8Array(n * 3).map((_, i) => i),
    normals: new Float32Array(n * 3).fill(0.5),
    semanticIds: new Int32Array(n).map((_, i) => i % 4),
    faces: Uint32Array.from([0, 1, 2, 2, 3, 4, 5, 6, 7]),
  };
}

const FORMATS = ['ascii', 'binary_little_endian', 'binary_big_endian'] as const;

export const targets: FuzzTarget[] = FORMATS.map((format) => ({
  name: `ply-${format.replace('binary_', '').replace('_endian', '').replace('little', 'le').replace('big', 'be')}`,
  hasLocations: true,
  seeds: () => [new Map([['cloud.ply', writePly(smallCloud(), { format })]])],
  // The header is text in every variant; the ascii body too.
  textual: () => true,
  read: async (files, sourceName) => {
    const parsed = parsePly(files.get('cloud.ply')!, `${sourceName}/cloud.ply`);
    return parsed;
  },
  validate: (output) => checkCloud((output as { cloud: Parameters<typeof checkCloud>[0] }).cloud),
}));
