/**
 * Per-point normals by PCA over each point's neighbourhood (as Open3D's estimate_normals with a
 * hybrid radius / max-nn search): the covariance's eigenvector of the smallest eigenvalue.
 * Neighbours come from a hash grid of cells one search radius wide (27 cells per query; hash
 * collisions only add candidates that the distance test drops), all in typed arrays.
 */

export interface NormalOptions {
  /** Search radius in metres; default NORMAL_RADIUS_SPACINGS × the estimated point spacing. */
  radius?: number;
  /** At most this many nearest neighbours within the radius (Open3D's max_nn). */
  maxNeighbours?: number;
  /** Normals are flipped to face this point (e.g. the capturing cameras' centre)… */
  viewpoint?: [number, number, number];
  /** …or, without a viewpoint, to have a non-negative component along this axis. */
  up?: [number, number, number];
}

/** Radius in point spacings: enough neighbours for a stable plane fit on a scan's surfaces. */
export const NORMAL_RADIUS_SPACINGS = 3;
export const DEFAULT_MAX_NEIGHBOURS = 30;
/** Points sampled to estimate the spacing (a median is stable long before this). */
const SPACING_SAMPLES = 2000;

/** Cell indices are packed as 21 bits each into a hash; far-out points just share buckets. */
function cellHash(ix: number, iy: number, iz: number, mask: number): number {
  return (Math.imul(ix, 73856093) ^ Math.imul(iy, 19349663) ^ Math.imul(iz, 83492791)) & mask;
}

/** Points bucketed by the hash of their cell (a counting sort: `order` grouped by `start`). */
class HashGrid {
  readonly start: Int32Array;
  readonly order: Int32Array;
  readonly mask: number;
  readonly inv: number;

  constructor(
    readonly positions: Float32Array,
    readonly cell: number,
  ) {
    const n = positions.length / 3;
    let size = 1;
    while (size < n * 2) size <<= 1;
    this.mask = size - 1;
    this.inv = 1 / cell;
    const bucket = new Int32Array(n);
    const start = new Int32Array(size + 1);
    for (let i = 0; i < n; i++) {
      const h = this.hashOf(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]);
      bucket[i] = h;
      start[h + 1]++;
    }
    for (let b = 0; b < size; b++) start[b + 1] += start[b];
    const fill = start.slice(0, size);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[bucket[i]]++] = i;
    this.start = start;
    this.order = order;
  }

  private hashOf(x: number, y: number, z: number): number {
    const inv = this.inv;
    return cellHash(Math.floor(x * inv), Math.floor(y * inv), Math.floor(z * inv), this.mask);
  }

  /** Hashes of the 27 cells around a query (reused: a query allocates nothing). */
  private readonly cells = new Int32Array(27);
  /** Neighbours of the last gather(): indices and squared distances, `count` of them. */
  ids = new Int32Array(64);
  d2s = new Float64Array(64);

  /**
   * Collects every point within `radius` (≤ cell) of (x, y, z) into ids/d2s; returns how many.
   * A hash collision can list a bucket twice among the 27 cells: repeats are skipped.
   */
  gather(x: number, y: number, z: number, radius: number): number {
    const inv = this.inv;
    const cx = Math.floor(x * inv);
    const cy = Math.floor(y * inv);
    const cz = Math.floor(z * inv);
    const r2 = radius * radius;
    const p = this.positions;
    const cells = this.cells;
    let cellCount = 0;
    let count = 0;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dz = -1; dz <= 1; dz++) {
          const h = cellHash(cx + dx, cy + dy, cz + dz, this.mask);
          let repeat = false;
          for (let c = 0; c < cellCount; c++) if (cells[c] === h) repeat = true;
          if (repeat) continue;
          cells[cellCount++] = h;
          for (let k = this.start[h]; k < this.start[h + 1]; k++) {
            const j = this.order[k];
            const ex = p[3 * j] - x;
            const ey = p[3 * j + 1] - y;
            const ez = p[3 * j + 2] - z;
            const d2 = ex * ex + ey * ey + ez * ez;
            if (d2 > r2) continue;
            if (count === this.ids.length) this.grow();
            this.ids[count] = j;
            this.d2s[count++] = d2;
          }
        }
    return count;
  }

  private grow() {
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.ids = ids;
    const d2s = new Float64Array(this.d2s.length * 2);
    d2s.set(this.d2s);
    this.d2s = d2s;
  }
}

/**
 * Median nearest-neighbour distance over a sample of points. The grid is sized from the bounding
 * box as if the points covered its faces (a scan is surfaces); cells that hold no neighbour are
 * retried with a grid twice as coarse.
 */
export function estimateSpacing(positions: Float32Array): number {
  const n = positions.length / 3;
  if (n < 2) return 0;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++)
    for (let a = 0; a < 3; a++) {
      const v = positions[3 * i + a];
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    }
  const ext = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
  const area = 2 * (ext[0] * ext[1] + ext[1] * ext[2] + ext[0] * ext[2]);
  let cell = Math.max(Math.sqrt(area / n) * 2, Math.max(...ext) * 1e-6, 1e-9);
  const step = Math.max(1, Math.floor(n / SPACING_SAMPLES));
  for (let attempt = 0; attempt < 24; attempt++) {
    const grid = new HashGrid(positions, cell);
    const found: number[] = [];
    let missing = 0;
    for (let i = 0; i < n; i += step) {
      let best = Infinity;
      const count = grid.gather(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], cell);
      for (let k = 0; k < count; k++) {
        if (grid.ids[k] !== i && grid.d2s[k] < best) best = grid.d2s[k];
      }
      if (best < Infinity) found.push(Math.sqrt(best));
      else missing++;
    }
    if (found.length > 0 && missing <= found.length) {
      found.sort((a, b) => a - b);
      return found[found.length >> 1];
    }
    cell *= 2;
  }
  return 0;
}

