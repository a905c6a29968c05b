import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { box, cylinder, sphere } from '../../src/demo-room/primitives';
import {
  intersectBox,
  intersectCylinder,
  intersectPrimitive,
  intersectSphere,
  type Ray,
  type SurfaceNormal,
} from '../../src/demo-room/ray-intersect';
import { distanceToSurface, signedDistance } from './surface-distance';

const ray = (o: number[], d: number[]): Ray => ({
  ox: o[0],
  oy: o[1],
  oz: o[2],
  dx: d[0],
  dy: d[1],
  dz: d[2],
});
const n = (): SurfaceNormal => ({ x: 0, y: 0, z: 0 });

describe('ray–box (slab test)', () => {
  it('hits the near face of a unit box at the hand-computed distance and normal', () => {
    const b = box([2, -0.5, -0.5], [3, 0.5, 0.5]);
    const normal = n();
    expect(intersectBox(ray([0, 0, 0], [1, 0, 0]), b, 0, normal)).toBeCloseTo(2, 12);
    expect(normal).toEqual({ x: -1, y: 0, z: 0 });
    // An unnormalised direction scales t: |d| = 2 halves it.
    expect(intersectBox(ray([0, 0, 0], [2, 0, 0]), b, 0, normal)).toBeCloseTo(1, 12);
    // Oblique: from (0,0,0) towards (2, 0.25, 0.1) the entry is on x = 2 at t = 1.
    expect(intersectBox(ray([0, 0, 0], [2, 0.25, 0.1]), b, 0, normal)).toBeCloseTo(1, 12);
  });

  it('misses boxes beside, behind and parallel outside', () => {
    const b = box([2, -0.5, -0.5], [3, 0.5, 0.5]);
    expect(intersectBox(ray([0, 0, 0], [1, 1, 0]), b, 0, n())).toBe(Infinity);
    expect(intersectBox(ray([0, 0, 0], [-1, 0, 0]), b, 0, n())).toBe(Infinity);
    expect(intersectBox(ray([0, 1, 0], [1, 0, 0]), b, 0, n())).toBe(Infinity);
  });

  it('from inside returns the exit face', () => {
    const normal = n();
    const t = intersectBox(ray([0, 0, 0], [0, 0, 1]), box([-1, -1, -1], [1, 1, 2]), 0, normal);
    expect(t).toBeCloseTo(2, 12);
    expect(normal).toEqual({ x: 0, y: 0, z: 1 });
  });
});

describe('ray–cylinder (upright)', () => {
  const c = cylinder(0, 5, 1, 0, 2);
  it('hits the curved side at centre distance minus radius', () => {
    const normal = n();
    expect(intersectCylinder(ray([0, 0, 1], [0, 1, 0]), c, 0, normal)).toBeCloseTo(4, 12);
    expect(normal.y).toBeCloseTo(-1, 12);
  });
  it('hits the top cap from above and the side at a grazing offset', () => {
    const normal = n();
    expect(intersectCylinder(ray([0, 5, 10], [0, 0, -1]), c, 0, normal)).toBeCloseTo(8, 12);
    expect(normal).toEqual({ x: 0, y: 0, z: 1 });
    // Offset x = 0.6: the side is at y = 5 - sqrt(1 - 0.36) = 4.2.
    expect(intersectCylinder(ray([0.6, 0, 1], [0, 1, 0]), c, 0, normal)).toBeCloseTo(4.2, 12);
  });
  it('misses above the top and beside', () => {
    expect(intersectCylinder(ray([0, 0, 2.5], [0, 1, 0]), c, 0, n())).toBe(Infinity);
    expect(intersectCylinder(ray([1.5, 0, 1], [0, 1, 0]), c, 0, n())).toBe(Infinity);
  });
});

describe('ray–sphere', () => {
  it('hits at centre distance minus radius, and off-centre by Pythagoras', () => {
    const s = sphere([0, 0, 5], 1);
    expect(intersectSphere(ray([0, 0, 0], [0, 0, 1]), s, 0, n())).toBeCloseTo(4, 12);
    // Offset 0.6: hit at z = 5 - 0.8.
    expect(intersectSphere(ray([0.6, 0, 0], [0, 0, 1]), s, 0, n())).toBeCloseTo(4.2, 12);
    expect(intersectSphere(ray([1.2, 0, 0], [0, 0, 1]), s, 0, n())).toBe(Infinity);
  });
});

describe('property: a ray aimed at a point inside a solid stops on its surface first', () => {
  const coord = fc.double({ min: -3, max: 3, noNaN: true });
  const size = fc.double({ min: 0.05, max: 2, noNaN: true });
  const unit = fc.double({ min: 0.05, max: 0.95, noNaN: true });
  const solid = fc.oneof(
    fc
      .tuple(coord, coord, coord, size, size, size)
      .map(([x, y, z, a, b, c]) => box([x, y, z], [x + a, y + b, z + c])),
    fc.tuple(coord, coord, coord, size, size).map(([x, y, z, r, h]) => cylinder(x, y, r, z, z + h)),
    fc.tuple(coord, coord, coord, size).map(([x, y, z, r]) => sphere([x, y, z], r)),
  );

  it('hits, lies on the surface, faces the ray, and nothing before it is inside', () => {
    fc.assert(
      fc.property(solid, unit, unit, unit, fc.tuple(coord, coord, coord), (p, a, b, c, dirSeed) => {
        // A target strictly inside the solid, and an origin 6..9 m away from it.
        let target: number[];
        if (p.kind === 'box') {
          target = [0, 1, 2].map((k) => p.min[k] + [a, b, c][k] * (p.max[k] - p.min[k]));
        } else if (p.kind === 'cylinder') {
          const r = 0.9 * p.radius * a;
          const th = 2 * Math.PI * b;
          target = [
            p.centerX + r * Math.cos(th),
            p.centerY + r * Math.sin(th),
            p.zMin + c * (p.zMax - p.zMin),
          ];
        } else {
          const r = 0.9 * p.radius * a;
          const th = 2 * Math.PI * b;
          const ph = Math.PI * c;
          target = [
            p.center[0] + r * Math.sin(ph) * Math.cos(th),
            p.center[1] + r * Math.sin(ph) * Math.sin(th),
            p.center[2] + r * Math.cos(ph),
          ];
        }
        const len = Math.hypot(...dirSeed);
        fc.pre(len > 0.1);
        const o = target.map((t, k) => t - (dirSeed[k] / len) * 9);
        const d = target.map((t, k) => t - o[k]); // t = 1 at the target
        const normal = n();
        const t = intersectPrimitive(ray(o, d), p, 0, normal);
        expect(t).toBeLessThan(1);
        expect(t).toBeGreaterThan(0);
        const hit = o.map((v, k) => v + t * d[k]);
        expect(distanceToSurface(p, hit[0], hit[1], hit[2])).toBeLessThan(1e-9);
        expect(normal.x * d[0] + normal.y * d[1] + normal.z * d[2]).toBeLessThan(0);
        for (const f of [0.25, 0.5, 0.75, 0.999]) {
          const q = o.map((v, k) => v + f * t * d[k]);
          // Points before the hit are outside the solid.
          expect(signedDistance(p, q[0], q[1], q[2])).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
