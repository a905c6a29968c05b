/**
 * Python oracle: clusterPoints (26-connected occupied voxels, union-find over a voxel hash)
 * against scipy.ndimage.label on the dense occupancy grid with a 3×3×3 structuring element.
 * The grid is built with the same float64 arithmetic (floor((p − min) / size)), so the two
 * partitions of the selected points must be identical up to renumbering.
 */
import { expect, it } from 'vitest';
import { clusterPoints } from '../../../src/pipeline/query/voxel-clusters';
import { mulberry32 } from '../../../src/pipeline/random';
import { describeWithPython } from '../../oracles/python';

const SCRIPT = `
import json, sys
import numpy as np
from scipy import ndimage
inp = json.load(sys.stdin)
p = np.array(inp['positions'], dtype=np.float64).reshape(-1, 3)[np.array(inp['indices'], dtype=np.int64)]
lo = p.min(axis=0)
inv = 1.0 / inp['voxel']
idx = np.floor((p - lo) * inv).astype(np.int64)
grid = np.zeros(idx.max(axis=0) + 1, dtype=bool)
grid[idx[:, 0], idx[:, 1], idx[:, 2]] = True
labels, n = ndimage.label(grid, structure=np.ones((3, 3, 3), dtype=bool))
print(json.dumps({'count': int(n), 'labels': labels[idx[:, 0], idx[:, 1], idx[:, 2]].tolist()}))
`;

/** Blobs of points around random centres, plus uniform scatter between them. */
function blobs(seed: number, count: number): Float32Array {
  const r = mulberry32(seed);
  const centres = Array.from({ length: 12 }, () => [r() * 3, r() * 2, r() * 1.5]);
  const out = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const scatter = r() < 0.05;
    const c = centres[Math.floor(r() * centres.length)];
    const spread = 0.05 + 0.2 * r();
    for (let a = 0; a < 3; a++)
      out[i * 3 + a] = scatter ? r() * 3 : c[a] + spread * (r() + r() + r() - 1.5);
  }
  return out;
}

describeWithPython('voxel clusters vs scipy.ndimage.label', ['numpy', 'scipy'], (py) => {
  it('partitions the selected points exactly like 26-connected labelling', () => {
    for (const [seed, voxel] of [
      [1, 0.04],
      [2, 0.1],
      [3, 0.023],
    ] as const) {
      const positions = blobs(seed, 20_000);
      const r = mulberry32(100 + seed);
      const indices = Uint32Array.from({ length: 12_000 }, () =>
        Math.floor(r() * (positions.length / 3)),
      );
      const ours = clusterPoints(positions, indices, voxel);
      expect(ours.voxelSize).toBe(voxel);
      const theirs = py.run<{ count: number; labels: number[] }>(SCRIPT, {
        positions: Array.from(positions),
        indices: Array.from(indices),
        voxel,
      });
      expect(ours.clusterCount, `seed ${seed}`).toBe(theirs.count);
      expect(ours.clusterCount).toBeGreaterThan(1);
      // Same partition: the label map ours → theirs is a bijection.
      const toTheirs = new Map<number, number>();
      const toOurs = new Map<number, number>();
      for (let k = 0; k < indices.length; k++) {
        const a = ours.labels[k];
        const b = theirs.labels[k];
        expect(toTheirs.get(a) ?? b, `seed ${seed} point ${k}`).toBe(b);
        expect(toOurs.get(b) ?? a, `seed ${seed} point ${k}`).toBe(a);
        toTheirs.set(a, b);
        toOurs.set(b, a);
      }
    }
  });
});
