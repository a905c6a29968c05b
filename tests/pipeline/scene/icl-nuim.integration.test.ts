/**
 * Real data (integration tier): the ICL-NUIM living room (211 frames, Redwood layout) from
 * ../shared.
 * Checks poses, intrinsics and depth together by reprojecting depth between frames, and pins the
 * reconstructed cloud so a change in any of them shows up.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../../src/hosts/node/node-file-source';
import { openScene } from '../../../src/pipeline/scene/open-scene';
import { reconstructCloud } from '../../../src/pipeline/scene/reconstruct';
import { cloudBounds } from '../../../src/pipeline/scene/scene-info';
import {
  backprojectPixel,
  projectWorldPoint,
  worldToCameraOf,
} from '../../../src/pipeline/geometry/camera';
import type { RgbdFrame, Mat4 } from '../../../src/pipeline/scene/types';

const sceneDir = path.resolve(__dirname, '../../../..', 'shared/data/icl-nuim-livingroom1');
const hasShared = existsSync(sceneDir);
if (!hasShared) console.warn(`skipping ICL-NUIM real-data tests: ${sceneDir} is missing`);

/** Median |Δz| (metres) of frame a's depth reprojected into frame b, and how many pixels matched. */
async function reprojectionError(a: RgbdFrame, b: RgbdFrame, poseB: Mat4 = b.cameraToWorld) {
  const da = await a.loadDepth();
  const db = await b.loadDepth();
  const toB = worldToCameraOf(poseB);
  const k = b.depthIntrinsics;
  const world = new Float64Array(3);
  const errors: number[] = [];
  for (let v = 0; v < da.height; v += 2) {
    for (let u = 0; u < da.width; u += 2) {
      const raw = da.data[v * da.width + u];
      if (raw === 0) continue;
      backprojectPixel(a.depthIntrinsics, a.cameraToWorld, u, v, raw / da.depthScale, world);
      const p = projectWorldPoint(k, toB, world[0], world[1], world[2]);
      const ub = Math.round(p.u);
      const vb = Math.round(p.v);
      if (!(p.z > 0) || ub < 0 || vb < 0 || ub >= k.width || vb >= k.height) continue;
      const rawB = db.data[vb * db.width + ub];
      if (rawB === 0) continue;
      errors.push(Math.abs(p.z - rawB / db.depthScale));
    }
  }
  errors.sort((x, y) => x - y);
  return {
    median: errors[errors.length >> 1],
    matched: errors.length,
    tried: (da.width * da.height) / 4,
  };
}

describe.skipIf(!hasShared)('ICL-NUIM living room (real data)', () => {
  it('opens as a Redwood scene with 211 frames, PrimeSense intrinsics and mm depth', async () => {
    const scene = await openScene(await NodeFileSource.open(sceneDir));
    expect(scene.format).toBe('redwood');
    expect(scene.frames).toHaveLength(211);
    expect(scene.frames[0].intrinsics).toEqual({
      fx: 525,
      fy: 525,
      cx: 319.5,
      cy: 239.5,
      width: 640,
      height: 480,
    });
    expect(scene.warnings.some((w) => w.includes('PrimeSense'))).toBe(true);
    const color = await scene.frames[0].loadColor();
    expect([color.width, color.height, color.data.length]).toEqual([640, 480, 640 * 480 * 3]);
    const depth = await scene.frames[0].loadDepth();
    expect(depth.depthScale).toBe(1000);
  });

  it('reprojects frame 0 depth into frame 10 with median |Δz| < 1 cm', async () => {
    const scene = await openScene(await NodeFileSource.open(sceneDir));
    const { median, matched, tried } = await reprojectionError(scene.frames[0], scene.frames[10]);
    console.info(
      `ICL-NUIM reprojection 0→10: median |dz| = ${(median * 1000).toFixed(2)} mm over ${matched} pixels`,
    );
    expect(matched).toBeGreaterThan(0.5 * tried);
    expect(median).toBeLessThan(0.01);
    // The check can fail: pretending frame 10 sits where frame 0 is gives a far larger error.
    const wrong = await reprojectionError(
      scene.frames[0],
      scene.frames[10],
      scene.frames[0].cameraToWorld,
    );
    expect(wrong.median).toBeGreaterThan(3 * median);
  });

  it('reconstructs a stable cloud (stride 10, 2 cm voxels)', async () => {
    const scene = await openScene(await NodeFileSource.open(sceneDir));
    const { cloud, summary } = await reconstructCloud(scene, { frameStride: 10, voxelSize: 0.02 });
    const bounds = cloudBounds(cloud)!;
    console.info(
      `ICL-NUIM cloud: ${summary.pointCount} points from ${summary.rawPoints}, bounds ${JSON.stringify(bounds)}`,
    );
    expect(summary.framesUsed).toBe(22);
    // Pinned from the first run (44,915 points); decoder or convention changes move these.
    expect(summary.pointCount).toBeGreaterThan(44915 * 0.98);
    expect(summary.pointCount).toBeLessThan(44915 * 1.02);
    const expectedMin = [-1.646, -1.229, 0.777];
    const expectedMax = [2.386, 0.431, 2.726];
    for (let a = 0; a < 3; a++) {
      expect(Math.abs(bounds.min[a] - expectedMin[a])).toBeLessThan(0.03);
      expect(Math.abs(bounds.max[a] - expectedMax[a])).toBeLessThan(0.03);
    }
    // Independent consistency: a frame not used (5) lands in the cloud's occupied space.
    const occupied = new Set<string>();
    const key = (x: number, y: number, z: number) =>
      `${Math.floor(x / 0.04)},${Math.floor(y / 0.04)},${Math.floor(z / 0.04)}`;
    for (let i = 0; i < cloud.positions.length; i += 3) {
      const [x, y, z] = cloud.positions.subarray(i, i + 3);
      for (const dx of [-0.02, 0.02])
        for (const dy of [-0.02, 0.02])
          for (const dz of [-0.02, 0.02]) occupied.add(key(x + dx, y + dy, z + dz));
    }
    const frame = scene.frames[5];
    const depth = await frame.loadDepth();
    const w = new Float64Array(3);
    let hits = 0;
    let total = 0;
    for (let v = 0; v < depth.height; v += 8) {
      for (let u = 0; u < depth.width; u += 8) {
        const raw = depth.data[v * depth.width + u];
        if (raw === 0) continue;
        backprojectPixel(frame.depthIntrinsics, frame.cameraToWorld, u, v, raw / 1000, w);
        total++;
        if (occupied.has(key(w[0], w[1], w[2]))) hits++;
      }
    }
    expect(hits / total).toBeGreaterThan(0.95);
  });
});
