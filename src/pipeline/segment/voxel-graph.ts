/**
 * The neighbourhood graph the segmentation runs on: the cloud binned into voxels (so 1M points
 * cost what the occupied voxels cost), per voxel the point count and the sums of position,
 * colour and position outer products (so any union of voxels has exact means and covariances),
 * a unit normal per voxel, and edges between neighbouring voxels: the 26-neighbourhood (a radius
 * of √3 voxels; two voxels out where that finds few), or the mesh's own edges when the cloud is a mesh (they never bridge two
 * surfaces that pass close by).
 */
import { finiteBounds } from '../geometry/finite-bounds';
import { createVoxelIndex, VoxelHash, type VoxelIndex } from '../query/voxel-hash';
import type { PointCloud } from '../scene/types';
import { symmetricEigen3 } from './symmetric-eigen';

/** Grid coordinates must fit the voxel index (21 bits per axis). */
/** Fewer occupied neighbours than this: the voxel also looks two voxels out (edges, normals). */
const MIN_DEGREE = 6;
/** Fewer points than this in a voxel's 3×3×3 block: its normal comes from the 5×5×5 block. */
const MIN_NORMAL_POINTS = 8;
const MAX_CELLS_PER_AXIS = 1 << 20;

// The 13 neighbours "after" a voxel in lexicographic order; with symmetry they cover all 26.
const FORWARD_NEIGHBOURS: readonly (readonly [number, number, number])[] = (() => {
  const out: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++)
        if (dz > 0 || (dz === 0 && (dy > 0 || (dy === 0 && dx > 0)))) out.push([dx, dy, dz]);
  return out;
})();

export interface VoxelGraph {
  /** The voxel side used (raised above the requested one only for absurd extents). */
  voxelSize: number;
  /** Positions are summed relative to this point (the finite points' minimum), for precision. */
  origin: [number, number, number];
  voxelCount: number;
  /** Grid coordinates of each voxel and lookup by coordinates. */
  index: VoxelIndex;
  /** Per point: its voxel, or −1 for a non-finite position. */
  voxelOfPoint: Int32Array;
  /** Per voxel: points. */
  counts: Float64Array;
  /** Per voxel: Σ(p − origin), 3 per voxel. */
  positionSums: Float64Array;
  /** Per voxel: Σ rgb (0–255), 3 per voxel. */
  colourSums: Float64Array;
  /** Per voxel: Σ (p − origin)(p − origin)ᵀ as xx, xy, xz, yy, yz, zz. */
  secondMoments: Float64Array;
  /** Per voxel: unit normal (sign arbitrary), or zeros where none could be estimated. */
  normals: Float32Array;
  edgeA: Int32Array;
  edgeB: Int32Array;
}

export function buildVoxelGraph(cloud: PointCloud, requestedVoxelSize: number): VoxelGraph {
  const { positions, colors } = cloud;
  const pointCount = Math.floor(positions.length / 3);
  const { lo, hi, count: finite } = finiteBounds(positions.subarray(0, pointCount * 3));
  const voxelOfPoint = new Int32Array(pointCount).fill(-1);
  if (finite === 0) {
    const none = new Float64Array(0);
    return {
      voxelSize: requestedVoxelSize,
      origin: [0, 0, 0],
      voxelCount: 0,
      index: createVoxelIndex(1, 1, 1, 0),
      voxelOfPoint,
      counts: none,
      positionSums: none,
      colourSums: none,
      secondMoments: none,
      normals: new Float32Array(0),
      edgeA: new Int32Array(0),
      edgeB: new Int32Array(0),
    };
  }
  const extent = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  const voxelSize = Math.max(requestedVoxelSize, extent / (MAX_CELLS_PER_AXIS - 2));
  const inv = 1 / voxelSize;
  const index = createVoxelIndex(
    Math.floor((hi[0] - lo[0]) * inv) + 1,
    Math.floor((hi[1] - lo[1]) * inv) + 1,
    Math.floor((hi[2] - lo[2]) * inv) + 1,
    finite,
  );
  for (let i = 0; i < pointCount; i++) {
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    if (!Number.isFinite(x + y + z)) continue;
    voxelOfPoint[i] = index.insert(
      Math.floor((x - lo[0]) * inv),
      Math.floor((y - lo[1]) * inv),
      Math.floor((z - lo[2]) * inv),
    );
  }
  const voxelCount = index.size;
  const counts = new Float64Array(voxelCount);
  const positionSums = new Float64Array(voxelCount * 3);
  const colourSums = new Float64Array(voxelCount * 3);
  const secondMoments = new Float64Array(voxelCount * 6);
  const hasColours = colors.length >= pointCount * 3;
  for (let i = 0; i < pointCount; i++) {
    const v = voxelOfPoint[i];
    if (v < 0) continue;
    const x = positions[i * 3] - lo[0];
    const y = positions[i * 3 + 1] - lo[1];
    const z = positions[i * 3 + 2] - lo[2];
    counts[v]++;
    positionSums[v * 3] += x;
    positionSums[v * 3 + 1] += y;
    positionSums[v * 3 + 2] += z;
    if (hasColours) {
      colourSums[v * 3] += colors[i * 3];
      colourSums[v * 3 + 1] += colors[i * 3 + 1];
      colourSums[v * 3 + 2] += colors[i * 3 + 2];
    }
    const m = v * 6;
    secondMoments[m] += x * x;
    secondMoments[m + 1] += x * y;
    secondMoments[m + 2] += x * z;
    secondMoments[m + 3] += y * y;
    secondMoments[m + 4] += y * z;
    secondMoments[m + 5] += z * z;
  }
  const normals = voxelNormals(cloud, voxelOfPoint, index, counts, positionSums, secondMoments);
  const { edgeA, edgeB } =
    cloud.faces && cloud.faces.length >= 3
      ? meshEdges(cloud.faces, voxelOfPoint)
      : gridEdges(index);
  return {
    voxelSize,
    origin: lo,
    voxelCount,
    index,
    voxelOfPoint,
    counts,
    positionSums,
    colourSums,
    secondMoments,
    normals,
    edgeA,
    edgeB,
  };
}

