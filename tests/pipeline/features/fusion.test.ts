import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  FusionAccumulator,
  roundHalfEven,
  type FeatureMap,
  type FusionView,
} from '../../../src/pipeline/features/fusion';
import { computeMappingReference, fuseReference } from './fusion-reference';
import type { DepthImage, Intrinsics } from '../../../src/pipeline/scene/types';
import { BudgetError, UnsupportedError } from '../../../src/pipeline/errors';

const W = 640;
const H = 480;
const K: Intrinsics = { fx: 500, fy: 500, cx: 320, cy: 240, width: W, height: H };

function identityPose(): Float64Array {
  return Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
}
function translation(tx: number, ty: number, tz: number): Float64Array {
  return Float64Array.from([1, 0, 0, tx, 0, 1, 0, ty, 0, 0, 1, tz, 0, 0, 0, 1]);
}
function flatDepth(metres: number, width = W, height = H): DepthImage {
  return {
    width,
    height,
    data: new Uint16Array(width * height).fill(Math.round(metres * 1000)),
    depthScale: 1000,
    invalidValues: [0, 65535],
  };
}
/** One cell per 32 px; cell c has feature [c, 1] so the cell read is visible in the result. */
function cellMap(width = W, height = H, cell = 32): FeatureMap {
  const cellsX = Math.ceil(width / cell);
  const cellsY = Math.ceil(height / cell);
  const features = new Float32Array(cellsX * cellsY * 2);
  for (let c = 0; c < cellsX * cellsY; c++) {
    features[c * 2] = c;
    features[c * 2 + 1] = 1;
  }
  return { cellsX, cellsY, cellWidth: cell, cellHeight: cell, dim: 2, features };
}
function view(pose: Float64Array, depth: DepthImage, map = cellMap(), name = 'v'): FusionView {
  return {
    name,
    cameraToWorld: pose,
    depthIntrinsics: K,
    colorIntrinsics: K,
    depth,
    featureMap: map,
  };
}
/** World point that projects to pixel (u, v) at depth z for the identity camera. */
function pointAt(u: number, v: number, z: number): number[] {
  return [((u - K.cx) * z) / K.fx, ((v - K.cy) * z) / K.fy, z];
}

