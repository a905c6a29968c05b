/**
 * Open-addressing hash from integer voxel coordinates to a dense voxel index (0, 1, 2, ... in
 * insertion order). Typed arrays only; capacity fixed up front from the number of inserts.
 */
const EMPTY = -1;

export class VoxelHash {
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly z: Int32Array;
  size = 0;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(maxVoxels: number) {
    let capacity = 16;
    while (capacity < 2 * maxVoxels) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.x = new Int32Array(Math.max(1, maxVoxels));
    this.y = new Int32Array(Math.max(1, maxVoxels));
    this.z = new Int32Array(Math.max(1, maxVoxels));
  }

  /** Dense index of the voxel, or −1. */
  get(cx: number, cy: number, cz: number): number {
    return this.slots[this.slotOf(cx, cy, cz)];
  }

  /** Dense index of the voxel, inserting it if new (at most `maxVoxels` inserts). */
  insert(cx: number, cy: number, cz: number): number {
    const slot = this.slotOf(cx, cy, cz);
    let v = this.slots[slot];
    if (v === EMPTY) {
      v = this.size++;
      this.x[v] = cx;
      this.y[v] = cy;
      this.z[v] = cz;
      this.slots[slot] = v;
    }
    return v;
  }

  private slotOf(cx: number, cy: number, cz: number): number {
    // Spatial hash + murmur3's finaliser: neighbouring cells land far apart, probes stay short.
    let h = Math.imul(cx, 73856093) ^ Math.imul(cy, 19349663) ^ Math.imul(cz, 83492791);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    let slot = (h ^ (h >>> 16)) & this.mask;
    for (;;) {
      const v = this.slots[slot];
      if (v === EMPTY || (this.x[v] === cx && this.y[v] === cy && this.z[v] === cz)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }
}

/**
 * The same contract over a dense grid of cells (cx in 0..nx−1, ...): no hashing and neighbouring
 * cells are close in memory. Used when the grid is small enough.
 */
export class DenseVoxelGrid {
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly z: Int32Array;
  size = 0;
  private readonly cells: Int32Array;

  constructor(
    private readonly nx: number,
    private readonly ny: number,
    private readonly nz: number,
    maxVoxels: number,
  ) {
    this.cells = new Int32Array(nx * ny * nz).fill(EMPTY);
    this.x = new Int32Array(Math.max(1, maxVoxels));
    this.y = new Int32Array(Math.max(1, maxVoxels));
    this.z = new Int32Array(Math.max(1, maxVoxels));
  }

  get(cx: number, cy: number, cz: number): number {
    if (cx < 0 || cy < 0 || cz < 0 || cx >= this.nx || cy >= this.ny || cz >= this.nz) return EMPTY;
    return this.cells[cx + this.nx * (cy + this.ny * cz)];
  }

  insert(cx: number, cy: number, cz: number): number {
    const cell = cx + this.nx * (cy + this.ny * cz);
    let v = this.cells[cell];
    if (v === EMPTY) {
      v = this.size++;
      this.x[v] = cx;
      this.y[v] = cy;
      this.z[v] = cz;
      this.cells[cell] = v;
    }
    return v;
  }
}

/** Dense grids up to this many cells (16 MB of Int32); a hash beyond. */
export const MAX_DENSE_CELLS = 4 * 1024 * 1024;

export type VoxelIndex = VoxelHash | DenseVoxelGrid;

export function createVoxelIndex(
  nx: number,
  ny: number,
  nz: number,
  maxVoxels: number,
): VoxelIndex {
  return nx * ny * nz <= MAX_DENSE_CELLS && nx * ny * nz <= 64 * Math.max(1, maxVoxels)
    ? new DenseVoxelGrid(nx, ny, nz, maxVoxels)
    : new VoxelHash(maxVoxels);
}
