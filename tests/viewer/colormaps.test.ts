import { describe, expect, it } from 'vitest';
import { colormapCss, colormapLut } from '../../src/viewer/colormaps';

const rgbAt = (lut: Uint8Array, i: number) => Array.from(lut.subarray(i * 4, i * 4 + 3));
const luma = ([r, g, b]: number[]) => 0.299 * r + 0.587 * g + 0.114 * b;

describe('colour maps', () => {
  it('are 256 opaque RGBA entries', () => {
    for (const name of ['viridis', 'turbo'] as const) {
      const lut = colormapLut(name);
      expect(lut.length).toBe(256 * 4);
      for (let i = 0; i < 256; i++) expect(lut[i * 4 + 3]).toBe(255);
    }
  });

  it("viridis matches matplotlib's table at the ends and the middle within 5 levels", () => {
    const lut = colormapLut('viridis');
    // matplotlib viridis entries 0, 128 and 255, scaled to 0..255.
    const published: [number, number[]][] = [
      [0, [68, 1, 84]],
      [128, [33, 145, 140]],
      [255, [253, 231, 37]],
    ];
    for (const [i, want] of published) {
      rgbAt(lut, i).forEach((c, k) => expect(Math.abs(c - want[k])).toBeLessThanOrEqual(5));
    }
    // Perceptual ramp: brightness rises monotonically.
    for (let i = 8; i < 256; i += 8)
      expect(luma(rgbAt(lut, i))).toBeGreaterThan(luma(rgbAt(lut, i - 8)));
  });

  it('turbo (polynomial approximation) runs dark blue → green → dark red', () => {
    const lut = colormapLut('turbo');
    const [r0, , b0] = rgbAt(lut, 0);
    expect(luma(rgbAt(lut, 0))).toBeLessThan(60);
    expect(b0).toBeGreaterThanOrEqual(r0 - 10);
    const [rm, gm, bm] = rgbAt(lut, 128);
    expect(gm).toBeGreaterThan(rm);
    expect(gm).toBeGreaterThan(bm);
    const [r1, g1, b1] = rgbAt(lut, 255);
    expect(r1).toBeGreaterThan(2 * g1);
    expect(r1).toBeGreaterThan(2 * b1);
    // The hottest end is brighter than the coldest (reads as "more").
    expect(luma(rgbAt(lut, 200))).toBeGreaterThan(luma(rgbAt(lut, 0)));
  });

  it('the legend gradient is drawn from the same table', () => {
    const lut = colormapLut('viridis');
    expect(colormapCss('viridis', 2)).toBe(
      `linear-gradient(to right, rgb(${rgbAt(lut, 0).join(',')}) 0.0%, rgb(${rgbAt(lut, 255).join(',')}) 100.0%)`,
    );
  });
});
