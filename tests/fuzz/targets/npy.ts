/** .npy through readNpy: f4, f2, u1, u2, i4 arrays, C order, 1-D to 3-D. */
import { readNpy, writeNpy } from '../../../src/pipeline/io/npy';
import type { FuzzTarget } from '../types';

export const targets: FuzzTarget[] = [
  {
    name: 'npy',
    hasLocations: true,
    seeds: () =>
      [
        writeNpy(
          new Float32Array(30).map((_, i) => i / 3),
          [10, 3],
          '<f4',
        ),
        writeNpy(
          new Uint16Array(24).map((_, i) => i * 100),
          [2, 3, 4],
          '<f2',
        ),
        writeNpy(
          new Uint8Array(12).map((_, i) => i),
          [12],
          '|u1',
        ),
        writeNpy(
          new Uint16Array(8).map((_, i) => i),
          [8],
          '<u2',
        ),
        writeNpy(
          new Int32Array(9).map((_, i) => i - 4),
          [3, 3],
          '<i4',
        ),
      ].map((bytes) => new Map([['array.npy', bytes]])),
    // The header is a Python dict literal.
    textual: () => true,
    read: async (files, sourceName) => readNpy(files.get('array.npy')!, `${sourceName}/array.npy`),
    validate: (output) => {
      const a = output as { shape: number[]; data: ArrayLike<number> };
      const count = a.shape.reduce((p, d) => p * d, 1);
      if (!a.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return `shape ${a.shape}`;
      return a.data.length === count
        ? undefined
        : `data length ${a.data.length} for shape [${a.shape}]`;
    },
  },
];
