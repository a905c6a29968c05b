import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  backprojectPixel,
  projectWorldPoint,
  scaleIntrinsics,
  worldToCameraOf,
} from '../../../src/pipeline/geometry/camera';
import { fromQuaternion, fromRows, identity } from '../../../src/pipeline/geometry/mat4';
import type { Intrinsics } from '../../../src/pipeline/scene/types';

const K: Intrinsics = { fx: 500, fy: 400, cx: 320, cy: 240, width: 640, height: 480 };

describe('camera', () => {
  it('projects a point in front of an identity camera (hand computed)', () => {
    // x=1, y=-0.5, z=2 → u = 500·0.5 + 320 = 570, v = 400·(−0.25) + 240 = 140
    const p = projectWorldPoint(K, identity(), 1, -0.5, 2);
    expect(p.u).toBeCloseTo(570, 12);
    expect(p.v).toBeCloseTo(140, 12);
    expect(p.z).toBe(2);
  });

  it('rejects points behind the camera', () => {
    const p = projectWorldPoint(K, identity(), 0, 0, -1);
    expect(p.z).toBe(-1);
    expect(p.u).toBeNaN();
  });

  it('uses the pose direction camera-to-world', () => {
    // Camera at world (0, 0, -3) looking along +z: a world point at the origin is 3 m ahead.
    const cameraToWorld = fromRows([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -3, 0, 0, 0, 1]);
    const p = projectWorldPoint(K, worldToCameraOf(cameraToWorld), 0, 0, 0);
    expect(p.z).toBeCloseTo(3, 12);
    expect(p.u).toBeCloseTo(320, 12);
    const w = backprojectPixel(K, cameraToWorld, 320, 240, 3);
    expect([...w]).toEqual([0, 0, 0]);
  });

  it('back-projection inverts projection for random poses and pixels', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0, max: 639, noNaN: true }),
        fc.double({ min: 0, max: 479, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (q, t, u, v, d) => {
          fc.pre(Math.hypot(...q) > 0.1);
          const pose = fromQuaternion(q[0], q[1], q[2], q[3], t[0], t[1], t[2]);
          const w = backprojectPixel(K, pose, u, v, d);
          const p = projectWorldPoint(K, worldToCameraOf(pose), w[0], w[1], w[2]);
          expect(p.u).toBeCloseTo(u, 6);
          expect(p.v).toBeCloseTo(v, 6);
          expect(p.z).toBeCloseTo(d, 9);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('scales intrinsics with pixel centres at integers', () => {
    // Half resolution: pixel edges −0.5..639.5 → −0.5..319.5, so cx 319.5 → 159.5.
    const half = scaleIntrinsics({ ...K, cx: 319.5, cy: 239.5 }, 320, 240);
    expect(half).toEqual({ fx: 250, fy: 200, cx: 159.5, cy: 119.5, width: 320, height: 240 });
    // The same ray hits corresponding pixel positions at both resolutions.
    const full = projectWorldPoint({ ...K, cx: 319.5, cy: 239.5 }, identity(), 0.3, 0.2, 1.7);
    const small = projectWorldPoint(half, identity(), 0.3, 0.2, 1.7);
    expect(small.u).toBeCloseTo((full.u + 0.5) / 2 - 0.5, 12);
    expect(small.v).toBeCloseTo((full.v + 0.5) / 2 - 0.5, 12);
  });
});
