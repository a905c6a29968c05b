import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { ParseError } from '../../../../src/pipeline/errors';
import { K, expectFramesSeeWall, expectPosesClose, text } from '../rgbd-fixtures';
import { nerfstudioFiles } from '../rgbd-folders';

describe('nerfstudio reader', () => {
  it('converts OpenGL camera axes to ours and reads depth with its scale factor', async () => {
    const { files, poses } = nerfstudioFiles();
    const scene = await openScene(new MemoryFileSource(files, 'ns'));
    expect(scene.format).toBe('nerfstudio');
    expect(scene.frames).toHaveLength(3);
    expect(scene.frames[0].intrinsics).toEqual(K);
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i], 1e-12));
    expect((await scene.frames[0].loadDepth()).depthScale).toBeCloseTo(1000, 9);
    expect(await expectFramesSeeWall(scene.frames)).toBe(3 * K.width * K.height);
  });

  it('accepts colour-only frames (all-invalid depth) and per-frame intrinsics', async () => {
    const { files, json } = nerfstudioFiles(false);
    const perFrame = {
      ...json,
      fl_x: undefined,
      frames: json.frames.map((f) => ({ ...f, fl_x: K.fx })),
    };
    files['scene/transforms.json'] = text(JSON.stringify(perFrame));
    const scene = await openScene(new MemoryFileSource(files));
    expect(scene.frames[2].intrinsics.fx).toBe(K.fx);
    expect(scene.warnings.join(' ')).toMatch(/3 frame\(s\) have no depth/);
    const depth = await scene.frames[0].loadDepth();
    expect(depth.width).toBe(K.width);
    expect(depth.data.every((v) => v === 0)).toBe(true);
  });

  it('rejects NaN or non-rigid transforms naming the frame', async () => {
    const { files, json } = nerfstudioFiles();
    json.frames[1].transform_matrix = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 3, 0],
      [0, 0, 0, 1],
    ];
    files['scene/transforms.json'] = text(JSON.stringify(json));
    const err = await openScene(new MemoryFileSource(files, 'ns')).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/transforms\.json.*frames\[1\] transform_matrix is not a rigid/);
    files['scene/transforms.json'] = text(
      JSON.stringify(json).replace('[0,0,3,0]', '[0,0,1,"NaN"]'),
    );
    await expect(openScene(new MemoryFileSource(files, 'ns'))).rejects.toThrow(/frames\[1\]/);
  });
});

describe('nerfstudio intrinsics conventions', () => {
  it('derives fx from camera_angle_x and centres the principal point when cx, cy are absent', async () => {
    const { files, json } = nerfstudioFiles();
    const fov = 2 * Math.atan(K.width / 2 / K.fx);
    const ngp = {
      ...json,
      fl_x: undefined,
      fl_y: undefined,
      cx: undefined,
      cy: undefined,
      camera_angle_x: fov,
    };
    files['scene/transforms.json'] = text(JSON.stringify(ngp));
    const scene = await openScene(new MemoryFileSource(files));
    const k = scene.frames[0].intrinsics;
    expect(k.fx).toBeCloseTo(K.fx, 9);
    expect(k.fy).toBeCloseTo(K.fx, 9);
    // Image centre in pixel-corner terms is w/2; in ours (w − 1)/2.
    expect(k.cx).toBeCloseTo((K.width - 1) / 2, 12);
    expect(k.cy).toBeCloseTo((K.height - 1) / 2, 12);
  });

  it('needs some focal length', async () => {
    const { files, json } = nerfstudioFiles();
    files['scene/transforms.json'] = text(JSON.stringify({ ...json, fl_x: undefined }));
    await expect(openScene(new MemoryFileSource(files))).rejects.toThrow(/needs fl_x/);
  });
});
