import { describe, expect, it } from 'vitest';
import { strideIndices } from '../../src/viewer/frustum-stride';

describe('strideIndices', () => {
  it('keeps every frame when they fit', () => {
    expect(strideIndices(5, 60)).toEqual([0, 1, 2, 3, 4]);
    expect(strideIndices(0, 60)).toEqual([]);
  });

  it('strides evenly from the first to the last frame', () => {
    // 101 frames into 11: every 10th.
    expect(strideIndices(101, 11)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const picked = strideIndices(700, 60);
    expect(picked).toHaveLength(60);
    expect(new Set(picked).size).toBe(60);
    const gaps = picked.slice(1).map((v, k) => v - picked[k]);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
  });

  it('adds the frame on show when the stride skips it, in order', () => {
    expect(strideIndices(101, 11, 15)).toEqual([0, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(strideIndices(101, 11, 20)).toHaveLength(11);
    expect(strideIndices(10, 1, 7)).toEqual([0, 7]);
  });
});