describe('OpenScene rules on hand-made cases', () => {
  it('front, behind, occluded, border, invalid depth', () => {
    const depth = flatDepth(2);
    // Invalid depth in a block around pixel (100, 100); 65535 (7-Scenes) too at (200, 100).
    for (let v = 90; v < 110; v++) for (let u = 90; u < 110; u++) depth.data[v * W + u] = 0;
    for (let v = 90; v < 110; v++) for (let u = 190; u < 210; u++) depth.data[v * W + u] = 65535;
    const pts = [
      pointAt(320, 240, 2), // 0 front, on the surface → seen
      pointAt(320, 240, 2.49), // 1 behind the surface by 0.49 ≤ 0.25·2 → seen (OpenScene tolerance)
      pointAt(320, 240, 2.51), // 2 occluded: |2 − 2.51| > 0.5
      pointAt(320, 240, 1.49), // 3 in front of the surface by > 0.5 → rejected too
      [0, 0, -2], // 4 behind the camera
      pointAt(9, 240, 2), // 5 column 9 < 10 px border
      pointAt(10, 240, 2), // 6 column 10 → inside
      pointAt(629, 240, 2), // 7 column 629 = W − 11 → inside
      pointAt(630, 240, 2), // 8 column 630 ≥ W − 10 → border
      pointAt(100, 100, 2), // 9 invalid depth 0
      pointAt(200, 100, 2), // 10 invalid depth 65535
      pointAt(320, 469, 2), // 11 row 469 = H − 11 → inside
      pointAt(320, 470, 2), // 12 row 470 → border
    ];
    const positions = Float32Array.from(pts.flat());
    const acc = new FusionAccumulator(positions, 2);
    acc.addView(view(identityPose(), depth));
    const seen = Array.from(acc.viewCounts);
    expect(seen).toEqual([1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0]);
    const mapping = computeMappingReference(positions, identityPose(), K, depth);
    expect(Array.from({ length: pts.length }, (_, i) => mapping[i * 3 + 2])).toEqual(seen);
  });

  it('rounds projections half to even like np.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 9.5, 10.5, 10.49].map(roundHalfEven)).toEqual([
      0, 2, 2, -0, -2, 10, 10, 10,
    ]);
    // Pixel 9.5 rounds to 10 (inside), 10.5 rounds to 10 as well; 8.5 → 8 (border).
    const pts = [pointAt(9.5, 240, 2), pointAt(8.5, 240, 2), pointAt(630.5, 240, 2)];
    const acc = new FusionAccumulator(Float32Array.from(pts.flat()), 2);
    acc.addView(view(identityPose(), flatDepth(2)));
    expect(Array.from(acc.viewCounts)).toEqual([1, 0, 0]);
  });

  it('scales the 10 px border with the depth width (5 px at 320)', () => {
    const small: Intrinsics = { fx: 250, fy: 250, cx: 160, cy: 120, width: 320, height: 240 };
    const pts = [4, 5].map((u) => [((u - 160) * 2) / 250, 0, 2]);
    const acc = new FusionAccumulator(Float32Array.from(pts.flat()), 2);
    acc.addView({
      name: 'small',
      cameraToWorld: identityPose(),
      depthIntrinsics: small,
      colorIntrinsics: small,
      depth: flatDepth(2, 320, 240),
      featureMap: cellMap(320, 240),
    });
    expect(Array.from(acc.viewCounts)).toEqual([0, 1]);
  });

  it('takes the exact mean over the passing views and counts them', () => {
    // Point at world (0, 0, 2); three cameras translated along x see it at different pixels.
    const positions = Float32Array.from([0, 0, 2, 5, 5, -50]);
    const acc = new FusionAccumulator(positions, 2);
    const poses = [identityPose(), translation(0.5, 0, 0), translation(-0.4, 0.3, 0)];
    // By hand: camera x = −tx, u = 500·(−tx)/2 + 320, v = 500·(−ty)/2 + 240, so the pixels are
    // (320, 240), (195, 240), (420, 165); with 32 px cells, 20 per row: cells 150, 146, 113.
    const cells = [7 * 20 + 10, 7 * 20 + 6, 5 * 20 + 13];
    const map = cellMap();
    poses.forEach((p, i) => {
      acc.addView(view(p, flatDepth(2), map));
      // Each view alone reads its own cell.
      const single = new FusionAccumulator(positions, 2);
      single.addView(view(p, flatDepth(2), map));
      expect(single.finish()[0], `view ${i}`).toBe(cells[i]);
    });
    // An occluding view: the surface is at 1 m, so it does not count.
    acc.addView(view(identityPose(), flatDepth(1), map));
    const features = acc.finish();
    expect(Array.from(acc.viewCounts)).toEqual([3, 0]);
    expect(features[0]).toBe(Math.fround((cells[0] + cells[1] + cells[2]) / 3)); // float32 sum, one division
    expect(features[1]).toBe(1);
    expect([features[2], features[3]]).toEqual([0, 0]); // unseen stays zero
  });

  it('reads the feature cell through the colour intrinsics when they differ from depth', () => {
    const color: Intrinsics = { fx: 1000, fy: 1000, cx: 640, cy: 480, width: 1280, height: 960 };
    const positions = Float32Array.from(pointAt(400, 300, 2));
    const acc = new FusionAccumulator(positions, 2);
    const map = cellMap(1280, 960);
    acc.addView({ ...view(identityPose(), flatDepth(2), map), colorIntrinsics: color });
    // Colour pixel (800, 600) → cell (25, 18).
    expect(acc.finish()[0]).toBe(18 * map.cellsX + 25);
  });

  it('rejects NaN poses and budgets with clear errors', () => {
    const acc = new FusionAccumulator(Float32Array.from([0, 0, 1]), 2);
    const bad = identityPose();
    bad[5] = NaN;
    expect(() => acc.addView(view(bad, flatDepth(2), cellMap(), 'frame-7'))).toThrow(
      /frame-7.*non-finite/,
    );
    expect(() => new FusionAccumulator(new Float32Array(3000), 512, undefined, 1000)).toThrow(
      BudgetError,
    );
    const wrongSize = flatDepth(2);
    wrongSize.data = new Uint16Array(10);
    expect(() => acc.addView(view(identityPose(), wrongSize))).toThrow(UnsupportedError);
  });
});

