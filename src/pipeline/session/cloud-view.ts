/**
 * The cloud a viewer draws and the per-point values that follow it: the scene's voxel levels,
 * the level last shown (per-point values are gathered with its indices), and value ranges.
 */
import { estimateNormals, type NormalOptions } from '../geometry/point-normals';
import { cloudLevels, gatherLevel, pickLevel, type CloudLevel } from '../scene/cloud-levels';
import type { PointCloud } from '../scene/types';
import type { PointScores, ViewCloud } from './types';

/** Below this a budget would hide the scene rather than help the frame rate. */
export const MIN_VIEW_BUDGET = 10_000;

export class CloudView {
  private levels: CloudLevel[] | undefined;
  private levelsBudget = 0;
  private shown: CloudLevel | undefined;
  /** Normals of the level last shown, estimated once per level (they cost a neighbour search). */
  private shownNormals: { level: CloudLevel; normals: Float32Array } | undefined;

  constructor(private readonly cloud: PointCloud | undefined) {}

  /** At most `budget` points (at least MIN_VIEW_BUDGET), from the largest level that fits. */
  select(budget: number): ViewCloud {
    const cloud = this.cloud;
    if (!cloud) {
      return {
        positions: new Float32Array(0),
        colors: new Uint8Array(0),
        totalCount: 0,
        voxelSize: 0,
        levels: [],
      };
    }
    const safeBudget = Math.max(MIN_VIEW_BUDGET, Math.floor(Number(budget) || 0));
    if (!this.levels || this.levelsBudget !== safeBudget) {
      this.levels = cloudLevels(cloud.positions, safeBudget);
      this.levelsBudget = safeBudget;
    }
    const level = pickLevel(this.levels, safeBudget);
    this.shown = level;
    return {
      positions: gatherLevel(level, cloud.positions, 3, (n) => new Float32Array(n)),
      colors: gatherLevel(level, cloud.colors, 3, (n) => new Uint8Array(n)),
      instanceIds: cloud.instanceIds
        ? gatherLevel(level, cloud.instanceIds, 1, (n) => new Int32Array(n))
        : undefined,
      totalCount: cloud.positions.length / 3,
      voxelSize: level.voxelSize,
      levels: this.levels.map((l) => ({ voxelSize: l.voxelSize, count: l.count })),
    };
  }

  /** Full-cloud integer values (e.g. segment ids) gathered for the points last shown. */
  displayedInts(values: Int32Array): Int32Array {
    const level = this.shown ?? { voxelSize: 0, count: values.length };
    return gatherLevel(level, values, 1, (n) => new Int32Array(n));
  }

  /** Full-cloud values gathered for the points last shown, with their range over finite values. */
  displayed(values: Float32Array): PointScores {
    const level = this.shown ?? { voxelSize: 0, count: values.length };
    const out = gatherLevel(level, values, 1, (n) => new Float32Array(n));
    let min = Infinity;
    let max = -Infinity;
    for (const v of out) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min > max) [min, max] = [0, 1];
    return { values: out, min, max };
  }

  /**
   * Unit normals (n×3) of the points last shown, estimated on that level (its spacing sets the
   * radius); (0, 0, 0) where a point has too few neighbours. Returns a copy the caller may keep.
   */
  normals(orient: Pick<NormalOptions, 'viewpoint' | 'up'>): Float32Array {
    const cloud = this.cloud;
    if (!cloud) return new Float32Array(0);
    const level = this.shown ?? { voxelSize: 0, count: cloud.positions.length / 3 };
    if (this.shownNormals?.level !== level) {
      const positions = gatherLevel(level, cloud.positions, 3, (n) => new Float32Array(n));
      this.shownNormals = { level, normals: estimateNormals(positions, orient) };
    }
    return this.shownNormals.normals.slice();
  }
}
