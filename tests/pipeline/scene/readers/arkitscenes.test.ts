import { describe, expect, it } from 'vitest';
import { fromQuaternion } from '../../../../src/pipeline/geometry/mat4';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { ParseError } from '../../../../src/pipeline/errors';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import {
  axisAngleToMatrix,
  parseArkitTrajectory,
  poseAt,
} from '../../../../src/pipeline/scene/readers/arkitscenes';
import { K, expectFramesSeeWall, expectPosesClose, text } from '../rgbd-fixtures';
import { ARKIT_TIMES, arkitScenesFiles, rotationToAxisAngle } from './scan-folders';

describe('ARKitScenes reader', () => {
  it('inverts world-to-camera axis-angle poses back to the rendered camera-to-world', async () => {
    const { files, poses } = arkitScenesFiles();
    const warnings: string[] = [];
    const scene = await openScene(new MemoryFileSource(files, 'arkit'), {
      onWarning: (w) => warnings.push(w),
    });
    expect(scene.format).toBe('arkitscenes');
    expect(scene.frames.map((f) => f.timestamp)).toEqual(ARKIT_TIMES.map(Number));
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i], 1e-9));
    expect(scene.frames[0].intrinsics).toEqual(K);
    // Depth back-projected through the read poses lands on the wall (within 2 mm).
    expect(await expectFramesSeeWall(scene.frames)).toBeGreaterThan(3 * 150);
    expect(warnings.some((w) => /1 frame\(s\) have no trajectory pose/.test(w))).toBe(true);
  });

  it('reads the raw release layout too (lowres_wide.traj beside the frame folders)', async () => {
    const { files, poses } = arkitScenesFiles();
    const raw = Object.fromEntries(
      Object.entries(files).map(([p, b]) => [
        p.replace(/^\d+\/\d+_frames\//, 'raw/Training/41069021/'),
        b,
      ]),
    );
    const scene = await openScene(new MemoryFileSource(raw, 'raw'));
    expect(scene.frames).toHaveLength(3);
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i], 1e-9));
  });

  it('Rodrigues matches a hand-computed rotation (90° about z)', () => {
    const m = axisAngleToMatrix(0, 0, Math.PI / 2);
    const expected = [0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    m.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    expect(rotationToAxisAngle(m)[2]).toBeCloseTo(Math.PI / 2, 12);
  });

  it('interpolates between trajectory samples and refuses far ones', () => {
    // World-to-camera identity at t=0, and 0.4 rad about y with t=(0.2,0,0) at t=0.05.
    const samples = parseArkitTrajectory('0 0 0 0 0 0 0\n0.05 0 0.4 0 0.2 0 0\n', 't.traj');
    const mid = poseAt(samples, 0.025, 0.1)!;
    // Halfway: camera-to-world = inverse of (0.2 rad about y, half the camera translation path).
    const end = samples[1].cameraToWorld;
    const half = fromQuaternion(0, Math.sin(-0.1), 0, Math.cos(-0.1), end[3] / 2, 0, end[11] / 2);
    expectPosesClose(mid, half, 1e-9);
    expect(poseAt(samples, 0.5, 0.1)).toBeUndefined();
    expectPosesClose(poseAt(samples, 0.12, 0.1)!, end, 0);
  });

  it('names the file and line of a bad trajectory line', async () => {
    const { files } = arkitScenesFiles();
    const path = Object.keys(files).find((p) => p.endsWith('.traj'))!;
    files[path] = text('6845.08 0 0 0 1 2\n');
    const err = await openScene(new MemoryFileSource(files, 'arkit')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toContain('lowres_wide.traj line 1');
  });
});