/**
 * The unit eigenvector of the smallest eigenvalue of the symmetric 3×3 matrix
 * [a00 a01 a02; a01 a11 a12; a02 a12 a22], written to out[o..o+2]. Eigenvalues are the closed
 * form (trigonometric) roots; the vector is the largest cross product of two rows of A − λI.
 */
export function smallestEigenvector(
  a00: number,
  a01: number,
  a02: number,
  a11: number,
  a12: number,
  a22: number,
  out: Float32Array,
  o: number,
): void {
  const p1 = a01 * a01 + a02 * a02 + a12 * a12;
  const q = (a00 + a11 + a22) / 3;
  const b00 = a00 - q;
  const b11 = a11 - q;
  const b22 = a22 - q;
  const p = Math.sqrt((b00 * b00 + b11 * b11 + b22 * b22 + 2 * p1) / 6);
  if (!(p > 0)) {
    // A multiple of the identity: every direction is an eigenvector; none is a normal.
    out[o] = out[o + 1] = out[o + 2] = 0;
    return;
  }
  const det =
    b00 * (b11 * b22 - a12 * a12) - a01 * (a01 * b22 - a12 * a02) + a02 * (a01 * a12 - b11 * a02);
  const r = Math.max(-1, Math.min(1, det / (2 * p * p * p)));
  const phi = Math.acos(r) / 3;
  // The three roots are q + 2p·cos(phi + 2πk/3); k = 1 is the smallest.
  const lambda = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  const r0 = [a00 - lambda, a01, a02];
  const r1 = [a01, a11 - lambda, a12];
  const r2 = [a02, a12, a22 - lambda];
  const cross = (u: number[], v: number[]) => [
    u[1] * v[2] - u[2] * v[1],
    u[2] * v[0] - u[0] * v[2],
    u[0] * v[1] - u[1] * v[0],
  ];
  let best = [0, 0, 0];
  let bestLen = 0;
  for (const c of [cross(r0, r1), cross(r0, r2), cross(r1, r2)]) {
    const len = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
    if (len > bestLen) {
      best = c;
      bestLen = len;
    }
  }
  if (!(bestLen > 0)) {
    out[o] = out[o + 1] = out[o + 2] = 0;
    return;
  }
  const s = 1 / Math.sqrt(bestLen);
  out[o] = best[0] * s;
  out[o + 1] = best[1] * s;
  out[o + 2] = best[2] * s;
}

/**
 * One unit normal per point (n×3), oriented by `viewpoint` or `up` when given; (0, 0, 0) where
 * fewer than 3 neighbours lie within the radius or they span no plane.
 */
export function estimateNormals(
  positions: Float32Array,
  options: NormalOptions = {},
): Float32Array {
  const n = Math.floor(positions.length / 3);
  const normals = new Float32Array(n * 3);
  if (n < 3) return normals;
  const radius = options.radius ?? NORMAL_RADIUS_SPACINGS * estimateSpacing(positions);
  if (!(radius > 0) || !Number.isFinite(radius)) return normals;
  const maxNn = Math.max(3, Math.floor(options.maxNeighbours ?? DEFAULT_MAX_NEIGHBOURS));
  const grid = new HashGrid(positions, radius);
  for (let i = 0; i < n; i++) {
    const x = positions[3 * i];
    const y = positions[3 * i + 1];
    const z = positions[3 * i + 2];
    const count = grid.gather(x, y, z, radius);
    const ids = grid.ids;
    const d2s = grid.d2s;
    if (count < 3) continue;
    let use = count;
    if (count > maxNn) {
      // The max_nn nearest: a threshold from the sorted distances keeps the loop allocation-light.
      const sorted = d2s.slice(0, count).sort();
      const limit = sorted[maxNn - 1];
      use = 0;
      for (let k = 0; k < count && use < maxNn; k++) {
        if (d2s[k] <= limit) ids[use++] = ids[k];
      }
    }
    // Covariance about the neighbours' mean, relative to the point for precision.
    let sx = 0,
      sy = 0,
      sz = 0;
    let sxx = 0,
      sxy = 0,
      sxz = 0,
      syy = 0,
      syz = 0,
      szz = 0;
    for (let k = 0; k < use; k++) {
      const j = ids[k];
      const ex = positions[3 * j] - x;
      const ey = positions[3 * j + 1] - y;
      const ez = positions[3 * j + 2] - z;
      sx += ex;
      sy += ey;
      sz += ez;
      sxx += ex * ex;
      sxy += ex * ey;
      sxz += ex * ez;
      syy += ey * ey;
      syz += ey * ez;
      szz += ez * ez;
    }
    const inv = 1 / use;
    const mx = sx * inv;
    const my = sy * inv;
    const mz = sz * inv;
    smallestEigenvector(
      sxx * inv - mx * mx,
      sxy * inv - mx * my,
      sxz * inv - mx * mz,
      syy * inv - my * my,
      syz * inv - my * mz,
      szz * inv - mz * mz,
      normals,
      3 * i,
    );
    const toward = options.viewpoint
      ? [options.viewpoint[0] - x, options.viewpoint[1] - y, options.viewpoint[2] - z]
      : options.up;
    if (toward) {
      const d =
        normals[3 * i] * toward[0] +
        normals[3 * i + 1] * toward[1] +
        normals[3 * i + 2] * toward[2];
      if (d < 0) {
        normals[3 * i] = -normals[3 * i];
        normals[3 * i + 1] = -normals[3 * i + 1];
        normals[3 * i + 2] = -normals[3 * i + 2];
      }
    }
  }
  return normals;
}
