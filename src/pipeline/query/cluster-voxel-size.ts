/**
 * The clustering voxel must be larger than the cloud's point spacing, or one object falls apart
 * into many clusters. Scans reconstructed at 2 cm are fine with the 5 cm default; sparser clouds
 * (downsampled or synthetic) are not. Measure: the mean number of points per occupied voxel of
 * the default size. On a surface it grows with the voxel area, so when it is below the target,
 * scale the voxel by sqrt(target / measured). Near one point per voxel the measure saturates (the
 * voxel is far below the spacing), so there the voxel doubles and is measured again. At most
 * `maxFactor` times the default. Cached per cloud.
 */
import { finiteBounds } from '../geometry/finite-bounds';
import { createVoxelIndex } from './voxel-hash';

export interface VoxelSizeOptions {
  /** Wanted mean points per occupied voxel (≈ 4 means a voxel spans about two point spacings). */
  minPointsPerVoxel: number;
  maxFactor: number;
}

/** Below this many points per voxel the surface-area law no longer predicts the spacing. */
const SATURATED_POINTS_PER_VOXEL = 1.5;

const cache = new WeakMap<Float32Array, Map<number, number>>();

export function clusterVoxelSizeFor(
  positions: Float32Array,
  baseSize: number,
  options: VoxelSizeOptions,
): number {
  const key = baseSize * 1e3 + options.minPointsPerVoxel * 7 + options.maxFactor * 13;
  let perCloud = cache.get(positions);
  const hit = perCloud?.get(key);
  if (hit !== undefined) return hit;
  const maxSize = baseSize * options.maxFactor;
  let size = baseSize;
  for (;;) {
    const pointsPerVoxel = meanPointsPerVoxel(positions, size);
    if (pointsPerVoxel === 0 || pointsPerVoxel >= options.minPointsPerVoxel) break;
    if (pointsPerVoxel < SATURATED_POINTS_PER_VOXEL && size * 2 < maxSize) {
      size *= 2;
      continue;
    }
    size = Math.min(maxSize, size * Math.sqrt(options.minPointsPerVoxel / pointsPerVoxel));
    break;
  }
  if (!perCloud) cache.set(positions, (perCloud = new Map()));
  perCloud.set(key, size);
  return size;
}

/** Finite points divided by occupied voxels of side `size` (0 for an empty cloud). */
export function meanPointsPerVoxel(positions: Float32Array, size: number): number {
  const count = positions.length / 3;
  const inv = 1 / size;
  const { lo, hi, count: finite } = finiteBounds(positions);
  if (finite === 0) return 0;
  // Cells relative to the cloud's minimum: small non-negative indices, so a dense grid when it fits.
  // Coordinates past 2^31 cells alias (|0); harmless for a density estimate.
  const cells = [0, 1, 2].map((a) => Math.min(2 ** 31 - 1, Math.floor((hi[a] - lo[a]) * inv) + 1));
  const index = createVoxelIndex(cells[0], cells[1], cells[2], finite);
  for (let i = 0; i < count; i++) {
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    if (!Number.isFinite(x + y + z)) continue;
    index.insert(
      Math.floor((x - lo[0]) * inv) | 0,
      Math.floor((y - lo[1]) * inv) | 0,
      Math.floor((z - lo[2]) * inv) | 0,
    );
  }
  return finite / index.size;
}
