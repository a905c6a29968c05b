import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import {
  associate,
  interpolatePose,
  nearestPose,
  parseGroundTruth,
} from '../../../../src/pipeline/scene/readers/tum';
import { MissingFileError } from '../../../../src/pipeline/errors';
import { K, expectFramesSeeWall, expectPosesClose, text } from '../rgbd-fixtures';
import { tumFiles } from '../rgbd-folders';

describe('TUM RGB-D reader', () => {
  it('associates colour, depth and poses by timestamp; depth scale 5000', async () => {
    const { files, poses, root } = tumFiles();
    files[`${root}intrinsics.txt`] = text(`${K.fx} ${K.fy} ${K.cx} ${K.cy} 0.26 -0.95 0 0 1.2\n`);
    const scene = await openScene(new MemoryFileSource(files, 'tum'));
    expect(scene.format).toBe('tum');
    expect(scene.frames).toHaveLength(3);
    expect(scene.frames[0].intrinsics).toEqual(K);
    expect(scene.frames[2].timestamp).toBeCloseTo(1305031102.3, 6);
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i], 1e-9));
    expect(scene.warnings.join('\n')).toMatch(/3 pose line\(s\) with NaN/);
    expect(scene.warnings.join('\n')).toMatch(/1 colour image\(s\) have no depth/);
    expect((await scene.frames[0].loadDepth()).depthScale).toBe(5000);
    expect(await expectFramesSeeWall(scene.frames)).toBe(3 * K.width * K.height);
  });

  it('uses the ROS default intrinsics with a warning', async () => {
    const { files } = tumFiles('');
    const scene = await openScene(new MemoryFileSource(files));
    expect(scene.warnings.join('\n')).toMatch(/TUM ROS default fx=525/);
  });

  it('needs groundtruth.txt', async () => {
    const { files, root } = tumFiles();
    delete files[`${root}groundtruth.txt`];
    await expect(openScene(new MemoryFileSource(files))).rejects.toBeInstanceOf(MissingFileError);
  });

  it("matches associate.py's greedy closest-pair rule (hand-made case)", () => {
    // Closest pair first: 10.015↔10.012 (3 ms) wins, so 10.0 goes without, although 10.012 is
    // within 20 ms of it; 11 is too far from everything.
    expect(associate([10.0, 10.015, 11], [10.012, 10.03, 10.5], 0.02)).toEqual([[1, 0]]);
    expect(associate([10.0, 10.015], [10.001, 10.02], 0.02)).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(associate([1], [1.02], 0.02)).toEqual([]);
  });

  it('finds the nearest pose within the limit', () => {
    const { poses } = parseGroundTruth('1.0 1 2 3 0 0 0 1\n2.0 4 5 6 0 0 0 1\n', 'gt');
    expect(nearestPose(poses, 1.015, 0.02)![3]).toBe(1);
    expect(nearestPose(poses, 1.99, 0.02)![3]).toBe(4);
    expect(nearestPose(poses, 1.5, 0.02)).toBeUndefined();
  });

  it('reports malformed ground truth with the line', () => {
    expect(() => parseGroundTruth('# c\n1.0 1 2 3 0 0 0\n', 'gt.txt')).toThrow(/gt\.txt line 2/);
    expect(() => parseGroundTruth('1.0 1 2 3 0 0 0 x\n', 'gt.txt')).toThrow(/line 1/);
  });
});

describe('interpolatePose', () => {
  it('interpolates translation linearly and rotation along the short arc', () => {
    const s = Math.SQRT1_2;
    // 0° and 90° about z, 0.1 s apart; at 25% of the way: 22.5°, translation 1/4 of the way.
    const { poses } = parseGroundTruth(`1.00 0 0 0 0 0 0 1\n1.10 4 0 0 0 0 ${s} ${s}\n`, 'gt');
    const m = interpolatePose(poses, 1.025, 0.2)!;
    const angle = (22.5 * Math.PI) / 180;
    expect(m[0]).toBeCloseTo(Math.cos(angle), 12);
    expect(m[4]).toBeCloseTo(Math.sin(angle), 12);
    expect(m[3]).toBeCloseTo(1, 12);
    // Same rotation written with the opposite quaternion sign: still the short way.
    const flipped = parseGroundTruth(`1.00 0 0 0 0 0 0 1\n1.10 4 0 0 0 0 -${s} -${s}\n`, 'gt');
    expect(interpolatePose(flipped.poses, 1.025, 0.2)![4]).toBeCloseTo(Math.sin(angle), 12);
  });

  it('falls back to the nearest sample when the gap is wider than the limit', () => {
    const { poses } = parseGroundTruth('1.0 1 0 0 0 0 0 1\n2.0 5 0 0 0 0 0 1\n', 'gt');
    expect(interpolatePose(poses, 1.01, 0.02)![3]).toBe(1);
    expect(interpolatePose(poses, 1.5, 0.02)).toBeUndefined();
  });
});
