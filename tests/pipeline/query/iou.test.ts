import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boxIoU, boxVolume } from '../../../src/pipeline/query/iou';

describe('boxIoU', () => {
  it('matches hand-computed cases', () => {
    const unit = { min: [0, 0, 0], max: [1, 1, 1] };
    expect(boxIoU(unit, unit)).toBe(1);
    expect(boxIoU(unit, { min: [2, 0, 0], max: [3, 1, 1] })).toBe(0);
    expect(boxIoU(unit, { min: [1, 0, 0], max: [2, 1, 1] })).toBe(0); // touching faces
    // half overlap along x: inter 0.5, union 1.5
    expect(boxIoU(unit, { min: [0.5, 0, 0], max: [1.5, 1, 1] })).toBeCloseTo(1 / 3, 12);
    // contained: 0.125 / 1
    expect(boxIoU(unit, { min: [0, 0, 0], max: [0.5, 0.5, 0.5] })).toBeCloseTo(0.125, 12);
    // overlap in two axes: inter 0.25, union 1.75
    expect(boxIoU(unit, { min: [0.5, 0.5, 0], max: [1.5, 1.5, 1] })).toBeCloseTo(0.25 / 1.75, 12);
    expect(boxVolume({ min: [0, 0, 0], max: [2, 3, 4] })).toBe(24);
  });

  it('is 0 for degenerate or inverted boxes instead of NaN', () => {
    const flat = { min: [0, 0, 0], max: [1, 1, 0] };
    expect(boxIoU(flat, flat)).toBe(0);
    expect(boxIoU({ min: [1, 1, 1], max: [0, 0, 0] }, { min: [0, 0, 0], max: [1, 1, 1] })).toBe(0);
  });

  it('is symmetric, in [0, 1], and 1 only for identical boxes', () => {
    const coord = fc.double({ min: -10, max: 10, noNaN: true });
    const box = fc.tuple(coord, coord, coord, coord, coord, coord).map(([a, b, c, d, e, f]) => ({
      min: [Math.min(a, d), Math.min(b, e), Math.min(c, f)],
      max: [Math.max(a, d), Math.max(b, e), Math.max(c, f)],
    }));
    fc.assert(
      fc.property(box, box, (a, b) => {
        const iou = boxIoU(a, b);
        expect(iou).toBeGreaterThanOrEqual(0);
        expect(iou).toBeLessThanOrEqual(1 + 1e-12);
        expect(boxIoU(b, a)).toBeCloseTo(iou, 12);
      }),
      { numRuns: 2000 },
    );
  });
});
