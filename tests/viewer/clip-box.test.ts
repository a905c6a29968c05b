import { describe, expect, it } from 'vitest';
import {
  countInsideClipBox,
  insideClipBox,
  moveClipBound,
  type ClipBox,
} from '../../src/viewer/clip-box';

const bounds: ClipBox = { min: [-1, 0, 2], max: [1, 4, 3] };

describe('clip box', () => {
  it('counts points inside, faces included', () => {
    const box: ClipBox = { min: [0, 0, 0], max: [1, 1, 1] };
    const positions = new Float32Array([
      0.5, 0.5, 0.5, 1, 1, 1, 0, 0, 0, 1.01, 0.5, 0.5, 0.5, -0.2, 0.5,
    ]);
    expect(insideClipBox(box, 1, 0, 0.5)).toBe(true);
    expect(insideClipBox(box, 0.5, 0.5, 1.5)).toBe(false);
    expect(countInsideClipBox(box, positions)).toBe(3);
  });

  it('moves one face, clamped to the bounds and never past the opposite face', () => {
    const moved = moveClipBound(bounds, bounds, 1, 'min', 1.5);
    expect(moved).toEqual({ min: [-1, 1.5, 2], max: [1, 4, 3] });
    expect(moveClipBound(moved, bounds, 1, 'max', 1).max[1]).toBe(1.5);
    expect(moveClipBound(moved, bounds, 0, 'min', -7).min[0]).toBe(-1);
    expect(moveClipBound(moved, bounds, 2, 'max', 9).max[2]).toBe(3);
    // The input box is not changed.
    expect(bounds.min[1]).toBe(0);
  });
});
