import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/pipeline/errors';
import { intrinsicsFromFov, lookAtPose } from '../../../src/pipeline/render/camera-model';
import {
  renderedFrames,
  type CachedRender,
  type RenderCache,
} from '../../../src/pipeline/render/rendered-frames';
import type { Vec3 } from '../../../src/pipeline/render/types';
import type { Scene } from '../../../src/pipeline/scene/types';
import { boxMesh, pixelRay, rayBox } from './analytic-scenes';

const UP: Vec3 = [0, 0, 1];

function meshRoomScene(): Scene {
  const min: Vec3 = [-2, -1.5, 0];
  const max: Vec3 = [2.5, 2, 2.7];
  const mesh = boxMesh(min, max, 4);
  const vertices = mesh.positions.length / 3;
  // Instance id per vertex: which face of the room (6 faces, equal vertex counts).
  const instanceIds = new Int32Array(vertices);
  for (let i = 0; i < vertices; i++) instanceIds[i] = Math.floor(i / (vertices / 6));
  return {
    name: 'mesh-room',
    format: 'ply',
    cloud: { ...mesh, instanceIds },
    frames: [],
    warnings: [],
  };
}

describe('rendered frames', () => {
  it('are ordinary RGB-D frames: exact camera, Uint16 depth with a scale, instance ids', async () => {
    const scene = meshRoomScene();
    const k = intrinsicsFromFov(64, 48, 90);
    const views = [0, 1, 2].map((i) => ({
      name: `v${i}`,
      intrinsics: k,
      cameraToWorld: lookAtPose([0.2 * i, 0.1, 1.5], [2, 1 - i, 1.2], UP),
    }));
    const frames = renderedFrames(scene, { views }, { depthScale: 4000 });
    expect(frames.map((f) => f.name)).toEqual(['v0', 'v1', 'v2']);
    for (const [i, f] of frames.entries()) {
      expect(f.index).toBe(i);
      expect(f.intrinsics).toEqual(k);
      expect(f.depthIntrinsics).toEqual(k);
      expect(Array.from(f.cameraToWorld)).toEqual(Array.from(views[i].cameraToWorld));
      const color = await f.loadColor();
      const depth = await f.loadDepth();
      const instances = await f.loadInstances!();
      expect([color.width, color.height, color.data.length]).toEqual([64, 48, 64 * 48 * 3]);
      expect(depth.depthScale).toBe(4000);
      expect(depth.invalidValues).toEqual([0]);
      // Inside a closed room every pixel sees a wall at the analytic depth (±½ raw unit + snap).
      for (let v = 0; v < 48; v++) {
        for (let u = 0; u < 64; u++) {
          const [o, d] = pixelRay(k, f.cameraToWorld, u, v);
          const z = rayBox(o, d, [-2, -1.5, 0], [2.5, 2, 2.7]);
          expect(Math.abs(depth.data[v * 64 + u] / 4000 - z)).toBeLessThan(0.6 / 4000 + 1e-4);
          expect(instances[v * 64 + u]).toBeGreaterThanOrEqual(0);
          expect(instances[v * 64 + u]).toBeLessThan(6);
        }
      }
      // Loads hand out copies: changing one does not change the next.
      color.data.fill(7);
      expect((await f.loadColor()).data.some((c) => c !== 7)).toBe(true);
    }
  });

  it('render each view once per cache and reuse stored renders', async () => {
    const scene = meshRoomScene();
    const k = intrinsicsFromFov(32, 24, 90);
    const views = [0, 1, 2, 3].map((i) => ({
      name: `v${i}`,
      intrinsics: k,
      cameraToWorld: lookAtPose([0, 0, 1.4], [Math.cos(i), Math.sin(i), 1.2], UP),
    }));
    const store = new Map<string, CachedRender>();
    let sets = 0;
    const cache: RenderCache = {
      get: async (key) => store.get(key),
      set: async (key, value) => {
        sets++;
        store.set(key, value);
      },
    };
    const first = renderedFrames(scene, { views }, { cache, memoViews: 0 });
    const depths = [];
    for (const f of first) {
      await f.loadColor();
      depths.push((await f.loadDepth()).data);
    }
    expect(sets).toBe(4);
    expect(store.size).toBe(4);
    const again = renderedFrames(scene, { views }, { cache });
    for (const [i, f] of again.entries()) expect((await f.loadDepth()).data).toEqual(depths[i]);
    expect(sets).toBe(4);
    // Another option that changes pixels is another key.
    const other = renderedFrames(scene, { views }, { cache, nearM: 0.5 });
    await other[0].loadDepth();
    expect(sets).toBe(5);
  });

  it('refuse scenes without geometry and views with unusable cameras', () => {
    const k = intrinsicsFromFov(8, 8, 90);
    const view = { name: 'v', intrinsics: k, cameraToWorld: lookAtPose([0, 0, 0], [1, 0, 0], UP) };
    const empty: Scene = { name: 'e', format: 'ply', frames: [], warnings: [] };
    expect(() => renderedFrames(empty, { views: [view] })).toThrow(UnsupportedError);
    const scene = meshRoomScene();
    expect(() =>
      renderedFrames(scene, { views: [{ ...view, intrinsics: { ...k, width: 0 } }] }),
    ).toThrow(UnsupportedError);
    expect(() => renderedFrames(scene, { views: [view] }, { depthScale: 0 })).toThrow(
      UnsupportedError,
    );
  });
});
