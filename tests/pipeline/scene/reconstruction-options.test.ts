/**
 * Reconstruction density as a scene option: the frame stride and voxel size reach the
 * reconstruction (through ensureCloud and the session, when opening and again for the open
 * scene), the default covers the scan within a point budget, and bad values are refused by name.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, UnsupportedError } from '../../../src/pipeline/errors';
import { encodePng16, encodePngRgb } from '../../../src/pipeline/image/encode';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../src/pipeline/scene/open-scene';
import {
  ensureCloud,
  reconstructCloud,
  reconstructionOf,
  strideForBudget,
} from '../../../src/pipeline/scene/reconstruct';
import type { Scene } from '../../../src/pipeline/scene/types';
import { PipelineSession } from '../../../src/pipeline/session/pipeline-session';
import { K, fixturePoses, intrinsicsText, matrixText, renderWall, text } from './rgbd-fixtures';

const PIXELS = K.width * K.height;

/** A Redwood-style folder of `count` views of the fixture wall (no cloud file). */
function wallScene(count: number): Promise<Scene> {
  const files: Record<string, Uint8Array> = { 'camera-intrinsics.txt': text(intrinsicsText(K)) };
  let log = '';
  fixturePoses(count).forEach((pose, i) => {
    const stem = String(i).padStart(5, '0');
    const view = renderWall(K, pose, 1000);
    files[`color/${stem}.png`] = encodePngRgb(view.color);
    files[`depth/${stem}.png`] = encodePng16(K.width, K.height, view.depth);
    log += `${i} ${i} ${i + 1}\n${matrixText(pose, 4, 4)}`;
  });
  files['trajectory.log'] = text(log);
  return openScene(new MemoryFileSource(files, 'wall'));
}

/** Integer voxel cells (floor(p / size)) of every point, as strings. */
function cellsOf(positions: Float32Array, size: number): string[] {
  const cells: string[] = [];
  for (let i = 0; i < positions.length; i += 3) {
    cells.push([0, 1, 2].map((a) => Math.floor(positions[i + a] / size)).join(','));
  }
  return cells;
}

describe('reconstruction options', () => {
  it('by default uses every frame (stride 1, chosen within the budget)', async () => {
    const scene = await wallScene(7);
    await ensureCloud(scene);
    expect(reconstructionOf(scene)).toMatchObject({
      frameStride: 1,
      strideFrom: 'budget',
      framesUsed: 7,
      framesTotal: 7,
      rawPoints: 7 * PIXELS,
    });
  });

  it('uses ceil(M / stride) frames and one mean point per occupied voxel', async () => {
    const scene = await wallScene(7);
    await ensureCloud(scene, { frameStride: 3, voxelSize: 0.25 });
    const summary = reconstructionOf(scene)!;
    expect(summary).toMatchObject({ frameStride: 3, strideFrom: 'option', voxelSize: 0.25 });
    expect(summary.framesUsed).toBe(Math.ceil(7 / 3));
    expect(summary.rawPoints).toBe(Math.ceil(7 / 3) * PIXELS);
    // Each point is the mean of its voxel's points, so it lies in that voxel: no two share one...
    const cells = cellsOf(scene.cloud!.positions, 0.25);
    expect(new Set(cells).size).toBe(cells.length);
    // ...and there is one per voxel the back-projected points occupy: a 0.1 mm reconstruction
    // (2,500 of its cells per 25 cm cell) occupies the same 25 cm cells.
    const fine = await reconstructCloud(scene, { frameStride: 3, voxelSize: 1e-4 });
    expect(new Set(cellsOf(fine.cloud.positions, 0.25)).size).toBe(cells.length);
    expect(fine.summary.pointCount).toBeGreaterThan(3 * cells.length);
  });

  it('takes the smallest stride whose frames fit the point budget', async () => {
    const scene = await wallScene(7);
    // 2.5 frames' pixels: stride 3 would back-project 3 frames, stride 4 two.
    const { summary } = await reconstructCloud(scene, { maxRawPoints: 2.5 * PIXELS });
    expect(summary).toMatchObject({ frameStride: 4, strideFrom: 'budget', framesUsed: 2 });
    expect(summary.rawPoints).toBeLessThanOrEqual(2.5 * PIXELS);
    expect(summary.pointBudget).toBe(2.5 * PIXELS);
    expect(strideForBudget(scene.frames, 7 * PIXELS)).toBe(1);
    expect(strideForBudget(scene.frames, 7 * PIXELS - 1)).toBe(2);
    // Less than one frame: one frame, not none.
    expect(strideForBudget(scene.frames, 1)).toBe(7);
    // A stride asked for is taken as is, budget or not.
    const asked = await reconstructCloud(scene, { frameStride: 1, maxRawPoints: PIXELS });
    expect(asked.summary).toMatchObject({ frameStride: 1, strideFrom: 'option', framesUsed: 7 });
  });

  it.each([
    [{ frameStride: 0 }, /frame stride must be a positive integer.*got 0/],
    [{ frameStride: 1.5 }, /frame stride must be a positive integer.*got 1\.5/],
    [{ frameStride: NaN }, /frame stride must be a positive integer.*got NaN/],
    [{ voxelSize: NaN }, /voxel size must be a positive number of metres, got NaN/],
    [{ voxelSize: 0 }, /voxel size must be a positive number of metres, got 0/],
    [{ voxelSize: -0.02 }, /voxel size must be a positive number of metres, got -0\.02/],
    [{ voxelSize: Infinity }, /voxel size .*got Infinity/],
  ])('refuses %j with a typed error', async (options, message) => {
    const scene = await wallScene(2);
    const run = ensureCloud(scene, options);
    await expect(run).rejects.toBeInstanceOf(UnsupportedError);
    await expect(run).rejects.toThrow(message);
    expect(scene.cloud).toBeUndefined();
  });
});

