import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fromQuaternion,
  fromRows,
  identity,
  invert,
  invertRigid,
  isFiniteMatrix,
  isRigid,
  multiply,
  openGlToOpenCvCamera,
  toQuaternion,
  transformPoint,
} from '../../../src/pipeline/geometry/mat4';

// Rotation of 90° about z, then translation (1, 2, 3), written out by hand.
const rotZ90T = fromRows([0, -1, 0, 1, 1, 0, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1]);

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-12) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(eps);
}

describe('mat4', () => {
  it('transforms a point by a hand-computed rigid matrix', () => {
    // Rz(90)·(1,0,0) = (0,1,0); + t = (1,3,3)
    expectClose(transformPoint(rotZ90T, 1, 0, 0), [1, 3, 3]);
  });

  it('multiplies in the documented order (a·b applies b first)', () => {
    const translateX = fromRows([1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const ab = multiply(rotZ90T, translateX);
    // b: (0,0,0) → (5,0,0); a: → (0,5,0) + (1,2,3) = (1,7,3)
    expectClose(transformPoint(ab, 0, 0, 0), [1, 7, 3]);
  });

  it('inverts rigid and general matrices', () => {
    expectClose(multiply(rotZ90T, invertRigid(rotZ90T)), identity());
    expectClose(invertRigid(rotZ90T), invert(rotZ90T)!);
    const scaled = fromRows([2, 0, 0, 1, 0, 4, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 1]);
    expectClose(invert(scaled)!, [0.5, 0, 0, -0.5, 0, 0.25, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
    expect(invert(new Float64Array(16))).toBeUndefined();
  });

  it('builds rotations from quaternions (x, y, z, w order)', () => {
    const s = Math.SQRT1_2;
    expectClose(fromQuaternion(0, 0, s, s, 1, 2, 3), rotZ90T, 1e-12);
    // Unnormalised input is normalised.
    expectClose(fromQuaternion(0, 0, 2, 2, 1, 2, 3), rotZ90T, 1e-12);
    expect(isRigid(fromQuaternion(0, 0, 0, 0, 0, 0, 0))).toBe(false);
  });

  it('quaternion round trip on random rotations', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: -1, max: 1, noNaN: true }),
          fc.double({ min: -1, max: 1, noNaN: true }),
          fc.double({ min: -1, max: 1, noNaN: true }),
          fc.double({ min: -1, max: 1, noNaN: true }),
        ),
        ([x, y, z, w]) => {
          fc.pre(Math.hypot(x, y, z, w) > 0.1);
          const m = fromQuaternion(x, y, z, w, 0, 0, 0);
          expect(isRigid(m, 1e-9)).toBe(true);
          const q = toQuaternion(m);
          expectClose(fromQuaternion(...q, 0, 0, 0), m, 1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('detects non-finite and non-rigid matrices', () => {
    expect(isFiniteMatrix(rotZ90T)).toBe(true);
    const bad = Float64Array.from(rotZ90T);
    bad[5] = NaN;
    expect(isFiniteMatrix(bad)).toBe(false);
    expect(isRigid(bad)).toBe(false);
    const scaled = Float64Array.from(rotZ90T);
    scaled[0] = 2;
    expect(isRigid(scaled)).toBe(false);
    const mirrored = fromRows([-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(isRigid(mirrored)).toBe(false);
    expect(isRigid(rotZ90T)).toBe(true);
  });

  it('converts OpenGL camera axes to OpenCV by flipping camera y and z', () => {
    // An OpenGL camera at the origin looks down −z with y up; in OpenCV terms the same camera
    // looks down world −z with image-down = world −y.
    const cv = openGlToOpenCvCamera(identity());
    expectClose(transformPoint(cv, 0, 0, 1), [0, 0, -1]); // forward
    expectClose(transformPoint(cv, 0, 1, 0), [0, -1, 0]); // image down
    expectClose(transformPoint(cv, 1, 0, 0), [1, 0, 0]); // right
  });
});
