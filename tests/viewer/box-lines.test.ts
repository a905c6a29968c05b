import { describe, expect, it } from 'vitest';
import { VERTICES_PER_BOX, writeBoxLines } from '../../src/viewer/box-lines';

describe('box line buffer', () => {
  it('writes 12 axis-aligned edges of the box, each corner on exactly 3 edges', () => {
    const out = new Float32Array(2 * VERTICES_PER_BOX * 3).fill(-99);
    const min = [1, 2, 3];
    const max = [4, 6, 8];
    writeBoxLines(out, 1, min, max);
    // Box 0's slot is untouched.
    expect(out.subarray(0, VERTICES_PER_BOX * 3).every((v) => v === -99)).toBe(true);
    const v = out.subarray(VERTICES_PER_BOX * 3);
    const cornerUse = new Map<string, number>();
    const edgeLengths: number[] = [];
    for (let e = 0; e < 12; e++) {
      const a = Array.from(v.subarray(e * 6, e * 6 + 3));
      const b = Array.from(v.subarray(e * 6 + 3, e * 6 + 6));
      for (const p of [a, b]) {
        p.forEach((c, k) => expect([min[k], max[k]]).toContain(c));
        cornerUse.set(p.join(','), (cornerUse.get(p.join(',')) ?? 0) + 1);
      }
      const differing = [0, 1, 2].filter((k) => a[k] !== b[k]);
      expect(differing).toHaveLength(1);
      edgeLengths.push(Math.abs(a[differing[0]] - b[differing[0]]));
    }
    expect(cornerUse.size).toBe(8);
    expect([...cornerUse.values()].every((n) => n === 3)).toBe(true);
    expect(edgeLengths.sort()).toEqual([3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]);
  });
});
