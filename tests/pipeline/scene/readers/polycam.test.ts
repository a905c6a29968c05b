import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { K, WALL_Z, expectPosesClose } from '../rgbd-fixtures';
import { POLYCAM_DEPTH, polycamFiles } from './scan-folders';
import { expectDepthOnWall } from './wall-depth';

describe('Polycam raw export reader', () => {
  it('converts ARKit camera axes to OpenCV and prefers corrected_cameras', async () => {
    const { files, poses } = polycamFiles(true);
    const scene = await openScene(new MemoryFileSource(files, 'polycam'));
    expect(scene.format).toBe('polycam');
    expect(scene.frames).toHaveLength(3);
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i], 1e-9));
    expect(scene.frames[0].intrinsics).toEqual(K);
    expect(scene.frames[0].depthIntrinsics.width).toBe(POLYCAM_DEPTH.width);
    expect(await expectDepthOnWall(scene.frames, WALL_Z)).toBe(3 * 8 * 6);
    const color = await scene.frames[0].loadColor();
    expect([color.width, color.height]).toEqual([K.width, K.height]);
  });

  it('falls back to the raw cameras with a warning', async () => {
    const { files, poses } = polycamFiles(false);
    const scene = await openScene(new MemoryFileSource(files, 'polycam'));
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i], 1e-9));
    expect(scene.warnings.join(' ')).toContain('no corrected_cameras');
  });
});