describe('against OpenScene compute_mapping run by numpy (fixture)', () => {
  const fixture = JSON.parse(
    readFileSync(path.resolve(__dirname, '../../fixtures/features/openscene-mapping.json'), 'utf8'),
  ) as {
    width: number;
    height: number;
    intrinsics: Intrinsics;
    depthScale: number;
    cases: { cameraToWorld: number[]; points: number[]; depthRaw: number[]; mapping: number[] }[];
  };
  it('gives exactly the same mapping (row, col, mask) for every point', () => {
    for (const c of fixture.cases) {
      const depth: DepthImage = {
        width: fixture.width,
        height: fixture.height,
        data: Uint16Array.from(c.depthRaw),
        depthScale: fixture.depthScale,
        invalidValues: [0],
      };
      const positions = Float32Array.from(c.points);
      const pose = Float64Array.from(c.cameraToWorld);
      const mapping = computeMappingReference(positions, pose, fixture.intrinsics, depth);
      expect(Array.from(mapping)).toEqual(c.mapping);
      const acc = new FusionAccumulator(positions, 2);
      acc.addView({
        name: 'fixture',
        cameraToWorld: pose,
        depthIntrinsics: fixture.intrinsics,
        colorIntrinsics: fixture.intrinsics,
        depth,
        featureMap: cellMap(fixture.width, fixture.height, 1),
      });
      const mask = c.mapping.filter((_, i) => i % 3 === 2);
      expect(Array.from(acc.viewCounts)).toEqual(mask);
      const feats = acc.finish();
      for (let i = 0; i < mask.length; i++) {
        if (!mask[i]) continue;
        // 1-px cells: the feature read is the pixel OpenScene maps the point to.
        expect(feats[i * 2]).toBe(c.mapping[i * 3] * fixture.width + c.mapping[i * 3 + 1]);
      }
    }
  });
});

describe('fast fusion equals the reference implementation', () => {
  it('on random points and cameras', () => {
    let seed = 3;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const n = 3000;
    const positions = Float32Array.from({ length: n * 3 }, (_, i) =>
      i % 3 === 2 ? 1 + rand() * 3 : rand() * 4 - 2,
    );
    const views: FusionView[] = [];
    for (let v = 0; v < 6; v++) {
      const depth = flatDepth(2 + rand());
      for (let p = 0; p < depth.data.length; p += 7)
        depth.data[p] = rand() < 0.2 ? 0 : 1000 + Math.floor(rand() * 3000);
      const pose = translation(rand() - 0.5, rand() - 0.5, rand() - 0.5);
      views.push(view(pose, depth, cellMap(W, H, 16), `v${v}`));
    }
    const acc = new FusionAccumulator(positions, 2);
    for (const v of views) acc.addView(v);
    const fast = acc.finish();
    const ref = fuseReference(positions, views, 2);
    expect(Array.from(acc.viewCounts)).toEqual(Array.from(ref.viewCounts));
    expect(Array.from(fast)).toEqual(Array.from(ref.features));
    expect(acc.pointViewsPassed).toBeGreaterThan(100);
  });

  it('with chunk culling active: wide clouds, rotated cameras, far/behind/outside points, a NaN point', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const n = 40_000;
    const positions = Float32Array.from({ length: n * 3 }, () => rand() * 20 - 10);
    positions[5 * 3] = NaN;
    const views: FusionView[] = [];
    for (let v = 0; v < 8; v++) {
      const a = rand() * 2 * Math.PI;
      const c = Math.cos(a);
      const s = Math.sin(a);
      // Rotation about the world y axis, camera somewhere in the cloud.
      const pose = Float64Array.from([
        c,
        0,
        s,
        rand() * 4 - 2,
        0,
        1,
        0,
        rand() * 4 - 2,
        -s,
        0,
        c,
        rand() * 4 - 2,
        0,
        0,
        0,
        1,
      ]);
      const depth = flatDepth(1);
      for (let p = 0; p < depth.data.length; p++)
        depth.data[p] = Math.floor(p / W / 40) % 5 === 0 ? 0 : 500 + ((p * 7919) % 9000);
      views.push(view(pose, depth, cellMap(W, H, 16), `r${v}`));
    }
    const acc = new FusionAccumulator(positions, 2);
    for (const v of views) acc.addView(v);
    const fast = acc.finish();
    const ref = fuseReference(positions, views, 2);
    expect(acc.pointViewsCulled).toBeGreaterThan(0);
    expect(acc.pointViewsPassed).toBeGreaterThan(50);
    expect(Array.from(acc.viewCounts)).toEqual(Array.from(ref.viewCounts));
    expect(Array.from(fast)).toEqual(Array.from(ref.features));
  });
});
