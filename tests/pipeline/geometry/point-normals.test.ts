import { describe, expect, it } from 'vitest';
import {
  estimateNormals,
  estimateSpacing,
  smallestEigenvector,
} from '../../../src/pipeline/geometry/point-normals';
import { mulberry32 } from '../../../src/pipeline/random';

/** A grid of `side`×`side` points spaced `step` on the plane through `origin` spanned by u, v. */
function planeGrid(origin: number[], u: number[], v: number[], side: number, step: number) {
  const out: number[] = [];
  for (let a = 0; a < side; a++)
    for (let b = 0; b < side; b++)
      for (let k = 0; k < 3; k++) out.push(origin[k] + a * step * u[k] + b * step * v[k]);
  return new Float32Array(out);
}

describe('smallestEigenvector', () => {
  it('finds the axis of the smallest diagonal entry', () => {
    const out = new Float32Array(3);
    smallestEigenvector(3, 0, 0, 1, 0, 2, out, 0);
    expect(Math.abs(out[1])).toBeCloseTo(1, 6);
    expect(out[0]).toBeCloseTo(0, 6);
    expect(out[2]).toBeCloseTo(0, 6);
  });

  it('finds (1, -1, 0)/√2 for [[2,1,0],[1,2,0],[0,0,5]] (eigenvalues 1, 3, 5)', () => {
    const out = new Float32Array(3);
    smallestEigenvector(2, 1, 0, 2, 0, 5, out, 0);
    const s = Math.sign(out[0]);
    expect(s * out[0]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(s * out[1]).toBeCloseTo(-Math.SQRT1_2, 5);
    expect(out[2]).toBeCloseTo(0, 6);
  });

  it('gives no normal for a multiple of the identity', () => {
    const out = new Float32Array([9, 9, 9]);
    smallestEigenvector(2, 0, 0, 2, 0, 2, out, 0);
    expect([...out]).toEqual([0, 0, 0]);
  });
});

describe('estimateNormals', () => {
  it('gives the plane normal at every point of a tilted plane, oriented toward up', () => {
    // Plane spanned by u = (1, 0, 1)/√2 and v = (0, 1, 0): normal ±(−1, 0, 1)/√2.
    const u = [Math.SQRT1_2, 0, Math.SQRT1_2];
    const positions = planeGrid([0.3, -1, 2], u, [0, 1, 0], 20, 0.05);
    const normals = estimateNormals(positions, { radius: 0.12, up: [0, 0, 1] });
    for (let i = 0; i < positions.length / 3; i++) {
      expect(normals[3 * i]).toBeCloseTo(-Math.SQRT1_2, 4);
      expect(normals[3 * i + 1]).toBeCloseTo(0, 4);
      expect(normals[3 * i + 2]).toBeCloseTo(Math.SQRT1_2, 4);
    }
  });

  it('faces the viewpoint when one is given', () => {
    const positions = planeGrid([0, 0, 0], [1, 0, 0], [0, 1, 0], 10, 0.1);
    const below = estimateNormals(positions, { radius: 0.25, viewpoint: [0.5, 0.5, -3] });
    const above = estimateNormals(positions, { radius: 0.25, viewpoint: [0.5, 0.5, 3] });
    for (let i = 0; i < positions.length / 3; i++) {
      expect(below[3 * i + 2]).toBeCloseTo(-1, 5);
      expect(above[3 * i + 2]).toBeCloseTo(1, 5);
    }
  });

  it('leaves (0, 0, 0) where a point has fewer than 3 neighbours', () => {
    const positions = new Float32Array([0, 0, 0, 0.01, 0, 0, 5, 5, 5]);
    expect([...estimateNormals(positions, { radius: 0.1 })]).toEqual(Array(9).fill(0));
  });

  it('uses only the max-nn nearest neighbours', () => {
    // A plane z = 0 with a far ring of points at z = 0.3 inside the radius: with all of them the
    // fit tilts, with the 8 nearest (all on the plane) it is exact.
    const pts: number[] = [0, 0, 0];
    for (let k = 0; k < 8; k++) {
      const a = (k * Math.PI) / 4;
      pts.push(0.05 * Math.cos(a), 0.05 * Math.sin(a), 0);
    }
    for (let k = 0; k < 3; k++) pts.push(0.4 * Math.cos(k), 0, 0.3);
    const positions = new Float32Array(pts);
    const near = estimateNormals(positions, { radius: 0.6, maxNeighbours: 9, up: [0, 0, 1] });
    expect(near[2]).toBeCloseTo(1, 5);
    const all = estimateNormals(positions, { radius: 0.6, maxNeighbours: 100, up: [0, 0, 1] });
    expect(all[2]).toBeLessThan(0.99);
  });
});

describe('estimateSpacing', () => {
  it('is the grid step for a regular grid', () => {
    const positions = planeGrid([1, 2, 3], [1, 0, 0], [0, 0, 1], 40, 0.02);
    expect(estimateSpacing(positions)).toBeCloseTo(0.02, 5);
  });

  it('scales with the cloud (jittered points)', () => {
    const r = mulberry32(4);
    const pts: number[] = [];
    for (let i = 0; i < 3000; i++) pts.push(r(), r(), 0);
    const a = estimateSpacing(new Float32Array(pts));
    const b = estimateSpacing(new Float32Array(pts.map((v) => v * 10)));
    expect(a).toBeGreaterThan(0);
    expect(b / a).toBeCloseTo(10, 3);
  });
});
