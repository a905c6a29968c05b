import { describe, expect, it } from 'vitest';
import {
  buildFeatureMap,
  fuseCropEmbeddings,
  planCrops,
} from '../../../src/pipeline/features/pixel-features';
import { UnsupportedError } from '../../../src/pipeline/errors';

describe('planCrops', () => {
  it('tiles the whole image at every scale with the requested overlap, snapped to cells', () => {
    const layout = planCrops(640, 480, {
      cropScales: [0.5, 0.25],
      cropOverlap: 0.5,
      cellFraction: 1 / 32,
    });
    expect(layout.cellSize).toBe(15); // round(480/32)
    expect(layout.cellsX).toBe(43); // ceil(640/15)
    expect(layout.cellsY).toBe(32);
    const tiles = layout.cellRects.length / 4;
    for (const scale of [0, 1]) {
      // Every cell is covered by ≥ 1 tile of each scale.
      const cover = new Uint16Array(layout.cellsX * layout.cellsY);
      for (let t = 0; t < tiles; t++) {
        if (layout.scaleOf[t] !== scale) continue;
        const [x0, y0, x1, y1] = layout.cellRects.subarray(t * 4, t * 4 + 4);
        expect(x1 - x0).toBe(scale === 0 ? 16 : 8); // 0.5·480/15 = 16 cells, 0.25 → 8
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) cover[y * layout.cellsX + x]++;
      }
      expect(Math.min(...cover)).toBeGreaterThanOrEqual(1);
    }
    // Pixel rects stay inside the image.
    for (const r of layout.rects) {
      expect(r.x + r.width).toBeLessThanOrEqual(640);
      expect(r.y + r.height).toBeLessThanOrEqual(480);
    }
    // Half-tile overlap: neighbouring tiles of scale 1 start 4 cells apart.
    const xs = [
      ...new Set(
        Array.from({ length: tiles }, (_, t) => t)
          .filter((t) => layout.scaleOf[t] === 1)
          .map((t) => layout.cellRects[t * 4]),
      ),
    ];
    expect(xs.slice(0, 3)).toEqual([0, 4, 8]);
    expect(xs[xs.length - 1]).toBe(43 - 8); // last tile flush with the edge
  });
  it('rejects bad options', () => {
    expect(() => planCrops(640, 480, { cropScales: [0] })).toThrow(UnsupportedError);
    expect(() => planCrops(640, 480, { cropOverlap: 1 })).toThrow(UnsupportedError);
    expect(() => planCrops(0, 480)).toThrow(UnsupportedError);
  });
});

describe('fuseCropEmbeddings', () => {
  it('weights by softmax of cos(g, l_i) and renormalises', () => {
    const g = Float32Array.from([1, 0]);
    const locals = Float32Array.from([1, 0, 0, 1]); // cos = 1 and 0
    const f = fuseCropEmbeddings(g, locals, 2);
    const w0 = Math.exp(1) / (Math.exp(1) + Math.exp(0));
    const w1 = 1 - w0;
    // crop 0: w0·g + (1−w0)·l0 = [1, 0]
    expect(f[0]).toBeCloseTo(1, 6);
    expect(f[1]).toBeCloseTo(0, 6);
    // crop 1: w1·[1,0] + (1−w1)·[0,1], normalised
    const n = Math.hypot(w1, 1 - w1);
    expect(f[2]).toBeCloseTo(w1 / n, 6);
    expect(f[3]).toBeCloseTo((1 - w1) / n, 6);
  });
});

describe('buildFeatureMap', () => {
  it('sums the covering crops per cell and normalises; projects onto a basis', () => {
    const layout = planCrops(4, 2, { cropScales: [1, 0.5], cropOverlap: 0, cellFraction: 0.5 });
    // cell 1 px; scale 1 → one 2×2 tile at x 0 and 2 (flush); scale 0.5 → 1×1 tiles.
    const tiles = layout.cellRects.length / 4;
    const dim = 3;
    const crops = new Float32Array(tiles * dim);
    for (let t = 0; t < tiles; t++) crops[t * dim + (layout.scaleOf[t] === 0 ? 0 : 1)] = 1;
    const map = buildFeatureMap(layout, crops, dim);
    expect([map.cellsX, map.cellsY]).toEqual([4, 2]);
    // Each cell: one big tile [1,0,0] + one small tile [0,1,0] → normalised [0.707, 0.707, 0].
    for (let c = 0; c < 8; c++) {
      expect(map.features[c * 3]).toBeCloseTo(Math.SQRT1_2, 6);
      expect(map.features[c * 3 + 1]).toBeCloseTo(Math.SQRT1_2, 6);
      expect(map.features[c * 3 + 2]).toBe(0);
    }
    const projected = buildFeatureMap(layout, crops, dim, {
      rows: Float32Array.from([0, 1, 0]),
      count: 1,
    });
    expect(projected.dim).toBe(1);
    expect(projected.features[0]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});
