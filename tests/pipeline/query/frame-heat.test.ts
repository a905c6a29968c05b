import { describe, expect, it } from 'vitest';
import { projectHeat } from '../../../src/pipeline/query/frame-heat';

const identity = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
const intr = { fx: 100, fy: 100, cx: 50, cy: 40, width: 101, height: 81 };

describe('projecting scores into a frame', () => {
  it('puts a point on the optical axis at the principal point, scaled into the range', () => {
    const heat = projectHeat(
      new Float32Array([0, 0, 2]),
      new Float32Array([0.75]),
      [0.5, 1],
      identity,
      intr,
      0,
    );
    expect(heat[40 * 101 + 50]).toBeCloseTo(0.5);
    expect(heat.filter((v) => v === v)).toHaveLength(1);
  });

  it('follows u = fx·x/z + cx with a translated camera (world → camera = inverse pose)', () => {
    // Camera at (1, 0, 0) looking down +z; a world point at (1.5, 0.2, 1) is (0.5, 0.2, 1) in it.
    const pose = new Float64Array([1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const heat = projectHeat(
      new Float32Array([1.5, 0.2, 1]),
      new Float32Array([1]),
      [0, 1],
      pose,
      intr,
      0,
    );
    expect(heat[(40 + 20) * 101 + (50 + 50)]).toBe(1);
  });

  it('drops points behind the camera and NaN scores; the nearest point wins a pixel', () => {
    const positions = new Float32Array([0, 0, -1, 0, 0, 1, 0, 0, 3, 0.1, 0, 1]);
    const scores = new Float32Array([1, 0.2, 0.9, NaN]);
    const heat = projectHeat(positions, scores, [0, 1], identity, intr, 0);
    expect(heat[40 * 101 + 50]).toBeCloseTo(0.2);
    expect(heat.filter((v) => v === v)).toHaveLength(1);
  });
});
