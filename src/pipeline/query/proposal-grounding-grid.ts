/**
 * A uniform grid over (a strided sample of) the cloud's points, voxel → its points (CSR), so the
 * points around a proposal (its shell) are found without scanning the cloud for every proposal.
 * Surroundings only need a robust mean, so a sample of the points is enough: the grid holds at
 * most `maxPoints` of them, and a box visits at most about `maxVisits`.
 */
import { VoxelHash } from './voxel-hash';

export class PointGrid {
  private readonly hash: VoxelHash;
  private readonly offsets: Uint32Array;
  private readonly points: Uint32Array;
  /** Every `sampleStride`-th point of the cloud is in the grid. */
  readonly sampleStride: number;

  constructor(
    private readonly positions: Float32Array,
    readonly cellSize: number,
    maxPoints = Infinity,
  ) {
    if (!(cellSize > 0) || !Number.isFinite(cellSize)) {
      throw new RangeError(`point grid: cell size must be a positive number, got ${cellSize}`);
    }
    const n = Math.floor(positions.length / 3);
    this.sampleStride = Math.max(1, Math.ceil(n / Math.max(1, maxPoints)));
    const sampled = Math.ceil(n / this.sampleStride);
    this.hash = new VoxelHash(sampled);
    const cellOf = new Int32Array(sampled);
    for (let s = 0; s < sampled; s++) {
      const i = s * this.sampleStride;
      const x = positions[i * 3];
      const y = positions[i * 3 + 1];
      const z = positions[i * 3 + 2];
      // Non-finite positions belong to no cell (they are in no box either).
      cellOf[s] =
        Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)
          ? this.hash.insert(this.cell(x), this.cell(y), this.cell(z))
          : -1;
    }
    const cells = this.hash.size;
    this.offsets = new Uint32Array(cells + 1);
    for (let s = 0; s < sampled; s++) if (cellOf[s] >= 0) this.offsets[cellOf[s] + 1]++;
    for (let c = 0; c < cells; c++) this.offsets[c + 1] += this.offsets[c];
    const fill = this.offsets.slice(0, cells);
    this.points = new Uint32Array(this.offsets[cells]);
    for (let s = 0; s < sampled; s++) {
      if (cellOf[s] >= 0) this.points[fill[cellOf[s]]++] = s * this.sampleStride;
    }
  }

  private cell(v: number): number {
    return Math.floor(v / this.cellSize);
  }

  /**
   * Calls `visit(i)` for the grid's points inside the box (inclusive); when more than `maxVisits`
   * are there, for an evenly strided share of them.
   */
  forEachInBox(
    min: ArrayLike<number>,
    max: ArrayLike<number>,
    visit: (i: number) => void,
    maxVisits = Infinity,
  ): void {
    const lo = [this.cell(min[0]), this.cell(min[1]), this.cell(min[2])];
    const hi = [this.cell(max[0]), this.cell(max[1]), this.cell(max[2])];
    if (![...lo, ...hi].every(Number.isFinite)) return;
    const p = this.positions;
    const inBox = (i: number) => {
      const x = p[i * 3];
      const y = p[i * 3 + 1];
      const z = p[i * 3 + 2];
      return x >= min[0] && x <= max[0] && y >= min[1] && y <= max[1] && z >= min[2] && z <= max[2];
    };
    const span = (hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) * (hi[2] - lo[2] + 1);
    // A box spanning more cells than the grid holds: walk the grid's points instead of its cells.
    if (span > this.hash.size) {
      const stride = Math.max(1, Math.floor(this.points.length / maxVisits));
      for (let k = 0; k < this.points.length; k += stride) {
        if (inBox(this.points[k])) visit(this.points[k]);
      }
      return;
    }
    let inCells = 0;
    this.forEachCell(lo, hi, (c) => (inCells += this.offsets[c + 1] - this.offsets[c]));
    const stride = Math.max(1, Math.floor(inCells / maxVisits));
    // One running phase across cells, so the stride samples the box evenly, not each cell's start.
    let phase = 0;
    this.forEachCell(lo, hi, (c) => {
      const end = this.offsets[c + 1];
      let k = this.offsets[c] + phase;
      for (; k < end; k += stride) {
        const i = this.points[k];
        if (inBox(i)) visit(i);
      }
      phase = k - end;
    });
  }

  private forEachCell(lo: number[], hi: number[], visit: (cell: number) => void): void {
    for (let cz = lo[2]; cz <= hi[2]; cz++) {
      for (let cy = lo[1]; cy <= hi[1]; cy++) {
        for (let cx = lo[0]; cx <= hi[0]; cx++) {
          const c = this.hash.get(cx, cy, cz);
          if (c >= 0) visit(c);
        }
      }
    }
  }
}
