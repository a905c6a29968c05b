/**
 * Local point spacing of a cloud that samples surfaces, per point, from a voxel hash: for each
 * occupied voxel, the points of its 3×3×3 neighbourhood give a local plane (PCA); the area of that
 * plane inside the neighbourhood cube, (3h)² / max|n_i|, shared by the neighbourhood's points,
 * gives the spacing sqrt(area / count). Splat radii are this spacing times a factor, so splats
 * close the surface at any resolution without knowing how the cloud was sampled; the plane's
 * normal orients the splats when the cloud has none.
 */
import { RENDER_DEFAULTS } from '../defaults';
import { finiteBounds } from '../geometry/finite-bounds';
import { bucketPoints } from './voxel-hash';

export interface PointSpacing {
  /** Spacing per point in metres (0 for points with a non-finite coordinate). */
  spacing: Float32Array;
  /** Side of the density voxels used, metres. */
  voxelSize: number;
  /** Median spacing over the finite points. */
  medianSpacing: number;
  /**
   * Unit normal per point of the local plane fitted to its voxel neighbourhood (NaN where
   * undefined: fewer than 3 points, non-finite point). Sign arbitrary.
   */
  normals: Float32Array;
}

export interface PointSpacingOptions {
  pointsPerVoxel: number;
  maxOverMedian: number;
}

const PLANNING_SAMPLE = 100_000;

export function estimatePointSpacing(
  positions: Float32Array,
  options: Partial<PointSpacingOptions> = {},
): PointSpacing {
  const pointsPerVoxel = options.pointsPerVoxel ?? RENDER_DEFAULTS.spacingPointsPerVoxel;
  const maxOverMedian = options.maxOverMedian ?? RENDER_DEFAULTS.spacingMaxOverMedian;
  const n = positions.length / 3;
  const spacing = new Float32Array(n);
  const normals = new Float32Array(n * 3).fill(NaN);
  const bounds = finiteBounds(positions);
  const diagonal = Math.hypot(
    bounds.hi[0] - bounds.lo[0],
    bounds.hi[1] - bounds.lo[1],
    bounds.hi[2] - bounds.lo[2],
  );
  if (bounds.count < 2 || !(diagonal > 0)) {
    return { spacing, voxelSize: 0, medianSpacing: 0, normals };
  }
  const voxelSize = chooseVoxelSize(positions, bounds.count, diagonal, pointsPerVoxel);
  const { hash, slotOfPoint, counts } = bucketPoints(positions, voxelSize);
  const voxels = hash.size;

  // Per-voxel sums of centred coordinates and their products (for the neighbourhood PCA).
  const ox = bounds.lo[0];
  const oy = bounds.lo[1];
  const oz = bounds.lo[2];
  const sums = new Float64Array(voxels * 9);
  for (let i = 0; i < n; i++) {
    const slot = slotOfPoint[i];
    if (slot < 0) continue;
    const x = positions[i * 3] - ox;
    const y = positions[i * 3 + 1] - oy;
    const z = positions[i * 3 + 2] - oz;
    const s = slot * 9;
    sums[s] += x;
    sums[s + 1] += y;
    sums[s + 2] += z;
    sums[s + 3] += x * x;
    sums[s + 4] += y * y;
    sums[s + 5] += z * z;
    sums[s + 6] += x * y;
    sums[s + 7] += x * z;
    sums[s + 8] += y * z;
  }

  const voxelSpacing = new Float64Array(voxels);
  const voxelNormals = new Float32Array(voxels * 3);
  const normal = new Float64Array(3);
  const cell = new Int32Array(3);
  const acc = new Float64Array(9);
  const cubeArea = 9 * voxelSize * voxelSize;
  for (let v = 0; v < voxels; v++) {
    hash.coordsOf(v, cell);
    acc.fill(0);
    let count = 0;
    for (let dz = -1; dz <= 1; dz++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const w = hash.find(cell[0] + dx, cell[1] + dy, cell[2] + dz);
          if (w < 0) continue;
          count += counts[w];
          for (let k = 0; k < 9; k++) acc[k] += sums[w * 9 + k];
        }
      }
    }
    const fitted = planeNormal(acc, count, normal);
    // A unit vector's largest component is at least 1/√3; unknown planes count as axis-aligned.
    const largest = fitted
      ? Math.max(1 / Math.sqrt(3), Math.abs(normal[0]), Math.abs(normal[1]), Math.abs(normal[2]))
      : 1;
    voxelSpacing[v] = Math.sqrt(cubeArea / Math.min(1, largest) / count);
    for (let k = 0; k < 3; k++) voxelNormals[v * 3 + k] = fitted ? normal[k] : NaN;
  }

  for (let i = 0; i < n; i++) {
    const slot = slotOfPoint[i];
    if (slot < 0) continue;
    spacing[i] = voxelSpacing[slot];
    normals[i * 3] = voxelNormals[slot * 3];
    normals[i * 3 + 1] = voxelNormals[slot * 3 + 1];
    normals[i * 3 + 2] = voxelNormals[slot * 3 + 2];
  }
  const medianSpacing = sampledMedian(spacing, slotOfPoint);
  const cap = medianSpacing * maxOverMedian;
  for (let i = 0; i < n; i++) if (spacing[i] > cap) spacing[i] = cap;
  return { spacing, voxelSize, medianSpacing, normals };
}

