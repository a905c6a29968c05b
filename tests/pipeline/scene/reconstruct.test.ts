import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../src/pipeline/scene/open-scene';
import {
  ensureCloud,
  reconstructCloud,
  reconstructionOf,
} from '../../../src/pipeline/scene/reconstruct';
import { sceneInfo } from '../../../src/pipeline/scene/scene-info';
import { CancelledError } from '../../../src/pipeline/errors';
import { encodePng16, encodePngRgb } from '../../../src/pipeline/image/encode';
import { scaleIntrinsics } from '../../../src/pipeline/geometry/camera';
import {
  K,
  WALL_Z,
  fixturePoses,
  intrinsicsText,
  matrixText,
  renderWall,
  text,
} from './rgbd-fixtures';
import { sevenScenesFiles } from './rgbd-folders';

function wallScene(frameCount: number, halfResolutionDepth = false) {
  const poses = fixturePoses(frameCount);
  const files: Record<string, Uint8Array> = { 'camera-intrinsics.txt': text(intrinsicsText(K)) };
  let log = '';
  poses.forEach((pose, i) => {
    const stem = String(i).padStart(5, '0');
    const full = renderWall(K, pose, 1000);
    files[`color/${stem}.png`] = encodePngRgb(full.color);
    if (halfResolutionDepth) {
      const half = scaleIntrinsics(K, K.width / 2, K.height / 2);
      files[`depth/${stem}.png`] = encodePng16(
        half.width,
        half.height,
        renderWall(half, pose, 1000).depth,
      );
    } else files[`depth/${stem}.png`] = encodePng16(K.width, K.height, full.depth);
    log += `${i} ${i} ${i + 1}\n${matrixText(pose, 4, 4)}`;
  });
  files['trajectory.log'] = text(log);
  return openScene(new MemoryFileSource(files, 'wall'));
}

/** Every point on the wall, coloured by its world x and y as rendered (to `tolerance` levels). */
function expectCloudOnWall(positions: Float32Array, colors: Uint8Array, tolerance: number) {
  for (let i = 0; i < positions.length; i += 3) {
    expect(Math.abs(positions[i + 2] - WALL_Z)).toBeLessThan(2e-3);
    expect(Math.abs(colors[i] - (128 + positions[i] * 40))).toBeLessThan(tolerance);
    expect(Math.abs(colors[i + 1] - (128 + positions[i + 1] * 40))).toBeLessThan(tolerance);
  }
}

describe('reconstructCloud', () => {
  it('back-projects every valid pixel onto the wall with its colour, then downsamples', async () => {
    const scene = await wallScene(4);
    const { cloud, summary } = await reconstructCloud(scene, { frameStride: 1, voxelSize: 1e-4 });
    expect(summary.framesUsed).toBe(4);
    expect(summary.rawPoints).toBe(4 * K.width * K.height);
    // A 0.1 mm grid keeps (almost) every point apart.
    expect(summary.pointCount).toBeGreaterThan(0.95 * summary.rawPoints);
    expectCloudOnWall(cloud.positions, cloud.colors, 1.1);
    const coarse = await reconstructCloud(scene, { frameStride: 1, voxelSize: 0.25 });
    expect(coarse.summary.pointCount).toBeLessThan(summary.pointCount / 4);
    // Colour is linear in position here, so voxel means stay consistent.
    expectCloudOnWall(coarse.cloud.positions, coarse.cloud.colors, 1.1);
  });

  it('uses every k-th frame', async () => {
    const scene = await wallScene(5);
    const { summary } = await reconstructCloud(scene, { frameStride: 2, voxelSize: 0.05 });
    expect(summary.framesUsed).toBe(3); // frames 0, 2, 4
    expect(summary.rawPoints).toBe(3 * K.width * K.height);
  });

  it('samples colour through scaled intrinsics when depth has another resolution', async () => {
    const scene = await wallScene(2, true);
    expect(scene.frames[0].depthIntrinsics.width).toBe(K.width / 2);
    const { cloud, summary } = await reconstructCloud(scene, { frameStride: 1, voxelSize: 1e-4 });
    expect(summary.rawPoints).toBe(2 * (K.width / 2) * (K.height / 2));
    // Nearest colour pixel: off by at most half a colour pixel (≈ 3 levels here).
    expectCloudOnWall(cloud.positions, cloud.colors, 4);
  });

  it('skips invalid depth values (7-Scenes 65535) even beyond maxDepth', async () => {
    const { files } = sevenScenesFiles();
    const scene = await openScene(new MemoryFileSource(files));
    const { cloud, summary } = await reconstructCloud(scene, {
      frameStride: 1,
      voxelSize: 1e-4,
      maxDepth: 1000,
    });
    expect(summary.rawPoints).toBe(3 * (K.width * K.height - 1));
    for (let i = 2; i < cloud.positions.length; i += 3)
      expect(cloud.positions[i]).toBeLessThan(WALL_Z + 0.01);
  });

  it('drops depth beyond maxDepth', async () => {
    const scene = await wallScene(1);
    const { summary } = await reconstructCloud(scene, { frameStride: 1, maxDepth: 1 });
    expect(summary.rawPoints).toBe(0);
  });

  it('stops when cancelled and reports progress per frame', async () => {
    const scene = await wallScene(3);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = reconstructCloud(scene, {
      frameStride: 1,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toEqual([1]);
  });

  it('ensureCloud stores the cloud once and sceneInfo says it was reconstructed', async () => {
    const scene = await wallScene(2);
    expect(scene.cloud).toBeUndefined();
    const before = await sceneInfo(scene);
    expect(before.pointCount).toBe(0);
    expect(before.cloudSource).toBe('none');
    const cloud = await ensureCloud(scene, { voxelSize: 0.05 });
    expect(scene.cloud).toBe(cloud);
    expect(await ensureCloud(scene)).toBe(cloud);
    expect(reconstructionOf(scene)?.voxelSize).toBe(0.05);
    const info = await sceneInfo(scene);
    expect(info.cloudSource).toBe('reconstructed');
    expect(info.pointCount).toBe(cloud!.positions.length / 3);
    expect(info.bounds!.min[2]).toBeGreaterThan(WALL_Z - 0.01);
    expect(info.depthScale).toBe(1000);
  });
});