describe('PipelineSession: reconstruction options', () => {
  it('opens a scan with them and reconstructs the open scan again as a new opening', async () => {
    const session = new PipelineSession();
    const opened = await session.openSceneObject('wall', await wallScene(7), undefined, {
      frameStride: 3,
      voxelSize: 0.05,
    });
    expect(opened.reconstruction).toMatchObject({ frameStride: 3, framesUsed: 3, voxelSize: 0.05 });
    expect(opened.info.pointCount).toBe(opened.reconstruction!.pointCount);
    const before = session.scene!;
    const seen: string[] = [];
    const again = await session.reconstructScene({ frameStride: 1, voxelSize: 0.01 }, (p) =>
      seen.push(`${p.stage} ${p.done}/${p.total}`),
    );
    expect(again.reconstruction).toMatchObject({
      frameStride: 1,
      strideFrom: 'option',
      framesUsed: 7,
      voxelSize: 0.01,
    });
    expect(seen).toContain('reconstruct 7/7');
    // A new opening of the same scene: new epoch, the new cloud in the view.
    expect(again.id).toBe('wall');
    expect(again.epoch).toBe(opened.epoch! + 1);
    expect(again.info.pointCount).toBeGreaterThan(opened.info.pointCount);
    expect(session.viewCloud(1e9).totalCount).toBe(again.info.pointCount);
    expect(session.scene!.cloud).not.toBe(before.cloud);
    // The scene object that was open keeps the cloud it had (replies about it stay consistent).
    expect(before.cloud!.positions.length / 3).toBe(opened.info.pointCount);
  });

  it('a cancelled or refused reconstruction keeps the open scene and its cloud', async () => {
    const session = new PipelineSession();
    const opened = await session.openSceneObject('wall', await wallScene(4), undefined, {
      frameStride: 2,
    });
    const scene = session.scene!;
    const cancelled = session.reconstructScene({ frameStride: 1 }, () => session.cancel());
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
    await expect(session.reconstructScene({ frameStride: 0 })).rejects.toBeInstanceOf(
      UnsupportedError,
    );
    await expect(session.reconstructScene({ voxelSize: NaN })).rejects.toThrow(/voxel size/);
    expect(session.scene).toBe(scene);
    expect(session.viewCloud(1e9).totalCount).toBe(opened.info.pointCount);
    // Opening with bad options is refused the same way, and keeps the scene too.
    await expect(
      session.openSceneObject('other', await wallScene(2), undefined, { frameStride: -1 }),
    ).rejects.toThrow(/frame stride must be a positive integer/);
    expect(session.scene).toBe(scene);
  });

  it('refuses to reconstruct a scene whose points came from a file', async () => {
    const session = new PipelineSession();
    const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    const scene: Scene = {
      name: 'cloud',
      format: 'ply',
      cloud: { positions, colors: new Uint8Array(9) },
      frames: (await wallScene(1)).frames,
      warnings: [],
    };
    const opened = await session.openSceneObject('cloud', scene);
    expect(opened.reconstruction).toBeUndefined();
    await expect(session.reconstructScene({ frameStride: 1 })).rejects.toThrow(
      /points come from a file/,
    );
    expect(session.scene!.cloud!.positions).toBe(positions);
  });
});
