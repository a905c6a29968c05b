/**
 * 3D-LLM scene tokens as its released code makes them: points normalised by their centroid and
 * the largest distance to it, voxel index int(p·128 + 128) (Python int(): truncation toward
 * zero) clamped to 0..255 per axis, the mean feature per voxel, and a deterministic seeded
 * sample of at most `maxVoxels` voxels. Arithmetic in float32 like numpy on float32 arrays.
 */
import { FEATURE_DEFAULTS } from '../defaults';
import { UnsupportedError } from '../errors';
import { mulberry32 } from '../random';

import type { SceneNormalisation } from '../../tokens/location-tokens';

export type { SceneNormalisation };

export function sceneNormalisation(positions: Float32Array): SceneNormalisation {
  const n = positions.length / 3;
  if (n === 0) throw new UnsupportedError('cannot normalise an empty point cloud');
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (let i = 0; i < n; i++) {
    sx += positions[i * 3];
    sy += positions[i * 3 + 1];
    sz += positions[i * 3 + 2];
  }
  const centroid: [number, number, number] = [sx / n, sy / n, sz / n];
  let r2 = 0;
  for (let i = 0; i < n; i++) {
    const dx = positions[i * 3] - centroid[0];
    const dy = positions[i * 3 + 1] - centroid[1];
    const dz = positions[i * 3 + 2] - centroid[2];
    r2 = Math.max(r2, dx * dx + dy * dy + dz * dz);
  }
  const radius = r2 > 0 ? Math.sqrt(r2) : 1;
  if (!Number.isFinite(radius))
    throw new UnsupportedError('point cloud has non-finite coordinates');
  return { centroid, radius };
}

/** Python int(p·128 + 128) in float32, before clamping (negative inputs truncate toward 0). */
export function truncatedVoxelCoordinate(p: number): number {
  const f = Math.fround;
  return Math.trunc(f(f(f(p) * 128) + 128));
}

/** The clamped voxel index 0..255 of a normalised coordinate. */
export function voxelIndex(p: number): number {
  const v = truncatedVoxelCoordinate(p);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

export interface VoxelTokens {
  /** M×3 voxel indices (x, y, z), sorted by (x, y, z) after sampling. */
  voxels: Int32Array;
  /** M×D mean features. */
  features: Float32Array;
  /** Points per kept voxel. */
  pointCounts: Uint32Array;
  /** Occupied voxels before sampling. */
  occupied: number;
  normalisation: SceneNormalisation;
}

export interface VoxelTokenOptions {
  maxVoxels?: number;
  seed?: number;
  normalisation?: SceneNormalisation;
}

/**
 * Voxelises N points with N×D features. Points with viewCounts 0 carry no feature and are
 * skipped (a voxel seen by no view is not a token).
 */
export function voxelTokens(
  positions: Float32Array,
  features: Float32Array,
  dim: number,
  viewCounts?: Uint16Array,
  options: VoxelTokenOptions = {},
): VoxelTokens {
  const n = positions.length / 3;
  if (features.length !== n * dim) {
    throw new UnsupportedError(
      `voxelTokens: ${n} points need ${n * dim} feature values, got ${features.length}`,
    );
  }
  const maxVoxels = options.maxVoxels ?? FEATURE_DEFAULTS.maxVoxels;
  const norm = options.normalisation ?? sceneNormalisation(positions);
  const f = Math.fround;
  const [cx, cy, cz] = norm.centroid.map(f);
  const r = f(norm.radius);
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (viewCounts && viewCounts[i] === 0) {
      keys[i] = -1;
      continue;
    }
    const x = voxelIndex(f(f(positions[i * 3] - cx) / r));
    const y = voxelIndex(f(f(positions[i * 3 + 1] - cy) / r));
    const z = voxelIndex(f(f(positions[i * 3 + 2] - cz) / r));
    keys[i] = (x << 16) | (y << 8) | z;
  }
  // Group by key: sort point indices by key.
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b]);
  const uniqueKeys: number[] = [];
  const starts: number[] = [];
  for (let j = 0; j < n; j++) {
    const k = keys[order[j]];
    if (k < 0) continue;
    if (uniqueKeys.length === 0 || uniqueKeys[uniqueKeys.length - 1] !== k) {
      uniqueKeys.push(k);
      starts.push(j);
    }
  }
  const occupied = uniqueKeys.length;
  // Seeded partial Fisher-Yates over voxel slots, then back to sorted order.
  let chosen = Array.from({ length: occupied }, (_, i) => i);
  if (occupied > maxVoxels) {
    const rand = mulberry32(options.seed ?? FEATURE_DEFAULTS.voxelSampleSeed);
    for (let i = 0; i < maxVoxels; i++) {
      const j = i + Math.floor(rand() * (occupied - i));
      [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
    }
    chosen = chosen.slice(0, maxVoxels).sort((a, b) => a - b);
  }
  const m = chosen.length;
  const voxels = new Int32Array(m * 3);
  const out = new Float32Array(m * dim);
  const pointCounts = new Uint32Array(m);
  const acc = new Float64Array(dim);
  for (let v = 0; v < m; v++) {
    const slot = chosen[v];
    const key = uniqueKeys[slot];
    voxels[v * 3] = key >> 16;
    voxels[v * 3 + 1] = (key >> 8) & 255;
    voxels[v * 3 + 2] = key & 255;
    const end = slot + 1 < occupied ? starts[slot + 1] : n;
    acc.fill(0);
    let count = 0;
    for (let j = starts[slot]; j < end; j++) {
      const i = order[j];
      if (keys[i] !== key) break;
      for (let d = 0; d < dim; d++) acc[d] += features[i * dim + d];
      count++;
    }
    pointCounts[v] = count;
    for (let d = 0; d < dim; d++) out[v * dim + d] = acc[d] / count;
  }
  return { voxels, features: out, pointCounts, occupied, normalisation: norm };
}
