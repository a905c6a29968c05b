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
  /**
   * Per-point weights (indexed like `scores`) for the extents: the quantiles are then of the
   * weight mass, so points barely above the threshold (features bleeding onto neighbouring
   * surfaces) pull the box less than the confident core. Uniform when absent.
   */
  extentWeights?: Float32Array;
}

export type ClusterBox = Pick<GroundedBox, 'min' | 'max' | 'score' | 'pointCount'> & {
  maxScore: number;
  mass: number;
};

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
      if (options.extentWeights) {
        const [lo, hi] = weightedExtent(positions, order, start, n, axis, options.extentWeights, q);
        min[axis] = lo;
        max[axis] = hi;
        continue;
      }
      for (let j = 0; j < n; j++) values[j] = positions[order[start + j] * 3 + axis];
      min[axis] = selectKth(values, loRank, 0, n - 1);
      // After selecting loRank, everything above it is ≥ it: select hiRank there.
      max[axis] = selectKth(values, hiRank, Math.min(loRank, n - 1), n - 1);
    }
    boxes.push({ min, max, score: sum / n, maxScore, mass, pointCount: n });
  }
  boxes.sort((a, b) => b.mass - a.mass || b.score - a.score);
  return boxes;
}

const EXTENT_BINS = 1024;
const extentHistogram = new Float64Array(EXTENT_BINS);

/**
 * Weighted q and 1−q quantiles of one axis of a cluster's points, from a histogram of EXTENT_BINS
 * bins over the cluster's range (resolution: range/1024), linear time. Returned values are the
 * outer edges of the bins where the quantiles fall, so q = 0 gives the plain min and max.
 */
function weightedExtent(
  positions: Float32Array,
  order: Uint32Array,
  start: number,
  n: number,
  axis: number,
  weights: Float32Array,
  q: number,
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  let total = 0;
  for (let j = 0; j < n; j++) {
    const i = order[start + j];
    const v = positions[i * 3 + axis];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    total += Math.max(0, weights[i]);
  }
  if (!(hi > lo) || !(total > 0)) return [lo, hi];
  const scale = EXTENT_BINS / (hi - lo);
  const hist = extentHistogram.fill(0);
  for (let j = 0; j < n; j++) {
    const i = order[start + j];
    const b = Math.min(EXTENT_BINS - 1, Math.floor((positions[i * 3 + axis] - lo) * scale));
    hist[b] += Math.max(0, weights[i]);
  }
  const cut = q * total;
  let bLo = 0;
  for (let acc = hist[0]; acc <= cut && bLo < EXTENT_BINS - 1;) acc += hist[++bLo];
  let bHi = EXTENT_BINS - 1;
  for (let acc = hist[bHi]; acc <= cut && bHi > 0;) acc += hist[--bHi];
  if (bHi < bLo) bHi = bLo;
  return [bLo === 0 ? lo : lo + bLo / scale, bHi === EXTENT_BINS - 1 ? hi : lo + (bHi + 1) / scale];
}

/**
 * The k-th smallest of values[left..right] (quickselect, median-of-three pivot), partially
 * reordering that range in place. Linear on average; the caller's arrays are plain numbers
 * (finite positions), so no NaN handling is needed.
 */
export function selectKth(values: Float32Array, k: number, left: number, right: number): number {
  while (right > left) {
    const mid = (left + right) >>> 1;
    // median of three → values[mid]
    if (values[mid] < values[left]) swap(values, mid, left);
    if (values[right] < values[left]) swap(values, right, left);
    if (values[right] < values[mid]) swap(values, right, mid);
    const pivot = values[mid];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k];
  }
  return values[k];
}

function swap(values: Float32Array, a: number, b: number): void {
  const t = values[a];
  values[a] = values[b];
  values[b] = t;
}
