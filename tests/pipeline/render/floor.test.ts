import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/pipeline/errors';
import { mulberry32 } from '../../../src/pipeline/random';
import { inferFloor } from '../../../src/pipeline/render/floor';
import type { Vec3 } from '../../../src/pipeline/render/types';
import { syntheticRoom } from './synthetic-room';

/** Applies a rotation given as a function and an offset to every point. */
function transform(p: Float32Array, f: (x: number, y: number, z: number) => Vec3, offset: Vec3) {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) {
    const q = f(p[i], p[i + 1], p[i + 2]);
    out[i] = q[0] + offset[0];
    out[i + 1] = q[1] + offset[1];
    out[i + 2] = q[2] + offset[2];
  }
  return out;
}

const ORIENTATIONS: [string, Vec3, (x: number, y: number, z: number) => Vec3][] = [
  ['+z', [0, 0, 1], (x, y, z) => [x, y, z]],
  ['+y', [0, 1, 0], (x, y, z) => [x, z, -y]],
  ['−y', [0, -1, 0], (x, y, z) => [x, -z, y]],
  ['+x', [1, 0, 0], (x, y, z) => [z, x, y]],
  ['−z', [0, 0, -1], (x, y, z) => [x, -y, -z]],
];

describe('up and floor inference', () => {
  for (const ceiling of [false, true]) {
    it(`finds up and the floor in any axis orientation (${ceiling ? 'with' : 'no'} ceiling)`, () => {
      for (const seed of [1, 2]) {
        const r = mulberry32(seed + 100);
        const size: Vec3 = [4 + 3 * r(), 3.5 + 2 * r(), 2.4 + 0.6 * r()];
        const room = syntheticRoom(seed, size, ceiling);
        for (const [, up, rotate] of ORIENTATIONS) {
          const offset: Vec3 = [r() * 10 - 5, r() * 10 - 5, r() * 10 - 5];
          const points = transform(room, rotate, offset);
          const estimate = inferFloor(points);
          expect(estimate.up).toEqual(up);
          expect(estimate.floorFound).toBe(true);
          // The floor (z = 0 before the move) is at up · offset.
          const floor = up[0] * offset[0] + up[1] * offset[1] + up[2] * offset[2];
          expect(Math.abs(estimate.floorHeight - floor)).toBeLessThan(0.02);
          expect(estimate.topHeight - estimate.floorHeight).toBeGreaterThan(size[2] - 0.1);
          expect(estimate.topHeight - estimate.floorHeight).toBeLessThan(size[2] + 0.1);
        }
      }
    });
  }

  it('uses a given up direction and only finds the floor along it', () => {
    const room = syntheticRoom(4, [5, 4, 2.6], false);
    const points = transform(room, (x, y, z) => [x, z, -y], [0, 1.5, 0]);
    const estimate = inferFloor(points, [0, 2, 0]);
    expect(estimate.up).toEqual([0, 1, 0]);
    expect(estimate.floorHeight).toBeCloseTo(1.5, 1);
  });

  it('refuses clouds without finite points, and tolerates a single point', () => {
    expect(() => inferFloor(new Float32Array(0))).toThrow(UnsupportedError);
    expect(() => inferFloor(Float32Array.from([NaN, 0, 0]))).toThrow(UnsupportedError);
    expect(() => inferFloor(Float32Array.from([1, 2, 3]), [0, 0, 0])).toThrow(UnsupportedError);
    const one = inferFloor(Float32Array.from([1, 2, 3]));
    expect(Number.isFinite(one.floorHeight)).toBe(true);
  });
});
