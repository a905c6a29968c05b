import { describe, expect, it } from 'vitest';
import {
  clusterVoxelSizeFor,
  meanPointsPerVoxel,
} from '../../../src/pipeline/query/cluster-voxel-size';
import { groundQuery } from '../../../src/pipeline/query/ground';
import { boxIoU } from '../../../src/pipeline/query/iou';
import { Float32Field, mulberry32, syntheticRoom, unitVector } from './synthetic-field';

/** A square grid of points on the z = 0 plane with the given spacing. */
function planeGrid(spacing: number, side: number): Float32Array {
  const n = Math.round(side / spacing);
  const out = new Float32Array(n * n * 3);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      out.set([(i + 0.5) * spacing, (j + 0.5) * spacing, 0], (i * n + j) * 3);
  return out;
}

describe('cluster voxel size', () => {
  it('counts points per occupied voxel, ignoring non-finite points', () => {
    expect(
      meanPointsPerVoxel(
        Float32Array.of(0.01, 0.01, 0.01, 0.02, 0.02, 0.02, 0.5, 0.5, 0.5, NaN, 0, 0),
        0.1,
      ),
    ).toBe(1.5);
    expect(meanPointsPerVoxel(planeGrid(0.01, 1), 0.05)).toBeCloseTo(25, 6);
    expect(meanPointsPerVoxel(new Float32Array(0), 0.05)).toBe(0);
  });

  it('keeps the base size for dense clouds and grows it by sqrt(wanted/measured) for sparse ones', () => {
    const options = { minPointsPerVoxel: 4, maxFactor: 8 };
    expect(clusterVoxelSizeFor(planeGrid(0.02, 1), 0.05, options)).toBe(0.05);
    // 4 cm grid, 5 cm voxels: ≈ 1.56 points per voxel → 0.05·sqrt(4/1.5625) = 0.08
    expect(clusterVoxelSizeFor(planeGrid(0.04, 2), 0.05, options)).toBeCloseTo(0.08, 2);
    // 15 cm grid: saturated at 5 and 10 cm (1 point per voxel), doubled to 20 cm and refined
    const sparse = clusterVoxelSizeFor(planeGrid(0.15, 3), 0.05, options);
    expect(sparse).toBeGreaterThanOrEqual(0.25);
    expect(sparse).toBeLessThanOrEqual(0.4);
    // 1 m grid: capped at 8×
    expect(clusterVoxelSizeFor(planeGrid(1, 20), 0.05, options)).toBeCloseTo(0.4, 9);
  });

  it('keeps sparse objects in one piece where a fixed voxel shatters them', () => {
    const mean = (adapt: boolean) => {
      let sum = 0;
      for (let seed = 1; seed <= 4; seed++) {
        const room = syntheticRoom(seed, 32, 250, 2500);
        const rand = mulberry32(99);
        const embeddings = new Float32Array(4 * room.dim);
        for (let j = 0; j < 4; j++) embeddings.set(unitVector(room.dim, rand), j * room.dim);
        const field = new Float32Field(room.features, room.count, room.dim);
        for (let id = 0; id < 5; id++) {
          const r = groundQuery(
            field,
            room.positions,
            room.objects[id].feature,
            { key: 'k', embeddings, count: 4 },
            { adaptClusterVoxel: adapt },
          );
          sum += r.boxes.length ? boxIoU(r.boxes[0], room.objects[id]) : 0;
        }
      }
      return sum / 20;
    };
    expect(mean(false)).toBeLessThan(0.5);
    expect(mean(true)).toBeGreaterThan(0.85);
  });
});
