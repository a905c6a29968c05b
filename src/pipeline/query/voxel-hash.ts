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
    let slot =
      (Math.imul(cx, 73856093) ^ Math.imul(cy, 19349663) ^ Math.imul(cz, 83492791)) & this.mask;
    for (;;) {
      const v = this.slots[slot];
      if (v === EMPTY || (this.x[v] === cx && this.y[v] === cy && this.z[v] === cz)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }
}
