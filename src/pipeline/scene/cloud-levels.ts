/**
 * Voxel-downsampled levels of a cloud for the viewer's point budget. Each level keeps one
 * representative point per voxel (the first met), so per-point values (scores, view counts)
 * of the full cloud can be gathered for the displayed points with the same indices.
 */
export interface CloudLevel {
  /** 0 for the full-resolution cloud. */
  voxelSize: number;
  /** Indices into the full cloud of the points kept (undefined = all points). */
  indices?: Uint32Array;
  count: number;
}

/** Indices of one representative point per voxel of side `voxelSize`. */
export function voxelRepresentatives(positions: Float32Array, voxelSize: number): Uint32Array {
  const n = positions.length / 3;
  let minX = Infinity;
  let minY = Infinity;
  let minZ = Infinity;
  // `<` skips NaN (Math.min would spread it to every key).
  for (let i = 0; i < n; i++) {
    if (positions[3 * i] < minX) minX = positions[3 * i];
    if (positions[3 * i + 1] < minY) minY = positions[3 * i + 1];
    if (positions[3 * i + 2] < minZ) minZ = positions[3 * i + 2];
  }
  // 2^17 cells per axis keep the packed key an exact integer in a double (51 bits).
  const cells = 131072;
  const seen = new Set<number>();
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.min(cells - 1, Math.floor((positions[3 * i] - minX) / voxelSize));
    const y = Math.min(cells - 1, Math.floor((positions[3 * i + 1] - minY) / voxelSize));
    const z = Math.min(cells - 1, Math.floor((positions[3 * i + 2] - minZ) / voxelSize));
    if (!(x >= 0 && y >= 0 && z >= 0)) continue; // NaN positions are dropped
    const key = (z * cells + y) * cells + x;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(i);
  }
  return Uint32Array.from(kept);
}

/**
 * Levels from full resolution down, each voxel size 1.5x the last, until one fits `budget`.
 * The first voxel size is guessed from the bounding volume so few levels are computed.
 */
export function cloudLevels(positions: Float32Array, budget: number): CloudLevel[] {
  const n = positions.length / 3;
  const levels: CloudLevel[] = [{ voxelSize: 0, count: n }];
  if (n <= budget || n === 0) return levels;
  let min = [Infinity, Infinity, Infinity];
  let max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      const v = positions[3 * i + a];
      if (v < min[a]) min[a] = v;
      if (v > max[a]) max[a] = v;
    }
  }
  if (!Number.isFinite(min[0]))
    [min, max] = [
      [0, 0, 0],
      [1, 1, 1],
    ];
  const extent = max.map((v, a) => Math.max(v - min[a], 1e-3));
  // Scans are surfaces: points scale with area, so guess from the largest face of the box.
  const area = Math.max(extent[0] * extent[1], extent[1] * extent[2], extent[0] * extent[2]);
  let voxelSize = Math.sqrt(area / budget) * 0.5;
  for (let step = 0; step < 40; step++) {
    const indices = voxelRepresentatives(positions, voxelSize);
    levels.push({ voxelSize, indices, count: indices.length });
    if (indices.length <= budget) break;
    voxelSize *= 1.5;
  }
  return levels;
}

/** The finest level with at most `budget` points (the coarsest if none fits). */
export function pickLevel(levels: CloudLevel[], budget: number): CloudLevel {
  return levels.find((l) => l.count <= budget) ?? levels[levels.length - 1];
}

/** Values of the displayed points, gathered from a per-point array of the full cloud. */
export function gatherLevel<T extends Float32Array | Uint8Array | Int32Array | Uint16Array>(
  level: CloudLevel,
  values: T,
  itemSize: number,
  make: (n: number) => T,
): T {
  if (!level.indices) return values.slice() as T;
  const out = make(level.indices.length * itemSize);
  for (let j = 0; j < level.indices.length; j++) {
    const i = level.indices[j];
    for (let k = 0; k < itemSize; k++) out[j * itemSize + k] = values[i * itemSize + k];
  }
  return out;
}
