/** PLY ascii / binary little- and big-endian, through parsePly. */
import { parsePly } from '../../../src/pipeline/scene/readers/ply';
import { writePly } from '../../../src/pipeline/scene/readers/ply-writer';
import type { FuzzTarget } from '../types';
import { checkCloud } from './checks';
import { smallCloud } from '../../pipeline/scene/readers/fuzz-seeds';

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
