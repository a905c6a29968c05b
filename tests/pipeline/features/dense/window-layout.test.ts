import { describe, expect, it } from 'vitest';
import { buildDenseFeatureMap } from '../../../../src/pipeline/features/dense/dense-feature-map';
import {
  planDenseWindows,
  windowCount,
} from '../../../../src/pipeline/features/dense/window-layout';
import { mulberry32 } from '../../../../src/pipeline/random';

const B32 = { rows: 7, cols: 7, patch: 32 };
const B16 = { rows: 14, cols: 14, patch: 16 };

describe('planDenseWindows', () => {
  it('tiles a 640×480 view with 6 windows of 224 px at 336 short side, stride 112 (hand-computed)', () => {
    const l = planDenseWindows(640, 480, B32, { shortSide: 336, stride: 112 });
    // 640·0.7 = 448, 480·0.7 = 336; x starts 0, 112, 224 (= 448 − 224); y starts 0, 112.
    expect([l.resizedWidth, l.resizedHeight]).toEqual([448, 336]);
    expect(l.cell).toBe(16); // gcd(32, 112, 224)
    expect([l.cellsX, l.cellsY]).toEqual([28, 21]);
    expect(Array.from(l.windows)).toEqual([0, 0, 112, 0, 224, 0, 0, 112, 112, 112, 224, 112]);
    expect(windowCount(l)).toBe(6);
  });

  it('puts the last window flush with the far edge and keeps every start on the cell grid', () => {
    for (const [w, h] of [
      [1296, 968],
      [320, 240],
      [512, 512],
      [1920, 1440],
      [333, 777],
    ]) {
      for (const grid of [B32, B16]) {
        for (const stride of [56, 112, 224]) {
          const l = planDenseWindows(w, h, grid, { shortSide: 336, stride });
          expect(l.resizedWidth % l.cell).toBe(0);
          expect(l.resizedHeight % l.cell).toBe(0);
          expect(Math.min(l.resizedWidth, l.resizedHeight)).toBeGreaterThanOrEqual(224);
          const xs = new Set<number>();
          const ys = new Set<number>();
          for (let i = 0; i < l.windows.length; i += 2) {
            xs.add(l.windows[i]);
            ys.add(l.windows[i + 1]);
            expect(l.windows[i] % l.cell).toBe(0);
            expect(l.windows[i + 1] % l.cell).toBe(0);
          }
          expect(Math.max(...xs) + 224).toBe(l.resizedWidth);
          expect(Math.max(...ys) + 224).toBe(l.resizedHeight);
          // Consecutive starts are at most one stride apart, so no pixel is left uncovered.
          const gaps = (s: Set<number>) => {
            const v = [...s].sort((a, b) => a - b);
            return v.slice(1).map((x, i) => x - v[i]);
          };
          for (const g of [...gaps(xs), ...gaps(ys)]) expect(g).toBeLessThanOrEqual(stride);
        }
      }
    }
  });

  it('refuses bad sizes, strides and grids with a message', () => {
    expect(() => planDenseWindows(0, 480, B32, { shortSide: 336, stride: 112 })).toThrow(/size/);
    expect(() => planDenseWindows(640, 480, B32, { shortSide: 100, stride: 112 })).toThrow(
      /short side/,
    );
    expect(() => planDenseWindows(640, 480, B32, { shortSide: 336, stride: 0 })).toThrow(/stride/);
    expect(() =>
      planDenseWindows(640, 480, { rows: 5, cols: 5, patch: 32 }, { shortSide: 336, stride: 112 }),
    ).toThrow(/tile/);
    expect(() => planDenseWindows(1e6, 3, B32, { shortSide: 336, stride: 112 })).toThrow(
      /too large/,
    );
  });
});

describe('buildDenseFeatureMap', () => {
  // Independent oracle: per cell, average every patch whose pixel square contains the cell's
  // pixel square (found by geometry, not by the index arithmetic under test).
  function oracle(
    l: ReturnType<typeof planDenseWindows>,
    patches: Float32Array,
    dim: number,
  ): Float64Array {
    const out = new Float64Array(l.cellsX * l.cellsY * dim);
    const per = l.grid.rows * l.grid.cols;
    for (let cy = 0; cy < l.cellsY; cy++) {
      for (let cx = 0; cx < l.cellsX; cx++) {
        const px = cx * l.cell + l.cell / 2;
        const py = cy * l.cell + l.cell / 2;
        const sum = new Float64Array(dim);
        for (let w = 0; w < l.windows.length / 2; w++) {
          const c = Math.floor((px - l.windows[w * 2]) / l.grid.patch);
          const r = Math.floor((py - l.windows[w * 2 + 1]) / l.grid.patch);
          if (c < 0 || r < 0 || c >= l.grid.cols || r >= l.grid.rows) continue;
          for (let d = 0; d < dim; d++)
            sum[d] += patches[(w * per + r * l.grid.cols + c) * dim + d];
        }
        const norm = Math.hypot(...sum);
        for (let d = 0; d < dim; d++) out[(cy * l.cellsX + cx) * dim + d] = sum[d] / norm;
      }
    }
    return out;
  }

  it('averages the overlapping patches of every window per cell (B/32 and B/16, 3 seeds)', () => {
    for (const seed of [1, 2, 3]) {
      for (const grid of [B32, B16]) {
        const random = mulberry32(seed);
        const dim = 5;
        const l = planDenseWindows(640, 480, grid, { shortSide: 336, stride: 112 });
        const patches = Float32Array.from(
          { length: windowCount(l) * grid.rows * grid.cols * dim },
          () => random() * 2 - 1,
        );
        const map = buildDenseFeatureMap(l, patches, dim);
        const want = oracle(l, patches, dim);
        expect([map.cellsX, map.cellsY, map.dim]).toEqual([28, 21, dim]);
        let maxErr = 0;
        for (let i = 0; i < want.length; i++)
          maxErr = Math.max(maxErr, Math.abs(map.features[i] - want[i]));
        expect(maxErr).toBeLessThan(1e-5);
        // Cells in colour-image pixels: 16 resized px = 16/0.7 source px.
        expect(map.cellWidth).toBeCloseTo(16 / 0.7, 9);
        expect(map.cellHeight).toBeCloseTo(16 / 0.7, 9);
      }
    }
  });

  it('projects onto a basis like the crop map does, and checks the input length', () => {
    const l = planDenseWindows(320, 240, B32, { shortSide: 224, stride: 224 });
    // 320×240 at short side 224: 298.7 × 224, snapped to the 16-px cell → 304 × 224.
    const dim = 3;
    const patches = new Float32Array(windowCount(l) * 49 * dim);
    for (let i = 0; i < patches.length; i += 3) patches[i] = 1;
    const basis = { rows: Float32Array.from([0, 0, 1, 1, 0, 0]), count: 2 };
    const map = buildDenseFeatureMap(l, patches, dim, basis);
    expect(map.dim).toBe(2);
    for (let c = 0; c < map.cellsX * map.cellsY; c++) {
      expect(map.features[c * 2]).toBe(0);
      expect(map.features[c * 2 + 1]).toBeCloseTo(1, 6);
    }
    expect(() => buildDenseFeatureMap(l, patches.subarray(1), dim)).toThrow(/windows/);
  });
});