/**
 * The cloud's own normals where it has them (per voxel the principal axis of Σ n nᵀ, which
 * ignores their signs); elsewhere local PCA: the least-variance axis of the points in the voxel's
 * 3×3×3 block, from the summed moments (exact, no neighbour search per point).
 */
function voxelNormals(
  cloud: PointCloud,
  voxelOfPoint: Int32Array,
  index: VoxelIndex,
  counts: Float64Array,
  positionSums: Float64Array,
  secondMoments: Float64Array,
): Float32Array {
  const voxelCount = counts.length;
  const normals = new Float32Array(voxelCount * 3);
  const given = cloud.normals;
  const hasNormal = new Uint8Array(voxelCount);
  const values = new Float64Array(3);
  const vectors = new Float64Array(9);
  const m = new Float64Array(6);
  if (given && given.length >= voxelOfPoint.length * 3) {
    const nn = new Float64Array(voxelCount * 6);
    for (let i = 0; i < voxelOfPoint.length; i++) {
      const v = voxelOfPoint[i];
      const x = given[i * 3];
      const y = given[i * 3 + 1];
      const z = given[i * 3 + 2];
      if (v < 0 || !Number.isFinite(x + y + z) || x * x + y * y + z * z < 1e-12) continue;
      const o = v * 6;
      nn[o] += x * x;
      nn[o + 1] += x * y;
      nn[o + 2] += x * z;
      nn[o + 3] += y * y;
      nn[o + 4] += y * z;
      nn[o + 5] += z * z;
      hasNormal[v] = 1;
    }
    for (let v = 0; v < voxelCount; v++) {
      if (!hasNormal[v]) continue;
      symmetricEigen3(nn.subarray(v * 6, v * 6 + 6), values, vectors);
      normals.set(vectors.subarray(6, 9), v * 3);
    }
  }
  for (let v = 0; v < voxelCount; v++) {
    if (hasNormal[v]) continue;
    let n = 0,
      sx = 0,
      sy = 0,
      sz = 0;
    const cx = index.x[v],
      cy = index.y[v],
      cz = index.z[v];
    for (let r = 1; r <= 2 && n < MIN_NORMAL_POINTS; r++) {
      m.fill(0);
      n = sx = sy = sz = 0;
      for (let dz = -r; dz <= r; dz++)
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            const u = index.get(cx + dx, cy + dy, cz + dz);
            if (u < 0) continue;
            n += counts[u];
            sx += positionSums[u * 3];
            sy += positionSums[u * 3 + 1];
            sz += positionSums[u * 3 + 2];
            for (let k = 0; k < 6; k++) m[k] += secondMoments[u * 6 + k];
          }
    }
    if (n < 3) continue;
    const mx = sx / n,
      my = sy / n,
      mz = sz / n;
    m[0] = m[0] / n - mx * mx;
    m[1] = m[1] / n - mx * my;
    m[2] = m[2] / n - mx * mz;
    m[3] = m[3] / n - my * my;
    m[4] = m[4] / n - my * mz;
    m[5] = m[5] / n - mz * mz;
    symmetricEigen3(m, values, vectors);
    // Points on a line or a point give no plane: leave the normal unknown.
    if (!(values[1] > 1e-12)) continue;
    normals.set(vectors.subarray(0, 3), v * 3);
  }
  return normals;
}