/**
 * Voxel side giving about `pointsPerVoxel` points per occupied voxel. Starts from the spacing a
 * surface of area ~diagonal² would have, then corrects on a sample (occupancy of a surface grows
 * with the voxel area).
 */
function chooseVoxelSize(
  positions: Float32Array,
  finiteCount: number,
  diagonal: number,
  pointsPerVoxel: number,
): number {
  const n = positions.length / 3;
  const stride = Math.max(1, Math.floor(n / PLANNING_SAMPLE));
  const sample: number[] = [];
  for (let i = 0; i < n; i += stride) sample.push(i);
  const fraction = sample.length / n;
  let h = (diagonal / Math.sqrt(finiteCount)) * Math.sqrt(pointsPerVoxel);
  for (let iteration = 0; iteration < 4; iteration++) {
    const { hash } = bucketPoints(positions, h, sample);
    const occupancy = sample.length / Math.max(1, hash.size) / fraction;
    const ratio = pointsPerVoxel / occupancy;
    if (ratio > 0.7 && ratio < 1.4) break;
    h *= Math.min(4, Math.max(0.25, Math.sqrt(ratio)));
  }
  return Math.max(h, diagonal * 1e-6);
}

/**
 * Unit normal of the best-fit plane (smallest-eigenvalue eigenvector of the covariance) from
 * accumulated sums, written to `out`; false when undefined (fewer than 3 points, degenerate).
 */
function planeNormal(acc: Float64Array, count: number, out: Float64Array): boolean {
  if (count < 3) return false;
  const mx = acc[0] / count;
  const my = acc[1] / count;
  const mz = acc[2] / count;
  const a = acc[3] / count - mx * mx;
  const b = acc[4] / count - my * my;
  const c = acc[5] / count - mz * mz;
  const d = acc[6] / count - mx * my;
  const e = acc[7] / count - mx * mz;
  const f = acc[8] / count - my * mz;
  const lambda = smallestEigenvalue(a, b, c, d, e, f);
  // Rows of (C − λI); the eigenvector is the largest cross product of two rows.
  const r0x = a - lambda;
  const r1y = b - lambda;
  const r2z = c - lambda;
  const c01x = d * f - e * r1y;
  const c01y = e * d - r0x * f;
  const c01z = r0x * r1y - d * d;
  const c02x = d * r2z - e * f;
  const c02y = e * e - r0x * r2z;
  const c02z = r0x * f - d * e;
  const c12x = r1y * r2z - f * f;
  const c12y = f * e - d * r2z;
  const c12z = d * f - r1y * e;
  const n01 = c01x * c01x + c01y * c01y + c01z * c01z;
  const n02 = c02x * c02x + c02y * c02y + c02z * c02z;
  const n12 = c12x * c12x + c12y * c12y + c12z * c12z;
  let nx = c01x;
  let ny = c01y;
  let nz = c01z;
  let norm = n01;
  if (n02 > norm) {
    nx = c02x;
    ny = c02y;
    nz = c02z;
    norm = n02;
  }
  if (n12 > norm) {
    nx = c12x;
    ny = c12y;
    nz = c12z;
    norm = n12;
  }
  if (!(norm > 0) || !Number.isFinite(norm)) return false;
  const inv = 1 / Math.sqrt(norm);
  out[0] = nx * inv;
  out[1] = ny * inv;
  out[2] = nz * inv;
  return true;
}

/** Smallest eigenvalue of the symmetric matrix [[a d e] [d b f] [e f c]] (trigonometric form). */
function smallestEigenvalue(a: number, b: number, c: number, d: number, e: number, f: number) {
  const p1 = d * d + e * e + f * f;
  const q = (a + b + c) / 3;
  if (p1 === 0) return Math.min(a, b, c);
  const p2 = (a - q) ** 2 + (b - q) ** 2 + (c - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  if (!(p > 0)) return q;
  const ba = (a - q) / p;
  const bb = (b - q) / p;
  const bc = (c - q) / p;
  const bd = d / p;
  const be = e / p;
  const bf = f / p;
  const det = ba * (bb * bc - bf * bf) - bd * (bd * bc - bf * be) + be * (bd * bf - bb * be);
  const r = Math.min(1, Math.max(-1, det / 2));
  const phi = Math.acos(r) / 3;
  // Eigenvalues q + 2p·cos(phi + 2πk/3); the smallest is k = 1.
  return q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
}

/** Median of `values` over finite points, from at most ~10k evenly strided samples. */
function sampledMedian(values: Float32Array, slotOfPoint: Int32Array): number {
  const stride = Math.max(1, Math.floor(values.length / 10_000));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += stride) if (slotOfPoint[i] >= 0) sample.push(values[i]);
  if (sample.length === 0) return 0;
  sample.sort((x, y) => x - y);
  return sample[sample.length >> 1];
}
