import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { ParseError } from '../../../../src/pipeline/errors';
import { K, expectFramesSeeWall, expectPosesClose, text } from '../rgbd-fixtures';
import { sevenScenesFiles } from '../rgbd-folders';

describe('7-Scenes reader', () => {
  it('reads frames, poses, intrinsics and millimetre depth with 65535 invalid', async () => {
    const { files, poses } = sevenScenesFiles();
    const scene = await openScene(new MemoryFileSource(files, 'sevenscenes'));
    expect(scene.format).toBe('7scenes');
    expect(scene.frames).toHaveLength(3);
    expect(scene.frames[0].intrinsics).toEqual(K);
    expect(scene.warnings).toEqual([]);
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i]));
    const depth = await scene.frames[0].loadDepth();
    expect(depth.depthScale).toBe(1000);
    expect(depth.invalidValues).toContain(65535);
    expect(depth.data[0]).toBe(65535);
    expect(await expectFramesSeeWall(scene.frames)).toBeGreaterThan(3 * K.width * K.height - 10);
  });

  it('falls back to the documented Kinect intrinsics with a warning', async () => {
    const { files } = sevenScenesFiles(false);
    const warnings: string[] = [];
    const scene = await openScene(new MemoryFileSource(files), {
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/585/);
    // 16x12 images: the 640x480 defaults scaled by 1/40 (pixel-centre convention).
    expect(scene.frames[0].intrinsics.fx).toBeCloseTo(585 / 40, 12);
    expect(scene.frames[0].intrinsics.cx).toBeCloseTo(320.5 / 40 - 0.5, 12);
  });

  it('rejects a NaN pose with file and line', async () => {
    const { files } = sevenScenesFiles();
    files['seq-01/frame-000001.pose.txt'] = text('1 0 0 0\n0 1 0 0\n0 0 nan 0\n0 0 0 1\n');
    const err = await openScene(new MemoryFileSource(files, 's')).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/frame-000001\.pose\.txt line 3/);
  });

  it('rejects a non-rigid pose', async () => {
    const { files } = sevenScenesFiles();
    files['seq-01/frame-000002.pose.txt'] = text('2 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n');
    await expect(openScene(new MemoryFileSource(files, 's'))).rejects.toThrow(/not a rigid/);
  });
});
