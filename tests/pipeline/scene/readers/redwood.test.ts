import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { parseTrajectoryLog } from '../../../../src/pipeline/scene/readers/redwood';
import { ParseError } from '../../../../src/pipeline/errors';
import { K, expectFramesSeeWall, expectPosesClose, intrinsicsText, text } from '../rgbd-fixtures';
import { redwoodFiles } from '../rgbd-folders';

describe('Redwood / ICL-NUIM reader', () => {
  it('reads color/, depth/ and trajectory.log with an intrinsics file', async () => {
    const { files, poses } = redwoodFiles();
    files['camera-intrinsics.txt'] = text(intrinsicsText(K));
    const scene = await openScene(new MemoryFileSource(files, 'redwood'));
    expect(scene.format).toBe('redwood');
    expect(scene.frames).toHaveLength(3);
    expect(scene.frames[1].intrinsics).toEqual(K);
    expect(scene.warnings).toEqual([]);
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i]));
    expect((await scene.frames[0].loadDepth()).depthScale).toBe(1000);
    expect(await expectFramesSeeWall(scene.frames)).toBe(3 * K.width * K.height);
  });

  it('reads Open3D intrinsics JSON (column-major) and an image/ folder', async () => {
    const { files } = redwoodFiles('image');
    const o3d = {
      width: 16,
      height: 12,
      intrinsic_matrix: [K.fx, 0, 0, 0, K.fy, 0, K.cx, K.cy, 1],
    };
    files['intrinsic.json'] = text(JSON.stringify(o3d));
    const scene = await openScene(new MemoryFileSource(files));
    expect(scene.frames[0].intrinsics).toEqual(K);
    await expectFramesSeeWall(scene.frames);
  });

  it('accepts the download naming: livingroom1-color/, livingroom1-depth-clean/, *-traj.txt', async () => {
    const { files, poses } = redwoodFiles();
    const renamed: Record<string, Uint8Array> = {};
    for (const [p, bytes] of Object.entries(files)) {
      const q = p
        .replace(/^color\//, 'lr/livingroom1-color/')
        .replace(/^depth\//, 'lr/livingroom1-depth-clean/')
        .replace(/^trajectory\.log$/, 'lr/livingroom1-traj.txt');
      renamed[q] = bytes;
    }
    const scene = await openScene(new MemoryFileSource(renamed));
    expect(scene.format).toBe('redwood');
    expect(scene.frames).toHaveLength(3);
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i]));
  });

  it('assumes PrimeSense defaults with a warning when there is no intrinsics file', async () => {
    const { files } = redwoodFiles();
    const scene = await openScene(new MemoryFileSource(files));
    expect(scene.warnings.join(' ')).toMatch(/PrimeSense defaults fx=525/);
    // Scaled from 640x480 to the 16x12 fixture: fx 525/40, cx (319.5+0.5)/40-0.5.
    expect(scene.frames[0].intrinsics.fx).toBeCloseTo(13.125, 12);
    expect(scene.frames[0].intrinsics.cx).toBeCloseTo(7.5, 12);
  });

  it('parses .log entries and reports bad ones with the line', () => {
    const log =
      '0 0 1\n1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n7 7 8\n1 0 0 1\n0 1 0 2\n0 0 1 3\n0 0 0 1\n';
    const entries = parseTrajectoryLog(log, 't.log');
    expect(entries.map((e) => e.frameIndex)).toEqual([0, 7]);
    expect([entries[1].pose[3], entries[1].pose[7], entries[1].pose[11]]).toEqual([1, 2, 3]);
    expect(() => parseTrajectoryLog(log.replace('0 1 0 2', '0 1 0 x'), 't.log')).toThrow(
      /t\.log line 8/,
    );
    expect(() => parseTrajectoryLog(log.replace('0 1 0 2', '0 1 0 inf'), 't.log')).toThrow(
      ParseError,
    );
    expect(() => parseTrajectoryLog(log.split('\n').slice(0, 8).join('\n'), 't.log')).toThrow(
      /incomplete entry/,
    );
    expect(() => parseTrajectoryLog(log.replace('0 0 1\n1 0', '0.5 0 1\n1 0'), 't.log')).toThrow(
      /line 1/,
    );
  });
});
