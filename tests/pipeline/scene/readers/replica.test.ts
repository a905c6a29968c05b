import { describe, expect, it } from 'vitest';
import { SCAN_READER_DEFAULTS } from '../../../../src/pipeline/defaults';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { K, expectFramesSeeWall, expectPosesClose } from '../rgbd-fixtures';
import { REPLICA_DEPTH_SCALE, replicaFiles } from './scan-folders';

describe('Replica (NICE-SLAM layout) reader', () => {
  it('reads traj.txt camera-to-world poses and 6553.5-scaled depth onto the wall', async () => {
    const { files, poses } = replicaFiles(true);
    const scene = await openScene(new MemoryFileSource(files, 'replica'));
    expect(scene.format).toBe('replica');
    scene.frames.forEach((f, i) => expectPosesClose(f.cameraToWorld, poses[i], 1e-12));
    expect(scene.frames[0].intrinsics).toEqual(K);
    const depth = await scene.frames[0].loadDepth();
    expect(depth.depthScale).toBe(REPLICA_DEPTH_SCALE);
    // JPEG colour: a looser colour tolerance, depth still within 2 mm.
    expect(await expectFramesSeeWall(scene.frames, 8)).toBeGreaterThan(3 * 150);
  });

  it('wins over the scene mesh next to it (Replica/room0_mesh.ply)', async () => {
    const { files } = replicaFiles(true);
    files['Replica/room0_mesh.ply'] = new TextEncoder().encode('ply\n');
    const scene = await openScene(new MemoryFileSource(files, 'replica'));
    expect(scene.format).toBe('replica');
  });

  it("uses NICE-SLAM's intrinsics without cam_params.json", async () => {
    const { files } = replicaFiles(false);
    const scene = await openScene(new MemoryFileSource(files, 'replica'));
    expect(scene.frames[0].intrinsics).toEqual(SCAN_READER_DEFAULTS.replicaCamera.intrinsics);
    expect(scene.frames[0].intrinsics).toMatchObject({
      width: 1200,
      height: 680,
      fx: 600,
      cx: 599.5,
    });
    expect(scene.warnings.join(' ')).toContain('cam_params.json');
  });
});
