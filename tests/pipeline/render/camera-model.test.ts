import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/pipeline/errors';
import {
  backprojectPixel,
  projectWorldPoint,
  worldToCameraOf,
} from '../../../src/pipeline/geometry/camera';
import { isRigid } from '../../../src/pipeline/geometry/mat4';
import { mulberry32 } from '../../../src/pipeline/random';
import {
  checkImageSize,
  intrinsicsFromFov,
  lookAtPose,
} from '../../../src/pipeline/render/camera-model';
import { SceneRenderer } from '../../../src/pipeline/render/scene-renderer';
import type { Vec3 } from '../../../src/pipeline/render/types';
import { boxMesh, pixelRay, rayBox } from './analytic-scenes';

describe('render cameras', () => {
  it('builds intrinsics whose outer pixel edges sit at ± half the field of view', () => {
    const k = intrinsicsFromFov(512, 512, 90);
    expect(k.fx).toBeCloseTo(256, 9);
    expect(k.fy).toBe(k.fx);
    expect([k.cx, k.cy]).toEqual([255.5, 255.5]);
    const wide = intrinsicsFromFov(640, 480, 65);
    // Left edge of pixel 0 is u = −0.5; its ray makes the half angle with the optical axis.
    expect((Math.atan((-0.5 - wide.cx) / wide.fx) * 180) / Math.PI).toBeCloseTo(-32.5, 9);
    expect(wide.cy).toBe(239.5);
  });

  it('refuses zero, fractional, negative and oversized images with a typed error', () => {
    for (const [w, h] of [
      [0, 10],
      [10, 0],
      [-4, 4],
      [4.5, 4],
      [NaN, 4],
      [100_000, 100_000],
    ]) {
      expect(() => checkImageSize(w, h)).toThrow(UnsupportedError);
      expect(() => intrinsicsFromFov(w, h, 90)).toThrow(UnsupportedError);
    }
    expect(() => intrinsicsFromFov(8, 8, 0)).toThrow(UnsupportedError);
    expect(() => intrinsicsFromFov(8, 8, 180)).toThrow(UnsupportedError);
  });

  it('makes rigid look-at poses in OpenCV axes for any up axis, without roll', () => {
    const r = mulberry32(1);
    for (const up of [
      [0, 0, 1],
      [0, 1, 0],
      [0, -1, 0],
      [1, 0, 0],
    ] as Vec3[]) {
      for (let trial = 0; trial < 20; trial++) {
        const eye: Vec3 = [r() * 4 - 2, r() * 4 - 2, r() * 4 - 2];
        const target: Vec3 = [r() * 4 - 2, r() * 4 - 2, r() * 4 - 2];
        const m = lookAtPose(eye, target, up);
        expect(isRigid(m, 1e-9)).toBe(true);
        const f = [target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]];
        const n = Math.hypot(...f);
        // Column 2 (camera +z) is the viewing direction, column 3 the eye.
        for (let row = 0; row < 3; row++) {
          expect(m[row * 4 + 2]).toBeCloseTo(f[row] / n, 9);
          expect(m[row * 4 + 3]).toBeCloseTo(eye[row], 12);
        }
        // Camera +x (right) is horizontal; camera +y (down) points against up.
        expect(m[0] * up[0] + m[4] * up[1] + m[8] * up[2]).toBeCloseTo(0, 9);
        expect(m[1] * up[0] + m[5] * up[1] + m[9] * up[2]).toBeLessThanOrEqual(1e-12);
      }
    }
    // Straight down along up still gives a rigid pose; coincident points are refused.
    expect(isRigid(lookAtPose([0, 0, 2], [0, 0, 0], [0, 0, 1]), 1e-9)).toBe(true);
    expect(() => lookAtPose([1, 1, 1], [1, 1, 1], [0, 0, 1])).toThrow(UnsupportedError);
  });

  it('round-trips its pose: a surface point projected with the returned camera lands on the pixel showing it', () => {
    const min: Vec3 = [-0.6, -0.4, 0];
    const max: Vec3 = [0.5, 0.7, 0.9];
    const mesh = boxMesh(min, max, 5);
    const renderer = SceneRenderer.fromCloud(mesh);
    const k = { ...intrinsicsFromFov(240, 180, 70), cx: 110.3, cy: 97.8 }; // off-centre on purpose
    const r = mulberry32(2);
    for (let view = 0; view < 4; view++) {
      const eye: Vec3 = [2 * Math.cos(view * 1.7), 2 * Math.sin(view * 1.7), 1.3 + r()];
      const images = renderer.render({
        intrinsics: k,
        cameraToWorld: lookAtPose(eye, [0, 0.1, 0.4], [0, 0, 1]),
      });
      const w2c = worldToCameraOf(images.cameraToWorld);
      let checked = 0;
      for (let trial = 0; trial < 1000; trial++) {
        // A random point on a random face of the box.
        const axis = Math.floor(r() * 3);
        const p: Vec3 = [0, 0, 0];
        for (let a = 0; a < 3; a++) p[a] = min[a] + r() * (max[a] - min[a]);
        p[axis] = r() < 0.5 ? min[axis] : max[axis];
        const proj = projectWorldPoint(images.intrinsics, w2c, p[0], p[1], p[2]);
        const u = Math.round(proj.u);
        const v = Math.round(proj.v);
        if (!(proj.z > 0 && u >= 1 && u < k.width - 1 && v >= 1 && v < k.height - 1)) continue;
        // Visible if the exact ray through it meets the box first at its depth (analytic).
        const [o, d] = pixelRay(images.intrinsics, images.cameraToWorld, proj.u, proj.v);
        if (Math.abs(rayBox(o, d, min, max) - proj.z) > 1e-6) continue;
        // Faces seen within 60° of head-on: the pixel centre is ≤ 0.71 px from the projection,
        // i.e. ≤ 0.71·z/f / cos 60° ≈ 1.4 pixel footprints along the face.
        if (Math.abs(d[axis]) / Math.hypot(...d) < 0.5) continue;
        const footprint = (proj.z / k.fx) * 3;
        // Skip points whose nearest pixel centre sees past a silhouette edge.
        const [oc, dc] = pixelRay(images.intrinsics, images.cameraToWorld, u, v);
        if (!(Math.abs(rayBox(oc, dc, min, max) - proj.z) < footprint)) continue;
        const depth = images.depth[v * k.width + u];
        expect(depth).toBeGreaterThan(0);
        const back = backprojectPixel(images.intrinsics, images.cameraToWorld, u, v, depth);
        expect(Math.hypot(back[0] - p[0], back[1] - p[1], back[2] - p[2])).toBeLessThan(footprint);
        checked++;
      }
      expect(checked).toBeGreaterThan(60);
    }
  });
});
