/**
 * Spatial clustering of selected points: points are binned into voxels of a given side (metres),
 * and 26-connected occupied voxels form one cluster (connected components with union-find over an
 * open-addressing voxel hash). Linear in the number of selected points; typed arrays only.
 */
import { finiteBounds } from '../geometry/finite-bounds';
import { createVoxelIndex } from './voxel-hash';

export interface PointClusters {
  /** Cluster id per selected point (parallel to `indices`), −1 for non-finite positions. */
  labels: Int32Array;
  clusterCount: number;
  /** The voxel side actually used (raised only for absurdly large extents). */
  voxelSize: number;
}

/** Grid coordinates must fit in 21 bits per axis. */
const MAX_CELLS_PER_AXIS = 1 << 20;

// The 13 neighbours "after" a voxel in lexicographic order (dx, dy, dz flattened); with
// symmetry this covers all 26.
const FORWARD_NEIGHBOURS = new Int8Array(13 * 3);
{
  let n = 0;
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dz > 0 || (dz === 0 && (dy > 0 || (dy === 0 && dx > 0)))) {
          FORWARD_NEIGHBOURS.set([dx, dy, dz], n);
          n += 3;
        }
      }
}

export function clusterPoints(
  positions: Float32Array,
  indices: Uint32Array,
  voxelSize: number,
): PointClusters {
  if (!(voxelSize > 0) || !Number.isFinite(voxelSize)) {
    throw new RangeError(
      `cluster voxel size must be a positive number of metres, got ${voxelSize}`,
    );
  }
  const count = indices.length;
  const labels = new Int32Array(count).fill(-1);
  const { lo, hi, count: finite } = finiteBounds(positions, indices);
  if (finite === 0) return { labels, clusterCount: 0, voxelSize };
  const extent = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  const size = Math.max(voxelSize, extent / (MAX_CELLS_PER_AXIS - 2));
  const inv = 1 / size;

  const hash = createVoxelIndex(
    Math.floor((hi[0] - lo[0]) * inv) + 1,
    Math.floor((hi[1] - lo[1]) * inv) + 1,
    Math.floor((hi[2] - lo[2]) * inv) + 1,
    count,
  );
  const voxelOfPoint = new Int32Array(count).fill(-1);
  for (let k = 0; k < count; k++) {
    const p = indices[k] * 3;
    const x = positions[p];
    const y = positions[p + 1];
    const z = positions[p + 2];
    if (!Number.isFinite(x + y + z)) continue;
    voxelOfPoint[k] = hash.insert(
      Math.floor((x - lo[0]) * inv),
      Math.floor((y - lo[1]) * inv),
      Math.floor((z - lo[2]) * inv),
    );
  }
  const voxelCount = hash.size;
  const { x: voxelX, y: voxelY, z: voxelZ } = hash;

  const parent = new Int32Array(voxelCount);
  for (let v = 0; v < voxelCount; v++) parent[v] = v;
  const root = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  };
  for (let v = 0; v < voxelCount; v++) {
    const x = voxelX[v];
    const y = voxelY[v];
    const z = voxelZ[v];
    for (let n = 0; n < FORWARD_NEIGHBOURS.length; n += 3) {
      const w = hash.get(
        x + FORWARD_NEIGHBOURS[n],
        y + FORWARD_NEIGHBOURS[n + 1],
        z + FORWARD_NEIGHBOURS[n + 2],
      );
      if (w < 0) continue;
      const a = root(v);
      const b = root(w);
      if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
    }
  }

  const component = new Int32Array(voxelCount).fill(-1);
  let clusterCount = 0;
  for (let v = 0; v < voxelCount; v++) {
    const r = root(v);
    if (component[r] < 0) component[r] = clusterCount++;
    component[v] = component[r];
  }
  for (let k = 0; k < count; k++) {
    const v = voxelOfPoint[k];
    if (v >= 0) labels[k] = component[v];
  }
  return { labels, clusterCount, voxelSize: size };
}
