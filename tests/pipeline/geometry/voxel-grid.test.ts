import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VoxelAccumulator } from '../../../src/pipeline/geometry/voxel-grid';

describe('VoxelAccumulator', () => {
  it('averages positions and colours per voxel, flooring negative coordinates (hand case)', () => {
    const g = new VoxelAccumulator(0.02);
    g.add(0.01, 0.01, 0.01, 10, 20, 30);
    g.add(0.015, 0.005, 0.019, 20, 41, 30);
    g.add(-0.001, 0.01, 0.01, 200, 200, 200); // x voxel −1
    const cloud = g.toCloud();
    expect(cloud.positions.length).toBe(6);
    // Sorted by (z, y, x): voxel x = −1 first.
    expect([...cloud.positions.subarray(0, 3)]).toEqual([-0.001, 0.01, 0.01].map(Math.fround));
    expect([...cloud.colors.subarray(0, 3)]).toEqual([200, 200, 200]);
    expect(cloud.positions[3]).toBeCloseTo(0.0125, 7);
    expect(cloud.positions[4]).toBeCloseTo(0.0075, 7);
    expect(cloud.positions[5]).toBeCloseTo(0.0145, 7);
    expect([...cloud.colors.subarray(3, 6)]).toEqual([15, 31, 30]); // 30.5 rounds up
  });

  it('matches a naive Map-based reference on random points, across table growth', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -2, max: 2, noNaN: true }),
            fc.double({ min: -2, max: 2, noNaN: true }),
            fc.double({ min: -2, max: 2, noNaN: true }),
            fc.integer({ min: 0, max: 255 }),
          ),
          { maxLength: 3000 },
        ),
        fc.constantFrom(0.05, 0.2, 1),
        (points, voxel) => {
          const g = new VoxelAccumulator(voxel, 4);
          const ref = new Map<string, { sum: number[]; n: number }>();
          for (const [x, y, z, c] of points) {
            g.add(x, y, z, c, c, c);
            const key = [x, y, z].map((v) => Math.floor(v / voxel)).join(',');
            const e = ref.get(key) ?? { sum: [0, 0, 0, 0], n: 0 };
            e.sum[0] += x;
            e.sum[1] += y;
            e.sum[2] += z;
            e.sum[3] += c;
            e.n++;
            ref.set(key, e);
          }
          const cloud = g.toCloud();
          expect(cloud.positions.length / 3).toBe(ref.size);
          const means = new Set(
            [...ref.values()].map((e) =>
              e.sum
                .map((s) => Math.fround(s / e.n))
                .slice(0, 3)
                .join(','),
            ),
          );
          for (let i = 0; i < cloud.positions.length; i += 3) {
            expect(means.has([...cloud.positions.subarray(i, i + 3)].join(','))).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a non-positive voxel size', () => {
    expect(() => new VoxelAccumulator(0)).toThrow(RangeError);
    expect(() => new VoxelAccumulator(NaN)).toThrow(RangeError);
  });
});