/**
 * Edges to the 26 neighbours; a voxel with fewer than MIN_DEGREE of them (a cloud sparser than
 * the grid, an edge of a scan) also gets edges to the occupied voxels two steps away, so nearby
 * points stay connected: the k-nearest-within-a-radius graph, on the grid.
 */
function gridEdges(index: VoxelIndex): { edgeA: Int32Array; edgeB: Int32Array } {
  const voxelCount = index.size;
  const sparse = new Uint8Array(voxelCount);
  for (let v = 0; v < voxelCount; v++) {
    let degree = 0;
    const cx = index.x[v],
      cy = index.y[v],
      cz = index.z[v];
    for (let dz = -1; dz <= 1; dz++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx || dy || dz) && index.get(cx + dx, cy + dy, cz + dz) >= 0) degree++;
        }
    if (degree < MIN_DEGREE) sparse[v] = 1;
  }
  let edgeA = new Int32Array(voxelCount * 4);
  let edgeB = new Int32Array(voxelCount * 4);
  let count = 0;
  const push = (a: number, b: number) => {
    if (count === edgeA.length) {
      const grownA = new Int32Array(count * 2);
      const grownB = new Int32Array(count * 2);
      grownA.set(edgeA);
      grownB.set(edgeB);
      edgeA = grownA;
      edgeB = grownB;
    }
    edgeA[count] = a;
    edgeB[count] = b;
    count++;
  };
  for (let v = 0; v < voxelCount; v++) {
    const cx = index.x[v],
      cy = index.y[v],
      cz = index.z[v];
    for (const [dx, dy, dz] of FORWARD_NEIGHBOURS) {
      const u = index.get(cx + dx, cy + dy, cz + dz);
      if (u >= 0) push(v, u);
    }
    if (!sparse[v]) continue;
    for (let dz = -2; dz <= 2; dz++)
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy), Math.abs(dz)) < 2) continue;
          const u = index.get(cx + dx, cy + dy, cz + dz);
          // Between two sparse voxels the edge is added once, from the lower index.
          if (u >= 0 && (!sparse[u] || u > v)) push(v, u);
        }
  }
  return { edgeA: edgeA.slice(0, count), edgeB: edgeB.slice(0, count) };
}

/** Voxel pairs joined by a triangle side, each once. */
function meshEdges(
  faces: Uint32Array,
  voxelOfPoint: Int32Array,
): { edgeA: Int32Array; edgeB: Int32Array } {
  const faceCount = Math.floor(faces.length / 3);
  const pointCount = voxelOfPoint.length;
  const keys = new Float64Array(faceCount * 3);
  let count = 0;
  const span = 2 ** 26;
  for (let f = 0; f < faceCount; f++) {
    for (let s = 0; s < 3; s++) {
      const i = faces[f * 3 + s];
      const j = faces[f * 3 + ((s + 1) % 3)];
      if (i >= pointCount || j >= pointCount) continue;
      const a = voxelOfPoint[i];
      const b = voxelOfPoint[j];
      if (a < 0 || b < 0 || a === b) continue;
      keys[count++] = a < b ? a * span + b : b * span + a;
    }
  }
  const sorted = keys.subarray(0, count).sort();
  const edgeA = new Int32Array(count);
  const edgeB = new Int32Array(count);
  let unique = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    edgeA[unique] = Math.floor(sorted[i] / span);
    edgeB[unique] = sorted[i] % span;
    unique++;
  }
  return { edgeA: edgeA.slice(0, unique), edgeB: edgeB.slice(0, unique) };
}

/**
 * Distinct pairs (a < b) of segments with voxels within `radius` voxels of each other (Chebyshev):
 * the coarse levels' adjacency, which bridges the small gaps an unseen face leaves (a table top
 * seen from above and its legs).
 */
