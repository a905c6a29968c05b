import { describe, expect, it } from 'vitest';
import {
  sceneNormalisation,
  truncatedVoxelCoordinate,
  voxelIndex,
  voxelTokens,
} from '../../../src/pipeline/features/voxel-tokens';

describe('3D-LLM voxel rule int(p·128 + 128)', () => {
  it('truncates toward zero like Python int(), including negatives', () => {
    expect(truncatedVoxelCoordinate(0)).toBe(128);
    expect(truncatedVoxelCoordinate(0.5)).toBe(192);
    expect(truncatedVoxelCoordinate(0.999)).toBe(255); // 255.872 → 255
    expect(truncatedVoxelCoordinate(1)).toBe(256);
    expect(truncatedVoxelCoordinate(-0.001)).toBe(127); // 127.872 → 127
    expect(truncatedVoxelCoordinate(-0.5)).toBe(64);
    expect(truncatedVoxelCoordinate(-1)).toBe(0);
    expect(truncatedVoxelCoordinate(-1.002) === 0).toBe(true); // -0.256 → -0 (floor: -1)
    expect(truncatedVoxelCoordinate(-1.502)).toBe(-64); // -64.256 → -64 (floor: -65)
  });
  it('clamps to 0..255', () => {
    expect(voxelIndex(1)).toBe(255);
    expect(voxelIndex(3)).toBe(255);
    expect(voxelIndex(-1.502)).toBe(0);
    expect(voxelIndex(-0.5)).toBe(64);
  });
});

describe('voxelTokens', () => {
  // Centroid 0 (x sums to 0), radius 2: x/2 → -1, 1, -0.005, -0.0055, 0.0105
  // → int(p·128+128) = 0, 256→255, 127.36→127, 127.296→127, 129.344→129.
  const positions = Float32Array.from([-2, 0, 0, 2, 0, 0, -0.01, 0, 0, -0.011, 0, 0, 0.021, 0, 0]);
  it('normalises by centroid and largest distance', () => {
    const n = sceneNormalisation(Float32Array.from([1, 1, 1, 3, 1, 1]));
    expect(n.centroid).toEqual([2, 1, 1]);
    expect(n.radius).toBe(1);
  });
  it('averages features per voxel, skips unseen points, reports counts', () => {
    const dim = 2;
    const features = Float32Array.from([1, 0, 0, 1, 2, 2, 4, 6, 8, 8]);
    const t = voxelTokens(positions, features, dim, Uint16Array.from([1, 1, 1, 1, 1]));
    expect(t.normalisation.radius).toBeCloseTo(2, 6);
    expect(t.occupied).toBe(4);
    expect(Array.from(t.voxels)).toEqual([
      0, 128, 128, 127, 128, 128, 129, 128, 128, 255, 128, 128,
    ]);
    expect(Array.from(t.features)).toEqual([1, 0, 3, 4, 8, 8, 0, 1]);
    expect(Array.from(t.pointCounts)).toEqual([1, 2, 1, 1]);
    const unseen = voxelTokens(positions, features, dim, Uint16Array.from([0, 1, 1, 1, 1]));
    expect(unseen.occupied).toBe(3);
  });
  it('samples at most maxVoxels, deterministically by seed', () => {
    const n = 2000;
    const pos = Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 12.9898) * 3);
    const feats = Float32Array.from({ length: n }, (_, i) => i);
    const a = voxelTokens(pos, feats, 1, undefined, { maxVoxels: 100, seed: 1 });
    const b = voxelTokens(pos, feats, 1, undefined, { maxVoxels: 100, seed: 1 });
    const c = voxelTokens(pos, feats, 1, undefined, { maxVoxels: 100, seed: 2 });
    expect(a.voxels.length).toBe(300);
    expect(a.occupied).toBeGreaterThan(100);
    expect(Array.from(a.voxels)).toEqual(Array.from(b.voxels));
    expect(Array.from(a.voxels)).not.toEqual(Array.from(c.voxels));
  });
});
