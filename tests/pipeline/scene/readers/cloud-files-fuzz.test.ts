/**
 * Fuzz: 1,000 mutated Gaussian-splat PLYs, .splat files and LAS files each (truncations, bit
 * flips, absurd counts, noise): each reads or throws one of our typed errors naming the file,
 * with a location for ParseErrors — never another exception and no allocation sized by a
 * garbled count (the budget refuses those first).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../../src/pipeline/errors';
import { parseGaussianSplatPly } from '../../../../src/pipeline/scene/readers/gaussian-splat';
import { parseLas } from '../../../../src/pipeline/scene/readers/las';
import { parseSplat } from '../../../../src/pipeline/scene/readers/splat';
import { gaussianSplatPly, lasFile, roomSplats, splatFile } from './cloud-files';
import { expectOurError, mutateBytes, mutationsArb } from './fuzz-mutations';

const points = Array.from({ length: 12 }, (_, i) => ({
  xyz: [i * 0.3, 1 - i * 0.1, 0.5] as [number, number, number],
  rgb16: [i * 5000, 300, 65535] as [number, number, number],
  classification: i % 4,
}));

const CASES: Array<[string, Uint8Array[], (b: Uint8Array, file: string) => unknown]> = [
  [
    'Gaussian-splat PLY',
    [
      gaussianSplatPly(roomSplats().slice(0, 16)),
      gaussianSplatPly(roomSplats().slice(0, 6), 'ascii'),
    ],
    (b, f) => parseGaussianSplatPly(b, f),
  ],
  ['.splat', [splatFile(roomSplats())], (b, f) => parseSplat(b, f)],
  [
    'LAS',
    [
      lasFile(points, 3, [0.001, 0.001, 0.001], [0, 0, 0]),
      lasFile(points, 7, [0.01, 0.01, 0.01], [100, 200, 0]),
      lasFile(points, 0, [0.01, 0.01, 0.01], [0, 0, 0], 0),
    ],
    (b, f) => parseLas(b, f),
  ],
];

describe('point-cloud file readers under fuzzing', () => {
  for (const [name, bases, parse] of CASES) {
    it(`${name}: 1,000 mutated files read or give a typed error naming the file`, () => {
      let failures = 0;
      fc.assert(
        fc.property(fc.nat({ max: bases.length - 1 }), mutationsArb, (which, muts) => {
          try {
            parse(mutateBytes(bases[which], muts), 'fuzz.bin');
          } catch (err) {
            failures++;
            expectOurError(err, 'fuzz.bin');
            if (err instanceof ParseError) {
              expect(err.location.byteOffset !== undefined || err.location.line !== undefined).toBe(
                true,
              );
            }
          }
        }),
        { numRuns: 1000, seed: 42 },
      );
      expect(failures).toBeGreaterThan(50);
    });
  }
});
