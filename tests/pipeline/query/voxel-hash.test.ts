import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createVoxelIndex,
  DenseVoxelGrid,
  VoxelHash,
} from '../../../src/pipeline/query/voxel-hash';

describe('voxel indexes', () => {
  it('hash and dense grid give the same dense ids in insertion order, −1 when absent', () => {
    const cell = fc.tuple(fc.nat({ max: 9 }), fc.nat({ max: 9 }), fc.nat({ max: 9 }));
    fc.assert(
      fc.property(
        fc.array(cell, { maxLength: 200 }),
        fc.array(cell, { maxLength: 50 }),
        (inserts, probes) => {
          const hash = new VoxelHash(inserts.length);
          const grid = new DenseVoxelGrid(10, 10, 10, inserts.length);
          const truth = new Map<string, number>();
          for (const [x, y, z] of inserts) {
            const key = `${x},${y},${z}`;
            if (!truth.has(key)) truth.set(key, truth.size);
            expect(hash.insert(x, y, z)).toBe(truth.get(key));
            expect(grid.insert(x, y, z)).toBe(truth.get(key));
          }
          for (const [x, y, z] of probes) {
            const want = truth.get(`${x},${y},${z}`) ?? -1;
            expect(hash.get(x, y, z)).toBe(want);
            expect(grid.get(x, y, z)).toBe(want);
          }
          expect(grid.get(-1, 0, 0)).toBe(-1);
          expect(grid.get(0, 10, 0)).toBe(-1);
          expect(hash.size).toBe(truth.size);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('uses a dense grid only when it is small relative to the points', () => {
    expect(createVoxelIndex(10, 10, 10, 100)).toBeInstanceOf(DenseVoxelGrid);
    expect(createVoxelIndex(1000, 1000, 10, 100)).toBeInstanceOf(VoxelHash);
    expect(createVoxelIndex(4096, 4096, 4096, 100_000)).toBeInstanceOf(VoxelHash);
  });
});
