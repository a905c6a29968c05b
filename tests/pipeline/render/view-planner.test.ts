import { describe, expect, it } from 'vitest';
import { planViews } from '../../../src/pipeline/render/view-planner';
import type { PointCloud } from '../../../src/pipeline/scene/types';
import { syntheticRoom } from './synthetic-room';

/** Small and fast: unit tests plan small rooms at low resolution (integration tests: defaults). */
const SMALL = { width: 96, height: 72, planningWidth: 24, gridSpacingM: 0.7, yawSteps: 6 };

function cloudOf(positions: Float32Array): PointCloud {
  return { positions, colors: new Uint8Array(positions.length).fill(150) };
}

describe('view planner', () => {
  it('respects maxViews and says when the target is not reached', () => {
    const cloud = cloudOf(syntheticRoom(5, [4, 3.5, 2.5], true, 3));
    const plan = planViews(cloud, { ...SMALL, maxViews: 1 });
    expect(plan.views).toHaveLength(1);
    expect(plan.coverage).toBeLessThan(0.95);
    expect(plan.warnings.join(' ')).toMatch(/below the target/);
    // More views see more: greedy picks are nested.
    const two = planViews(cloud, { ...SMALL, maxViews: 2, verify: false });
    expect(Array.from(two.views[0].cameraToWorld)).toEqual(Array.from(plan.views[0].cameraToWorld));
  });

  it('circles an object scan that has no room around it', () => {
    // A lone 1 m box of points standing on nothing (an object scan, no bottom face).
    const pts: number[] = [];
    for (let i = 0; i <= 50; i++) {
      for (let j = 0; j <= 50; j++) {
        const a = i / 50;
        const b = j / 50;
        pts.push(a, b, 1, a, 0, b, a, 1, b, 0, a, b, 1, a, b);
      }
    }
    const plan = planViews(cloudOf(Float32Array.from(pts)), { ...SMALL, up: [0, 0, 1] });
    expect(plan.warnings.join(' ')).toMatch(/circle/);
    expect(plan.coverage).toBeGreaterThanOrEqual(0.95);
    for (const v of plan.views) {
      const m = v.cameraToWorld;
      // Outside the object, looking towards it.
      expect(Math.max(Math.abs(m[3] - 0.5), Math.abs(m[7] - 0.5))).toBeGreaterThan(0.5);
      expect(m[2] * (0.5 - m[3]) + m[6] * (0.5 - m[7])).toBeGreaterThan(0);
    }
  });
});
