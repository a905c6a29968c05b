import { describe, expect, it } from 'vitest';
import { generateRoomLayout } from '../../src/demo-room/room-layout';
import { CAMERA_CLEARANCE_M, distanceToAabb, planViews } from '../../src/demo-room/view-planner';
import { projectWorldPoint, worldToCameraOf } from '../../src/pipeline/geometry/camera';
import { isRigid } from '../../src/pipeline/geometry/mat4';

describe('planViews', () => {
  it.each([1, 7, 19])(
    'seed %i: rigid OpenCV poses at 1.2–2.0 m, clear of furniture, looking at their targets',
    (seed) => {
      const layout = generateRoomLayout(seed);
      const views = planViews(layout, { count: 24, width: 320, height: 240, horizontalFovDeg: 65 });
      expect(views).toHaveLength(24);
      for (const v of views) {
        const m = v.cameraToWorld;
        expect(isRigid(m, 1e-9)).toBe(true);
        // The translation column is the eye.
        expect([m[3], m[7], m[11]]).toEqual(v.eye);
        expect(v.eye[2]).toBeGreaterThanOrEqual(1.2);
        expect(v.eye[2]).toBeLessThanOrEqual(2.0);
        for (const o of layout.objects) {
          expect(distanceToAabb(v.eye, o.aabb)).toBeGreaterThanOrEqual(CAMERA_CLEARANCE_M);
        }
        // Camera +y (down in the image) has a negative world z component: the image is upright.
        expect(m[9]).toBeLessThan(0);
        // Camera x (right) is horizontal: no roll.
        expect(Math.abs(m[8])).toBeLessThan(1e-12);
        // Looking down, by at most 45°: the optical axis (third column) points below the horizon.
        expect(m[10]).toBeLessThan(0);
        expect(m[10]).toBeGreaterThanOrEqual(-Math.SQRT1_2 - 1e-9);
        // The target projects to the principal point.
        const p = projectWorldPoint(v.intrinsics, worldToCameraOf(m), ...v.target);
        expect(p.z).toBeGreaterThan(0);
        expect(p.u).toBeCloseTo(v.intrinsics.cx, 6);
        expect(p.v).toBeCloseTo(v.intrinsics.cy, 6);
        // Inside the room.
        for (let k = 0; k < 3; k++) {
          expect(v.eye[k]).toBeGreaterThan(layout.interior.min[k]);
          expect(v.eye[k]).toBeLessThan(layout.interior.max[k]);
        }
      }
    },
  );

  it('every object gets a pair of adjacent views aimed at its box centre; odd counts work', () => {
    const layout = generateRoomLayout(4);
    // 22: one pair per object plus an extra pair; 25: extra pairs and an odd count.
    for (const count of [22, 25]) {
      const views = planViews(layout, { count, width: 320, height: 240, horizontalFovDeg: 65 });
      expect(views).toHaveLength(count);
      for (const o of layout.objects) {
        const centre = [0, 1, 2].map((k) => (o.aabb.min[k] + o.aabb.max[k]) / 2);
        const mine = views.flatMap((v, i) => (v.objectId === o.id ? [i] : []));
        expect(mine.length).toBeGreaterThanOrEqual(2);
        // Somewhere in the trajectory two consecutive views look at it.
        expect(mine.some((i) => mine.includes(i + 1))).toBe(true);
        for (const i of mine) expect(views[i].target).toEqual(centre);
      }
    }
  });

  it('intrinsics: pixel centres at integers, principal point at the image centre, the requested FOV', () => {
    const layout = generateRoomLayout(7);
    const [v] = planViews(layout, { count: 1, width: 320, height: 240, horizontalFovDeg: 90 });
    expect(v.intrinsics).toMatchObject({ width: 320, height: 240, cx: 159.5, cy: 119.5 });
    expect(v.intrinsics.fx).toBeCloseTo(160, 9); // tan(45°) = 1
    expect(v.intrinsics.fy).toBe(v.intrinsics.fx);
  });
});
