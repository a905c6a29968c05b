/**
 * Voxel downsampling accumulator: an open-addressing hash from integer voxel keys to running
 * sums of position and colour, in typed arrays (no per-point objects). Each occupied voxel
 * yields one point at the mean position with the mean colour (as Open3D's voxel_down_sample).
 */
import type { PointCloud } from '../scene/types';

const EMPTY = 0x7fffffff;
/** Voxel indices beyond ±2^30 are dropped (far outside any scan, and they would overflow). */
const MAX_INDEX = 1 << 30;

export class VoxelAccumulator {
  private capacity: number;
  private keys: Int32Array;
  private sums: Float64Array;
  private colorSums: Float64Array;
  private counts: Uint32Array;
  private used = 0;
  private readonly inverseVoxel: number;

  constructor(
    readonly voxelSize: number,
    initialCapacity = 1 << 16,
  ) {
    if (!(voxelSize > 0) || !Number.isFinite(voxelSize)) {
      throw new RangeError(`voxel size must be a positive number, got ${voxelSize}`);
    }
    this.inverseVoxel = 1 / voxelSize;
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.capacity = cap;
    this.keys = new Int32Array(cap * 3).fill(EMPTY);
    this.sums = new Float64Array(cap * 3);
    this.colorSums = new Float64Array(cap * 3);
    this.counts = new Uint32Array(cap);
  }

  get voxelCount(): number {
    return this.used;
  }

  add(x: number, y: number, z: number, r: number, g: number, b: number): void {
    const ix = Math.floor(x * this.inverseVoxel);
    const iy = Math.floor(y * this.inverseVoxel);
    const iz = Math.floor(z * this.inverseVoxel);
    if (!(Math.abs(ix) < MAX_INDEX && Math.abs(iy) < MAX_INDEX && Math.abs(iz) < MAX_INDEX)) return;
    const slot = this.findSlot(ix, iy, iz);
    const k = slot * 3;
    if (this.keys[k] === EMPTY) {
      this.keys[k] = ix;
      this.keys[k + 1] = iy;
      this.keys[k + 2] = iz;
      this.used++;
    }
    this.sums[k] += x;
    this.sums[k + 1] += y;
    this.sums[k + 2] += z;
    this.colorSums[k] += r;
    this.colorSums[k + 1] += g;
    this.colorSums[k + 2] += b;
    this.counts[slot]++;
    if (this.used * 2 > this.capacity) this.grow();
  }

  private findSlot(ix: number, iy: number, iz: number): number {
    const mask = this.capacity - 1;
    let h = (Math.imul(ix, 73856093) ^ Math.imul(iy, 19349663) ^ Math.imul(iz, 83492791)) & mask;
    const keys = this.keys;
    for (;;) {
      const k = h * 3;
      const kx = keys[k];
      if (kx === EMPTY || (kx === ix && keys[k + 1] === iy && keys[k + 2] === iz)) return h;
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    const old = {
      keys: this.keys,
      sums: this.sums,
      colorSums: this.colorSums,
      counts: this.counts,
      capacity: this.capacity,
    };
    this.capacity *= 2;
    this.keys = new Int32Array(this.capacity * 3).fill(EMPTY);
    this.sums = new Float64Array(this.capacity * 3);
    this.colorSums = new Float64Array(this.capacity * 3);
    this.counts = new Uint32Array(this.capacity);
    for (let s = 0; s < old.capacity; s++) {
      const k = s * 3;
      if (old.keys[k] === EMPTY) continue;
      const slot = this.findSlot(old.keys[k], old.keys[k + 1], old.keys[k + 2]);
      const n = slot * 3;
      for (let a = 0; a < 3; a++) {
        this.keys[n + a] = old.keys[k + a];
        this.sums[n + a] = old.sums[k + a];
        this.colorSums[n + a] = old.colorSums[k + a];
      }
      this.counts[slot] = old.counts[s];
    }
  }

  /** One point per occupied voxel, ordered by voxel key (z, then y, then x) for stable output. */
  toCloud(): PointCloud {
    const slots = new Uint32Array(this.used);
    let n = 0;
    for (let s = 0; s < this.capacity; s++) if (this.keys[s * 3] !== EMPTY) slots[n++] = s;
    const keys = this.keys;
    slots.sort((a, b) => {
      const ka = a * 3;
      const kb = b * 3;
      return keys[ka + 2] - keys[kb + 2] || keys[ka + 1] - keys[kb + 1] || keys[ka] - keys[kb];
    });
    const positions = new Float32Array(n * 3);
    const colors = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      const s = slots[i];
      const c = this.counts[s];
      for (let a = 0; a < 3; a++) {
        positions[i * 3 + a] = this.sums[s * 3 + a] / c;
        colors[i * 3 + a] = Math.round(this.colorSums[s * 3 + a] / c);
      }
    }
    return { positions, colors };
  }
}
