/**
 * An open-addressing hash from integer voxel coordinates to dense slot numbers (0, 1, 2, ... in
 * insertion order), in typed arrays. The renderer uses it for point density, free-space tests and
 * downsampling; callers keep per-slot data in their own arrays indexed by slot.
 */
const EMPTY = 0x7fffffff;
/** Voxel indices beyond ±2^29 are refused (they would overflow the neighbour arithmetic). */
const MAX_INDEX = 1 << 29;

export class VoxelHash {
  private capacity: number;
  /** slot id + 1 per table entry (0 = empty). */
  private table: Int32Array;
  /** Voxel coordinates per slot id. */
  private coords: Int32Array;
  private used = 0;

  constructor(expectedVoxels = 1024) {
    let cap = 16;
    while (cap < expectedVoxels * 2) cap <<= 1;
    this.capacity = cap;
    this.table = new Int32Array(cap);
    this.coords = new Int32Array(Math.max(16, expectedVoxels) * 3).fill(EMPTY);
  }

  get size(): number {
    return this.used;
  }

  /** Voxel coordinates of slot `id` (x, y, z). */
  coordsOf(id: number, out: Int32Array | number[]): void {
    out[0] = this.coords[id * 3];
    out[1] = this.coords[id * 3 + 1];
    out[2] = this.coords[id * 3 + 2];
  }

  /** Slot of voxel (ix, iy, iz), inserting it if new; −1 for non-finite or huge indices. */
  insert(ix: number, iy: number, iz: number): number {
    if (!(Math.abs(ix) < MAX_INDEX && Math.abs(iy) < MAX_INDEX && Math.abs(iz) < MAX_INDEX)) {
      return -1;
    }
    const mask = this.capacity - 1;
    let h = hash(ix, iy, iz) & mask;
    const table = this.table;
    const coords = this.coords;
    for (;;) {
      const entry = table[h];
      if (entry === 0) break;
      const k = (entry - 1) * 3;
      if (coords[k] === ix && coords[k + 1] === iy && coords[k + 2] === iz) return entry - 1;
      h = (h + 1) & mask;
    }
    const id = this.used++;
    if (id * 3 + 3 > this.coords.length) {
      const grown = new Int32Array(this.coords.length * 2);
      grown.set(this.coords);
      this.coords = grown;
    }
    this.coords[id * 3] = ix;
    this.coords[id * 3 + 1] = iy;
    this.coords[id * 3 + 2] = iz;
    this.table[h] = id + 1;
    if (this.used * 2 > this.capacity) this.grow();
    return id;
  }

  /** Slot of voxel (ix, iy, iz), or −1 if absent. */
  find(ix: number, iy: number, iz: number): number {
    if (!(Math.abs(ix) < MAX_INDEX && Math.abs(iy) < MAX_INDEX && Math.abs(iz) < MAX_INDEX)) {
      return -1;
    }
    const mask = this.capacity - 1;
    let h = hash(ix, iy, iz) & mask;
    const table = this.table;
    const coords = this.coords;
    for (;;) {
      const entry = table[h];
      if (entry === 0) return -1;
      const k = (entry - 1) * 3;
      if (coords[k] === ix && coords[k + 1] === iy && coords[k + 2] === iz) return entry - 1;
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    this.capacity <<= 1;
    const mask = this.capacity - 1;
    const table = new Int32Array(this.capacity);
    for (let id = 0; id < this.used; id++) {
      let h = hash(this.coords[id * 3], this.coords[id * 3 + 1], this.coords[id * 3 + 2]) & mask;
      while (table[h] !== 0) h = (h + 1) & mask;
      table[h] = id + 1;
    }
    this.table = table;
  }
}

function hash(ix: number, iy: number, iz: number): number {
  const h = Math.imul(ix, 73856093) ^ Math.imul(iy, 19349663) ^ Math.imul(iz, 83492791);
  // Final avalanche so that neighbouring voxels do not cluster in the table.
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
}

/**
 * Buckets points into voxels of side `voxelSize`: returns the hash and each point's slot
 * (−1 for points with a non-finite coordinate).
 */
export function bucketPoints(
  positions: Float32Array,
  voxelSize: number,
  indices?: ArrayLike<number>,
): { hash: VoxelHash; slotOfPoint: Int32Array; counts: Uint32Array } {
  const n = indices ? indices.length : positions.length / 3;
  const inv = 1 / voxelSize;
  const hash = new VoxelHash(Math.min(n, 1 << 20));
  const slotOfPoint = new Int32Array(n);
  let counts = new Uint32Array(1024);
  for (let k = 0; k < n; k++) {
    const p = (indices ? indices[k] : k) * 3;
    const slot = hash.insert(
      Math.floor(positions[p] * inv),
      Math.floor(positions[p + 1] * inv),
      Math.floor(positions[p + 2] * inv),
    );
    slotOfPoint[k] = slot;
    if (slot < 0) continue;
    if (slot >= counts.length) {
      const grown = new Uint32Array(counts.length * 2);
      grown.set(counts);
      counts = grown;
    }
    counts[slot]++;
  }
  return { hash, slotOfPoint, counts: counts.subarray(0, hash.size) };
}
