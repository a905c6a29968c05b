/**
 * Per-segment sufficient statistics over voxels (points, voxels, Σp, Σrgb, Σppᵀ, Σ n nᵀ): every
 * mean, colour, plane and normal axis of a union of segments is exact from added sums, so the
 * coarser levels never go back to the points.
 */
import { symmetricEigen3 } from './symmetric-eigen';
import type { VoxelGraph } from './voxel-graph';

export class SegmentStats {
  readonly count: number;
  readonly points: Float64Array;
  readonly voxels: Float64Array;
  readonly positionSums: Float64Array;
  readonly colourSums: Float64Array;
  readonly secondMoments: Float64Array;
  /** Σ points × n nᵀ over the voxels' normals (xx, xy, xz, yy, yz, zz). */
  readonly normalMoments: Float64Array;
  private readonly values = new Float64Array(3);
  private readonly vectors = new Float64Array(9);
  private readonly scratch = new Float64Array(6);

  constructor(count: number) {
    this.count = count;
    this.points = new Float64Array(count);
    this.voxels = new Float64Array(count);
    this.positionSums = new Float64Array(count * 3);
    this.colourSums = new Float64Array(count * 3);
    this.secondMoments = new Float64Array(count * 6);
    this.normalMoments = new Float64Array(count * 6);
  }

  static fromVoxels(graph: VoxelGraph, labels: Int32Array, count: number): SegmentStats {
    const s = new SegmentStats(count);
    for (let v = 0; v < graph.voxelCount; v++) {
      const g = labels[v];
      const c = graph.counts[v];
      s.points[g] += c;
      s.voxels[g] += 1;
      for (let k = 0; k < 3; k++) {
        s.positionSums[g * 3 + k] += graph.positionSums[v * 3 + k];
        s.colourSums[g * 3 + k] += graph.colourSums[v * 3 + k];
      }
      for (let k = 0; k < 6; k++) s.secondMoments[g * 6 + k] += graph.secondMoments[v * 6 + k];
      const nx = graph.normals[v * 3],
        ny = graph.normals[v * 3 + 1],
        nz = graph.normals[v * 3 + 2];
      const o = g * 6;
      s.normalMoments[o] += c * nx * nx;
      s.normalMoments[o + 1] += c * nx * ny;
      s.normalMoments[o + 2] += c * nx * nz;
      s.normalMoments[o + 3] += c * ny * ny;
      s.normalMoments[o + 4] += c * ny * nz;
      s.normalMoments[o + 5] += c * nz * nz;
    }
    return s;
  }

  /** Adds segment b's sums into segment a's. */
  absorb(a: number, b: number): void {
    this.points[a] += this.points[b];
    this.voxels[a] += this.voxels[b];
    for (let k = 0; k < 3; k++) {
      this.positionSums[a * 3 + k] += this.positionSums[b * 3 + k];
      this.colourSums[a * 3 + k] += this.colourSums[b * 3 + k];
    }
    for (let k = 0; k < 6; k++) {
      this.secondMoments[a * 6 + k] += this.secondMoments[b * 6 + k];
      this.normalMoments[a * 6 + k] += this.normalMoments[b * 6 + k];
    }
  }

  /** Mean colour distance, 0 (same) to 1 (black vs white). */
  colourDistance(a: number, b: number): number {
    const pa = this.points[a] || 1;
    const pb = this.points[b] || 1;
    let d = 0;
    for (let k = 0; k < 3; k++) {
      const x = this.colourSums[a * 3 + k] / pa - this.colourSums[b * 3 + k] / pb;
      d += x * x;
    }
    return Math.sqrt(d) / 441.673;
  }

  /**
   * The dominant normal axis into out[o..o+3] (unit, sign arbitrary); returns how concentrated the
   * normals are around it (1: all parallel, 1/3: isotropic, 0: no normals).
   */
  normalAxis(s: number, out: Float64Array, o = 0): number {
    const m = this.normalMoments.subarray(s * 6, s * 6 + 6);
    const trace = m[0] + m[3] + m[5];
    if (!(trace > 0)) {
      out[o] = out[o + 1] = out[o + 2] = 0;
      return 0;
    }
    symmetricEigen3(m, this.values, this.vectors);
    out[o] = this.vectors[6];
    out[o + 1] = this.vectors[7];
    out[o + 2] = this.vectors[8];
    return this.values[2] / trace;
  }

  /** 1 − |n_a · n_b| of the dominant normal axes (1 where either has none). */
  normalDistance(a: number, b: number, scratch: Float64Array): number {
    if (this.normalAxis(a, scratch, 0) === 0 || this.normalAxis(b, scratch, 3) === 0) return 1;
    const dot = scratch[0] * scratch[3] + scratch[1] * scratch[4] + scratch[2] * scratch[5];
    return 1 - Math.min(1, Math.abs(dot));
  }

  /** Centroid (relative to the graph origin) into out[0..3]. */
  centroid(s: number, out: Float64Array): void {
    const n = this.points[s] || 1;
    for (let k = 0; k < 3; k++) out[k] = this.positionSums[s * 3 + k] / n;
  }

  /**
   * Best-fit plane: normal (least-variance axis) into normalOut[0..3]; returns the RMS distance of
   * the points from it, and `spread` gets the other two standard deviations (smaller, larger).
   */
  plane(s: number, normalOut: Float64Array, spread?: Float64Array): number {
    const n = this.points[s];
    const m = this.scratch;
    if (!(n > 0)) return Infinity;
    const mx = this.positionSums[s * 3] / n;
    const my = this.positionSums[s * 3 + 1] / n;
    const mz = this.positionSums[s * 3 + 2] / n;
    const q = this.secondMoments.subarray(s * 6, s * 6 + 6);
    m[0] = q[0] / n - mx * mx;
    m[1] = q[1] / n - mx * my;
    m[2] = q[2] / n - mx * mz;
    m[3] = q[3] / n - my * my;
    m[4] = q[4] / n - my * mz;
    m[5] = q[5] / n - mz * mz;
    symmetricEigen3(m, this.values, this.vectors);
    normalOut[0] = this.vectors[0];
    normalOut[1] = this.vectors[1];
    normalOut[2] = this.vectors[2];
    if (spread) {
      spread[0] = Math.sqrt(Math.max(0, this.values[1]));
      spread[1] = Math.sqrt(Math.max(0, this.values[2]));
    }
    return Math.sqrt(Math.max(0, this.values[0]));
  }
}
