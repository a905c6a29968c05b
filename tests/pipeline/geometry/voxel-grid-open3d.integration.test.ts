/**
 * Python oracle: VoxelAccumulator (one point per occupied voxel at the mean position with the
 * mean colour) against Open3D's PointCloud.voxel_down_sample, which it follows.
 *
 * Open3D's grid starts half a voxel below the cloud's minimum, ours at the origin: a point alone
 * at the centre of voxel (0, 0, 0), every other point in voxels ≥ 1 within 0.4 voxel of their
 * centres, puts both grids on the same planes with no point near a voxel face.
 */
import { expect, it } from 'vitest';
import { VoxelAccumulator } from '../../../src/pipeline/geometry/voxel-grid';
import { mulberry32 } from '../../../src/pipeline/random';
import { describeWithPython } from '../../oracles/python';

const SCRIPT = `
import json, sys
import numpy as np
import open3d as o3d
inp = json.load(sys.stdin)
v = inp['voxel']
pcd = o3d.geometry.PointCloud()
pcd.points = o3d.utility.Vector3dVector(np.array(inp['positions'], dtype=np.float64).reshape(-1, 3))
pcd.colors = o3d.utility.Vector3dVector(np.array(inp['colors'], dtype=np.float64).reshape(-1, 3) / 255.0)
down = pcd.voxel_down_sample(v)
p = np.asarray(down.points)
c = np.asarray(down.colors) * 255.0
key = np.floor(p / v).astype(np.int64)
order = np.lexsort((key[:, 0], key[:, 1], key[:, 2]))
print(json.dumps({'positions': p[order].ravel().tolist(), 'colors': c[order].ravel().tolist()}))
`;

describeWithPython('voxel downsampling vs Open3D voxel_down_sample', ['numpy', 'open3d'], (py) => {
  it('gives the same voxels, mean positions and mean colours', () => {
    for (const [seed, voxel] of [
      [1, 0.05],
      [2, 0.013],
      [3, 0.3],
    ] as const) {
      const r = mulberry32(seed);
      const positions: number[] = [0.5 * voxel, 0.5 * voxel, 0.5 * voxel];
      const colors: number[] = [17, 200, 3];
      for (let k = 0; k < 3000; k++) {
        const cell = [1, 2, 3].map(() => 1 + Math.floor(r() * 25));
        const count = 1 + Math.floor(r() * 4);
        for (let j = 0; j < count; j++) {
          for (const c of cell) positions.push((c + 0.5 + 0.8 * (r() - 0.5)) * voxel);
          for (let a = 0; a < 3; a++) colors.push(Math.floor(r() * 256));
        }
      }
      const acc = new VoxelAccumulator(voxel, 16);
      for (let i = 0; i < positions.length; i += 3)
        acc.add(
          positions[i],
          positions[i + 1],
          positions[i + 2],
          colors[i],
          colors[i + 1],
          colors[i + 2],
        );
      const ours = acc.toCloud();
      const theirs = py.run<{ positions: number[]; colors: number[] }>(SCRIPT, {
        voxel,
        positions,
        colors,
      });
      expect(ours.positions.length, `seed ${seed}`).toBe(theirs.positions.length);
      let maxPosition = 0;
      let maxColour = 0;
      for (let i = 0; i < theirs.positions.length; i++) {
        maxPosition = Math.max(maxPosition, Math.abs(ours.positions[i] - theirs.positions[i]));
        maxColour = Math.max(maxColour, Math.abs(ours.colors![i] - theirs.colors[i]));
      }
      // float32 output vs Open3D's float64 means; our colours are the means rounded to bytes.
      expect(maxPosition, `seed ${seed}`).toBeLessThan(1e-6 * Math.max(1, 26 * voxel));
      expect(maxColour, `seed ${seed}`).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });
});
