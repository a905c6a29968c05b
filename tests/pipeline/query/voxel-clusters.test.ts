import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clusterPoints } from '../../../src/pipeline/query/voxel-clusters';

const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

/** Independent truth: BFS over points, linking two points whose voxels are 26-neighbours. */
function bruteForceClusters(positions: number[], size: number): number[] {
  const n = positions.length / 3;
  const lo = [0, 1, 2].map((a) => Math.min(...positions.filter((_, i) => i % 3 === a)));
  const cell = (i: number) =>
    [0, 1, 2].map((a) => Math.floor((positions[i * 3 + a] - lo[a]) / size));
  const labels = new Array<number>(n).fill(-1);
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (labels[s] >= 0) continue;
    labels[s] = next;
    const queue = [s];
    while (queue.length) {
      const i = queue.pop()!;
      const ci = cell(i);
      for (let j = 0; j < n; j++) {
        if (labels[j] >= 0) continue;
        const cj = cell(j);
        if (ci.every((c, a) => Math.abs(c - cj[a]) <= 1)) {
          labels[j] = next;
          queue.push(j);
        }
      }
    }
    next++;
  }
  return labels;
}

/** Same partition up to renaming of cluster ids. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

describe('clusterPoints', () => {
  it('separates blobs further apart than a voxel and joins diagonal neighbours', () => {
    const positions = Float32Array.of(
      0.0,
      0.0,
      0.0, // voxel (0,0,0)
      0.12,
      0.12,
      0.12, // voxel (1,1,1): diagonal neighbour → same cluster
      0.3,
      0.0,
      0.0, // voxel (3,0,0): two voxels from (1,..) → new cluster
      5,
      5,
      5, // far away
    );
    const { labels, clusterCount } = clusterPoints(positions, all(4), 0.1);
    expect(clusterCount).toBe(3);
    expect(labels[0]).toBe(labels[1]);
    expect(new Set(labels).size).toBe(3);
  });

  it('clusters only the selected indices and skips non-finite positions', () => {
    const positions = Float32Array.of(0, 0, 0, NaN, 0, 0, 0.05, 0, 0, 9, 9, 9);
    const { labels, clusterCount } = clusterPoints(positions, Uint32Array.of(0, 1, 2), 0.1);
    expect(Array.from(labels)).toEqual([0, -1, 0]);
    expect(clusterCount).toBe(1);
    expect(clusterPoints(positions, new Uint32Array(0), 0.1).clusterCount).toBe(0);
    expect(() => clusterPoints(positions, all(1), 0)).toThrow(RangeError);
  });

  it('agrees with a brute-force 26-neighbour flood fill on random point sets', () => {
    const coord = fc.double({ min: -1, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coord, coord, coord), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(0.05, 0.1, 0.3),
        (points, size) => {
          const flat = points.flat().map(Math.fround);
          const { labels } = clusterPoints(Float32Array.from(flat), all(points.length), size);
          expect(samePartition(labels, bruteForceClusters(flat, size))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles huge extents without overflowing the grid', () => {
    const positions = Float32Array.of(-1e7, 0, 0, 1e7, 0, 0, 1e7, 0.01, 0);
    const result = clusterPoints(positions, all(3), 0.01);
    expect(result.voxelSize).toBeGreaterThan(0.01);
    expect(result.clusterCount).toBe(2);
    expect(result.labels[1]).toBe(result.labels[2]);
  });
});