export function segmentPairsWithin(
  graph: VoxelGraph,
  labels: Int32Array,
  radius: number,
): { a: Int32Array; b: Int32Array } {
  const { index, voxelCount } = graph;
  const set = new PairSet();
  const r = Math.max(1, Math.floor(radius));
  if (r > 2) return segmentPairsInCells(graph, labels, r);
  for (let v = 0; v < voxelCount; v++) {
    const cx = index.x[v],
      cy = index.y[v],
      cz = index.z[v];
    const a = labels[v];
    for (let dz = 0; dz <= r; dz++)
      for (let dy = dz === 0 ? 0 : -r; dy <= r; dy++)
        for (let dx = dz === 0 && dy === 0 ? 1 : -r; dx <= r; dx++) {
          const u = index.get(cx + dx, cy + dy, cz + dz);
          if (u < 0) continue;
          const b = labels[u];
          if (a !== b) set.add(Math.min(a, b), Math.max(a, b));
        }
  }
  return set.pairs();
}

/**
 * For wide gaps, the exact voxel-radius scan costs (2r + 1)³ lookups per voxel; instead bin the
 * voxels into cells of r voxels and pair the segments of each cell with those of the same and the
 * 26 neighbouring cells (everything within r voxels, and some up to 2r).
 */
function segmentPairsInCells(
  graph: VoxelGraph,
  labels: Int32Array,
  r: number,
): { a: Int32Array; b: Int32Array } {
  const { index, voxelCount } = graph;
  const cells = new VoxelHash(voxelCount);
  let segmentCount = 0;
  for (let v = 0; v < voxelCount; v++) segmentCount = Math.max(segmentCount, labels[v] + 1);
  const keys = new Float64Array(voxelCount);
  for (let v = 0; v < voxelCount; v++) {
    const c = cells.insert(
      Math.floor(index.x[v] / r),
      Math.floor(index.y[v] / r),
      Math.floor(index.z[v] / r),
    );
    keys[v] = c * segmentCount + labels[v];
  }
  keys.sort();
  // CSR: the distinct segments of each cell.
  const cellStart = new Int32Array(cells.size + 1);
  const members = new Int32Array(voxelCount);
  let n = 0;
  for (let i = 0; i < voxelCount; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) continue;
    cellStart[Math.floor(keys[i] / segmentCount) + 1]++;
    members[n++] = keys[i] % segmentCount;
  }
  for (let c = 0; c < cells.size; c++) cellStart[c + 1] += cellStart[c];
  const set = new PairSet();
  for (let c = 0; c < cells.size; c++) {
    const cx = cells.x[c],
      cy = cells.y[c],
      cz = cells.z[c];
    for (let dz = -1; dz <= 1; dz++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const d = cells.get(cx + dx, cy + dy, cz + dz);
          if (d < c) continue; // each cell pair once (and the cell with itself)
          for (let i = cellStart[c]; i < cellStart[c + 1]; i++)
            for (let j = cellStart[d]; j < cellStart[d + 1]; j++) {
              const a = members[i];
              const b = members[j];
              if (a !== b) set.add(Math.min(a, b), Math.max(a, b));
            }
        }
  }
  return set.pairs();
}

/** Open-addressing set of int pairs. */
class PairSet {
  private a = new Int32Array(1024).fill(-1);
  private b = new Int32Array(1024);
  private size = 0;

  add(x: number, y: number): void {
    if (2 * (this.size + 1) > this.a.length) this.grow();
    const mask = this.a.length - 1;
    let slot = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca6b)) & mask;
    for (;;) {
      const k = this.a[slot];
      if (k === -1) {
        this.a[slot] = x;
        this.b[slot] = y;
        this.size++;
        return;
      }
      if (k === x && this.b[slot] === y) return;
      slot = (slot + 1) & mask;
    }
  }

  pairs(): { a: Int32Array; b: Int32Array } {
    // Sorted, so the result does not depend on the table's layout.
    const keys = new Float64Array(this.size);
    let n = 0;
    const span = 2 ** 26;
    for (let s = 0; s < this.a.length; s++)
      if (this.a[s] !== -1) keys[n++] = this.a[s] * span + this.b[s];
    keys.sort();
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.floor(keys[i] / span);
      b[i] = keys[i] % span;
    }
    return { a, b };
  }

  private grow(): void {
    const oldA = this.a;
    const oldB = this.b;
    this.a = new Int32Array(oldA.length * 2).fill(-1);
    this.b = new Int32Array(oldA.length * 2);
    this.size = 0;
    for (let s = 0; s < oldA.length; s++) if (oldA[s] !== -1) this.add(oldA[s], oldB[s]);
  }
}
