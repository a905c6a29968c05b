import { describe, expect, it } from 'vitest';
import {
  cloudLevels,
  gatherLevel,
  pickLevel,
  voxelRepresentatives,
} from '../../../src/pipeline/scene/cloud-levels';

/** A grid of points with `perAxis` points per axis spaced `step` apart. */
function grid(perAxis: number, step: number): Float32Array {
  const p = new Float32Array(perAxis ** 3 * 3);
  let k = 0;
  for (let z = 0; z < perAxis; z++)
    for (let y = 0; y < perAxis; y++)
      for (let x = 0; x < perAxis; x++) p.set([x * step, y * step, z * step], 3 * k++);
  return p;
}

describe('cloud levels', () => {
  it('keeps one point per voxel: a 10^3 grid at 0.1 m in 0.2 m voxels keeps 5^3 points', () => {
    const idx = voxelRepresentatives(grid(10, 0.1), 0.2 + 1e-6);
    expect(idx.length).toBe(125);
    // The first point met in each voxel is kept, so index 0 is always there.
    expect(idx[0]).toBe(0);
  });

  it('returns only the full level when the cloud fits the budget', () => {
    const levels = cloudLevels(grid(10, 0.1), 1000);
    expect(levels).toHaveLength(1);
    expect(levels[0]).toMatchObject({ voxelSize: 0, count: 1000 });
  });

  it('adds coarser levels until one fits, and picks the finest that fits', () => {
    const p = grid(20, 0.05);
    const levels = cloudLevels(p, 1000);
    expect(levels.length).toBeGreaterThan(1);
    for (let i = 2; i < levels.length; i++) {
      expect(levels[i].voxelSize).toBeGreaterThan(levels[i - 1].voxelSize);
      expect(levels[i].count).toBeLessThanOrEqual(levels[i - 1].count);
    }
    const level = pickLevel(levels, 1000);
    expect(level.count).toBeLessThanOrEqual(1000);
    expect(level.count).toBeGreaterThan(0);
  });

  it('gathers per-point values with the level indices', () => {
    const p = grid(4, 1);
    const levels = cloudLevels(p, 10);
    const level = pickLevel(levels, 10);
    const values = new Float32Array(64).map((_, i) => i * 10);
    const got = gatherLevel(level, values, 1, (n) => new Float32Array(n));
    expect(Array.from(got)).toEqual(Array.from(level.indices!, (i) => i * 10));
    const pos = gatherLevel(level, p, 3, (n) => new Float32Array(n));
    const j = level.indices![1];
    expect(Array.from(pos.subarray(3, 6))).toEqual(Array.from(p.subarray(3 * j, 3 * j + 3)));
  });

  it('drops NaN positions instead of keying them', () => {
    const p = new Float32Array([0, 0, 0, NaN, 0, 0, 1, 1, 1]);
    expect(Array.from(voxelRepresentatives(p, 0.5))).toEqual([0, 2]);
  });
});
