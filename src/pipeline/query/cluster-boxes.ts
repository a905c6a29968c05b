/**
 * One axis-aligned box per cluster with robust extents: per axis, the q and 1−q quantiles of the
 * cluster's coordinates, so a few stray points (mis-projected features at object edges) do not
 * inflate the box. Scored by the cluster's scores and ranked by Σ(score − threshold).
 */
import type { GroundedBox } from './types';

export interface ClusterBoxOptions {
  /** Extent quantile per side (0 = plain min/max). */
  extentQuantile: number;
  /** Clusters with fewer points are dropped. */
  minPoints: number;
}

export type ClusterBox = Omit<GroundedBox, 'rank' | 'tokens'>;

export function clusterBoxes(
  positions: Float32Array,
  indices: Uint32Array,
  labels: Int32Array,
  clusterCount: number,
  scores: Float32Array,
  threshold: number,
  options: ClusterBoxOptions,
): ClusterBox[] {
  // Counting sort of the selected points by cluster.
  const offsets = new Uint32Array(clusterCount + 1);
  for (let k = 0; k < labels.length; k++) if (labels[k] >= 0) offsets[labels[k] + 1]++;
  for (let c = 0; c < clusterCount; c++) offsets[c + 1] += offsets[c];
  const order = new Uint32Array(offsets[clusterCount]);
  const cursor = offsets.slice(0, clusterCount);
  for (let k = 0; k < labels.length; k++) {
    const c = labels[k];
    if (c >= 0) order[cursor[c]++] = indices[k];
  }

  const q = Math.min(0.5, Math.max(0, options.extentQuantile));
  const scratch = new Float32Array(order.length);
  const boxes: ClusterBox[] = [];
  for (let c = 0; c < clusterCount; c++) {
    const start = offsets[c];
    const n = offsets[c + 1] - start;
    if (n < Math.max(1, options.minPoints)) continue;
    let sum = 0;
    let mass = 0;
    let maxScore = -Infinity;
    for (let j = 0; j < n; j++) {
      const s = scores[order[start + j]];
      sum += s;
      mass += s - threshold;
      if (s > maxScore) maxScore = s;
    }
    const min: [number, number, number] = [0, 0, 0];
    const max: [number, number, number] = [0, 0, 0];
    const values = scratch.subarray(0, n);
    const loRank = Math.floor(q * (n - 1));
    const hiRank = Math.ceil((1 - q) * (n - 1));
    for (let axis = 0; axis < 3; axis++) {
      for (let j = 0; j < n; j++) values[j] = positions[order[start + j] * 3 + axis];
      values.sort();
      min[axis] = values[loRank];
      max[axis] = values[hiRank];
    }
    boxes.push({ min, max, score: sum / n, maxScore, mass, pointCount: n });
  }
  boxes.sort((a, b) => b.mass - a.mass || b.score - a.score);
  return boxes;
}
