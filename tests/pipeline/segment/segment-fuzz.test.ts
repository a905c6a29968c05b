import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/pipeline/random';
import { segmentScene } from '../../../src/pipeline/segment/segment-scene';
import { segmentationViolations } from './fixtures';

function randomCloud(count: number, seed: number, spread = 2) {
  const rand = mulberry32(seed);
  const positions = new Float32Array(count * 3);
  const colors = new Uint8Array(count * 3);
  for (let i = 0; i < count * 3; i++) {
    positions[i] = rand() * spread;
    colors[i] = Math.floor(rand() * 256);
  }
  return { positions, colors };
}

describe('segmentScene on odd input', () => {
  it('returns an empty segmentation for an empty cloud', () => {
    const seg = segmentScene({ positions: new Float32Array(0), colors: new Uint8Array(0) });
    expect(seg.pointCount).toBe(0);
    expect(seg.proposalCount).toBe(0);
    expect(seg.pointOffsets).toEqual(new Uint32Array(1));
    expect(segmentationViolations(seg)).toEqual([]);
  });

  it('handles one point, and duplicates of one point', () => {
    for (const count of [1, 2, 500]) {
      const positions = new Float32Array(count * 3).fill(0.5);
      const seg = segmentScene({ positions, colors: new Uint8Array(count * 3) });
      expect(segmentationViolations(seg, positions)).toEqual([]);
      expect(seg.proposalCount).toBe(seg.levelCount); // one proposal per level
      expect(Array.from(seg.bounds.subarray(0, 6))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    }
  });

  it('leaves non-finite points out at every level', () => {
    const cloud = randomCloud(2000, 5);
    for (let i = 0; i < 2000; i += 7) cloud.positions[i * 3 + (i % 3)] = i % 2 ? NaN : -Infinity;
    const seg = segmentScene(cloud);
    expect(segmentationViolations(seg, cloud.positions)).toEqual([]);
    for (let l = 0; l < seg.levelCount; l++) {
      for (let i = 0; i < 2000; i++) {
        expect(seg.pointProposals[l * 2000 + i] < 0).toBe(i % 7 === 0);
      }
    }
    const allNaN = segmentScene({
      positions: new Float32Array(30).fill(NaN),
      colors: new Uint8Array(30),
    });
    expect(allNaN.proposalCount).toBe(0);
    expect(Array.from(allNaN.pointProposals)).toEqual(new Array(10 * allNaN.levelCount).fill(-1));
  });

  it('stays quick on huge coordinates and huge extents', () => {
    const far = randomCloud(3000, 6);
    for (let i = 0; i < far.positions.length; i++) far.positions[i] += 1e7;
    const started = performance.now();
    expect(segmentationViolations(segmentScene(far), far.positions)).toEqual([]);
    // Points scattered over 1e30 m: the grid coarsens instead of overflowing.
    const wide = randomCloud(3000, 7, 1e30);
    expect(segmentationViolations(segmentScene(wide), wide.positions)).toEqual([]);
    const mixed = randomCloud(3000, 8);
    mixed.positions[0] = 3e38;
    mixed.positions[4] = -3e38;
    expect(segmentationViolations(segmentScene(mixed), mixed.positions)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('accepts a cloud without colours, with bad normals, with out-of-range faces', () => {
    const cloud = randomCloud(1500, 9);
    const normals = new Float32Array(1500 * 3).fill(NaN);
    normals.fill(0, 0, 300);
    const faces = Uint32Array.from([0, 1, 2, 3, 4, 99999, 5, 5, 5]);
    const seg = segmentScene({
      positions: cloud.positions,
      colors: new Uint8Array(0),
      normals,
      faces,
    });
    expect(segmentationViolations(seg, cloud.positions)).toEqual([]);
  });

  it('keeps the contract on random clouds', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const cloud = randomCloud(3000, seed, 0.5 + seed);
      const seg = segmentScene(cloud, { voxelSizeM: 0.02 * seed });
      expect(segmentationViolations(seg, cloud.positions)).toEqual([]);
    }
  });

  it('rejects bad options with a RangeError', () => {
    const cloud = randomCloud(10, 1);
    expect(() => segmentScene(cloud, { voxelSizeM: 0 })).toThrow(RangeError);
    expect(() => segmentScene(cloud, { voxelSizeM: NaN })).toThrow(RangeError);
    expect(() => segmentScene(cloud, { up: [0, 0, 0] })).toThrow(RangeError);
    expect(() => segmentScene(cloud, { up: [0, 1] })).toThrow(RangeError);
    expect(() => segmentScene(cloud, { fineK: -1 })).toThrow(RangeError);
  });
});
