/**
 * Axis-aligned bounds of the finite points of an xyz Float32Array (all of them, or those listed in
 * `indices`): points with a NaN or infinite coordinate are skipped, as the voxel hashes skip them.
 */
export interface FiniteBounds {
  lo: [number, number, number];
  hi: [number, number, number];
  /** Finite points counted (0: lo/hi are ±Infinity). */
  count: number;
}

export function finiteBounds(positions: Float32Array, indices?: ArrayLike<number>): FiniteBounds {
  const lo: [number, number, number] = [Infinity, Infinity, Infinity];
  const hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  const n = indices ? indices.length : positions.length / 3;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const p = (indices ? indices[k] : k) * 3;
    const x = positions[p];
    const y = positions[p + 1];
    const z = positions[p + 2];
    if (!Number.isFinite(x + y + z)) continue;
    count++;
    if (x < lo[0]) lo[0] = x;
    if (x > hi[0]) hi[0] = x;
    if (y < lo[1]) lo[1] = y;
    if (y > hi[1]) hi[1] = y;
    if (z < lo[2]) lo[2] = z;
    if (z > hi[2]) hi[2] = z;
  }
  return { lo, hi, count };
}
