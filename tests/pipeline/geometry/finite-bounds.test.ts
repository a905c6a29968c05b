import { describe, expect, it } from 'vitest';
import { finiteBounds } from '../../../src/pipeline/geometry/finite-bounds';

describe('finiteBounds', () => {
  const positions = Float32Array.from([1, -2, 3, NaN, 0, 0, -4, 5, 0.5, 2, Infinity, 1, 0, 0, 9]);

  it('spans the finite points and skips any point with a NaN or infinite coordinate', () => {
    expect(finiteBounds(positions)).toEqual({ lo: [-4, -2, 0.5], hi: [1, 5, 9], count: 3 });
  });

  it('counts only the listed points when given indices', () => {
    expect(finiteBounds(positions, [0, 1, 3])).toEqual({
      lo: [1, -2, 3],
      hi: [1, -2, 3],
      count: 1,
    });
  });

  it('reports no points for an empty or all-non-finite selection', () => {
    const none = finiteBounds(positions, [1, 3]);
    expect(none.count).toBe(0);
    expect(none.lo[0]).toBe(Infinity);
    expect(finiteBounds(new Float32Array(0)).count).toBe(0);
  });
});
