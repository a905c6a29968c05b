/**
 * Felzenszwalb–Huttenlocher graph segmentation (IJCV 2004), as ScanNet's mesh segmentator runs
 * it: edges in ascending weight; an edge joins its two components when its weight is at most
 * both components' internal difference (their largest merged edge) plus k / size; then
 * components smaller than `minSize` are merged along the remaining edges, lightest first.
 * Union-find over typed arrays (path halving, union by size). Edges are ordered by one
 * native typed-array sort of float keys (quantised weight, then edge index), so ties break the
 * same way everywhere.
 */

/** Weights are quantised to this many steps per unit for sorting (and compared quantised). */
export const WEIGHT_STEPS = 1 << 20;
/** Edge indices below this share a float64 key with the weight (2^26 × 2^21 steps < 2^53). */
const INDEX_SPAN = 1 << 26;

export interface WeightedGraph {
  nodeCount: number;
  /** Edge endpoints, parallel arrays. */
  edgeA: Int32Array;
  edgeB: Int32Array;
  /** Non-negative weights (values above 2 are clamped to 2 for ordering). */
  weights: Float32Array;
}

/** Edge indices in ascending (quantised weight, index) order. */
export function sortEdgesByWeight(weights: Float32Array): Uint32Array {
  const count = weights.length;
  if (count >= INDEX_SPAN) throw new RangeError(`too many graph edges (${count})`);
  const keys = new Float64Array(count);
  for (let e = 0; e < count; e++) keys[e] = quantiseWeight(weights[e]) * INDEX_SPAN + e;
  keys.sort();
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = keys[i] % INDEX_SPAN;
  return order;
}

export function quantiseWeight(w: number): number {
  if (!(w > 0)) return 0; // NaN and negatives sort first: they are never produced on purpose
  return Math.round(Math.min(w, 2) * WEIGHT_STEPS);
}

/** Union-find with component sizes (in node weight units). */
export class DisjointSets {
  readonly parent: Int32Array;
  readonly size: Float64Array;

  constructor(count: number, nodeSizes?: ArrayLike<number>) {
    this.parent = new Int32Array(count);
    this.size = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      this.parent[i] = i;
      this.size[i] = nodeSizes ? nodeSizes[i] : 1;
    }
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  /** Joins two roots; returns the surviving root. */
  unionRoots(a: number, b: number): number {
    if (this.size[a] < this.size[b]) [a, b] = [b, a];
    this.parent[b] = a;
    this.size[a] += this.size[b];
    return a;
  }

  /** Dense labels 0..count−1 in order of each component's first node. */
  labels(): { labels: Int32Array; count: number } {
    const n = this.parent.length;
    const labelOfRoot = new Int32Array(n).fill(-1);
    const labels = new Int32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (labelOfRoot[r] < 0) labelOfRoot[r] = count++;
      labels[i] = labelOfRoot[r];
    }
    return { labels, count };
  }
}

export interface FelzenszwalbOptions {
  /** FH's k: larger, larger segments (in weight × size units). */
  k: number;
  /** Components below this size (node weight units) are merged into a neighbour. */
  minSize: number;
  /** Per-node size (e.g. points per voxel); default 1 each. */
  nodeSizes?: ArrayLike<number>;
}

export function felzenszwalb(
  graph: WeightedGraph,
  options: FelzenszwalbOptions,
): { labels: Int32Array; count: number } {
  const { edgeA, edgeB, weights } = graph;
  const sets = new DisjointSets(graph.nodeCount, options.nodeSizes);
  const order = sortEdgesByWeight(weights);
  const threshold = new Float64Array(graph.nodeCount);
  for (let i = 0; i < graph.nodeCount; i++) threshold[i] = options.k / sets.size[i];
  const k = options.k;
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const a = sets.find(edgeA[e]);
    const b = sets.find(edgeB[e]);
    if (a === b) continue;
    const w = quantiseWeight(weights[e]) / WEIGHT_STEPS;
    if (w <= threshold[a] && w <= threshold[b]) {
      const r = sets.unionRoots(a, b);
      // Kruskal order: w is the largest edge of the merged minimum spanning tree.
      threshold[r] = w + k / sets.size[r];
    }
  }
  if (options.minSize > 0) {
    for (let i = 0; i < order.length; i++) {
      const e = order[i];
      const a = sets.find(edgeA[e]);
      const b = sets.find(edgeB[e]);
      if (a !== b && (sets.size[a] < options.minSize || sets.size[b] < options.minSize)) {
        sets.unionRoots(a, b);
      }
    }
  }
  return sets.labels();
}
