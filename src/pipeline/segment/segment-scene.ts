/**
 * Weight-free hierarchical segmentation of a scene cloud into object proposals.
 *
 * Method: ScanNet's segmentator (Felzenszwalb–Huttenlocher graph segmentation on mesh normals,
 * Dai et al. 2017 / Felzenszwalb & Huttenlocher 2004) generalised to point clouds and made
 * hierarchical:
 * 1. The cloud is binned into voxels (default 3 cm); each voxel keeps exact moment sums and one
 *    normal (the cloud's own, or local PCA over its 3×3×3 block, 5×5×5 where sparse). Edges join
 *    26-neighbouring voxels (two voxels out where a voxel has few neighbours), or follow the
 *    mesh's triangle sides when the cloud has faces.
 * 2. Level 0: FH on the voxel graph, edge weight (1 − |n·n'|) + colour distance, then
 *    small-segment merging. Unsigned normals, so no consistent orientation is needed.
 * 3. Each coarser level merges adjacent segments of the previous one, lightest pair first,
 *    while the merged groups' (exact, re-aggregated) mean normal axis and colour stay within
 *    that level's bound (region growing, so no single-linkage chaining); the last default
 *    level is connected components. "Adjacent" bridges small gaps (6 cm, 12 cm at the top) that
 *    unseen faces leave between parts of one object. Levels nest exactly; `parent` is exact.
 * 4. Structure: a large, thin, horizontal or vertical segment with almost all of the scene on
 *    one side of its plane is floor (scene above), ceiling (scene below) or wall. Structure
 *    only grows by coplanar, like-coloured neighbours, so objects never merge into it; children
 *    of a structure proposal are marked with its kind too.
 * 5. Points map to their voxel's segment; per proposal a CSR point list and a robust AABB
 *    (1st–99th percentile per axis, plus a small margin up to the true extreme, for large
 *    proposals; min/max for small ones).
 * Typed arrays throughout; no per-point objects.
 */
import { SEGMENT_DEFAULTS } from '../defaults';
import { throwIfAborted } from '../errors';
import type { WorkOptions } from '../progress';
import type { PointCloud } from '../scene/types';
import { DisjointSets, felzenszwalb, sortEdgesByWeight } from './felzenszwalb';
import { SegmentStats } from './segment-stats';
import {
  StructureKind,
  type CoarseLevelOptions,
  type SceneSegmentation,
  type SegmentOptions,
} from './types';
import { buildVoxelGraph, segmentPairsWithin, type VoxelGraph } from './voxel-graph';

export type { SegmentOptions, CoarseLevelOptions } from './types';

export function resolveSegmentOptions(options: Partial<SegmentOptions> = {}): SegmentOptions {
  const o: SegmentOptions = { ...SEGMENT_DEFAULTS };
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  }
  if (!(o.voxelSizeM > 0) || !Number.isFinite(o.voxelSizeM)) {
    throw new RangeError(`segment: voxelSizeM must be a positive number, got ${o.voxelSizeM}`);
  }
  const up = o.up;
  const upLength = Math.hypot(up[0], up[1], up[2]);
  if (up.length !== 3 || !(upLength > 0) || !Number.isFinite(upLength)) {
    throw new RangeError(`segment: up must be a non-zero 3-vector`);
  }
  o.up = [up[0] / upLength, up[1] / upLength, up[2] / upLength];
  if (o.coarseLevels.length > 254) throw new RangeError('segment: at most 255 levels');
  for (const level of o.coarseLevels) {
    for (const v of [level.normalWeight, level.colourWeight, level.maxWeight, level.gapM]) {
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new RangeError(`segment: coarse level weights and gaps must be non-negative`);
      }
    }
  }
  if (!(o.robustBoundsSamplePoints >= 16) || !Number.isInteger(o.robustBoundsSamplePoints)) {
    throw new RangeError(`segment: robustBoundsSamplePoints must be an integer ≥ 16`);
  }
  for (const [name, v] of [
    ['fineK', o.fineK],
    ['colourWeight', o.colourWeight],
    ['minSegmentVoxels', o.minSegmentVoxels],
    ['robustBoundsPercentile', o.robustBoundsPercentile],
  ] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new RangeError(`segment: ${name} must be a non-negative number, got ${v}`);
    }
  }
  return o;
}

export function segmentScene(
  cloud: PointCloud,
  options: Partial<SegmentOptions> = {},
  work: WorkOptions = {},
): SceneSegmentation {
  const o = resolveSegmentOptions(options);
  const steps = 3 + o.coarseLevels.length;
  let step = 0;
  const progress = (message: string) => {
    throwIfAborted(work.signal);
    work.onProgress?.({ stage: 'segment', done: step++, total: steps, unit: 'steps', message });
  };
  progress('voxel graph');
  const graph = buildVoxelGraph(cloud, o.voxelSizeM);
  const up = o.up;

  progress('fine segments');
  const fine = felzenszwalb(
    {
      nodeCount: graph.voxelCount,
      edgeA: graph.edgeA,
      edgeB: graph.edgeB,
      weights: voxelEdgeWeights(graph, o.colourWeight),
    },
    { k: o.fineK, minSize: o.minSegmentVoxels },
  );
  let voxelLabels = fine.labels;
  let stats = SegmentStats.fromVoxels(graph, voxelLabels, fine.count);
  let kinds = detectStructure(graph, voxelLabels, stats, new Uint8Array(fine.count), up, o);

  const levelVoxelLabels: Int32Array[] = [voxelLabels];
  const levelKinds: Uint8Array[] = [kinds];
  /** Per level below the top: each segment's segment at the next level. */
  const levelParents: Int32Array[] = [];
  const pairsByRadius = new Map<number, { a: Int32Array; b: Int32Array }>();
  const fineToCurrent = new Int32Array(fine.count);
  for (let s = 0; s < fine.count; s++) fineToCurrent[s] = s;
  for (const level of o.coarseLevels) {
    progress('coarser level');
    const radius = Math.max(1, Math.floor(level.gapM / graph.voxelSize + 1e-9));
    let finePairs = pairsByRadius.get(radius);
    if (!finePairs) {
      finePairs = segmentPairsWithin(graph, fine.labels, radius);
      pairsByRadius.set(radius, finePairs);
    }
    const pairs = mapPairs(finePairs, fineToCurrent, stats.count);
    const merged = mergeLevel(pairs, stats, kinds, level, graph.voxelSize, o);
    for (let s = 0; s < fine.count; s++) fineToCurrent[s] = merged.labels[fineToCurrent[s]];
    levelParents.push(merged.labels);
    const next = new Int32Array(graph.voxelCount);
    for (let v = 0; v < graph.voxelCount; v++) next[v] = merged.labels[voxelLabels[v]];
    voxelLabels = next;
    stats = SegmentStats.fromVoxels(graph, voxelLabels, merged.count);
    kinds = detectStructure(graph, voxelLabels, stats, merged.kinds, up, o);
    levelVoxelLabels.push(voxelLabels);
    levelKinds.push(kinds);
  }

  progress('proposals');
  return assemble(cloud, graph, levelVoxelLabels, levelKinds, levelParents, o);
}

function voxelEdgeWeights(graph: VoxelGraph, colourWeight: number): Float32Array {
  const { edgeA, edgeB, normals, colourSums, counts } = graph;
  const weights = new Float32Array(edgeA.length);
  for (let e = 0; e < edgeA.length; e++) {
    const a = edgeA[e];
    const b = edgeB[e];
    const dot =
      normals[a * 3] * normals[b * 3] +
      normals[a * 3 + 1] * normals[b * 3 + 1] +
      normals[a * 3 + 2] * normals[b * 3 + 2];
    // A voxel without a normal (isolated, or on a line) counts as dissimilar.
    const normalTerm = 1 - Math.min(1, Math.abs(dot));
    let colour = 0;
    for (let k = 0; k < 3; k++) {
      const d = colourSums[a * 3 + k] / counts[a] - colourSums[b * 3 + k] / counts[b];
      colour += d * d;
    }
    weights[e] = normalTerm + (colourWeight * Math.sqrt(colour)) / 441.673;
  }
  return weights;
}

/** The fine level's segment pairs, relabelled to the current level, distinct (a < b). */
function mapPairs(
  fine: { a: Int32Array; b: Int32Array },
  fineToCurrent: Int32Array,
  segmentCount: number,
): { a: Int32Array; b: Int32Array } {
  const keys = new Float64Array(fine.a.length);
  let count = 0;
  for (let e = 0; e < fine.a.length; e++) {
    const a = fineToCurrent[fine.a[e]];
    const b = fineToCurrent[fine.b[e]];
    if (a !== b) keys[count++] = a < b ? a * segmentCount + b : b * segmentCount + a;
  }
  const sorted = keys.subarray(0, count).sort();
  const outA = new Int32Array(count);
  const outB = new Int32Array(count);
  let unique = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    outA[unique] = Math.floor(sorted[i] / segmentCount);
    outB[unique] = sorted[i] % segmentCount;
    unique++;
  }
  return { a: outA.subarray(0, unique), b: outB.subarray(0, unique) };
}

/** One coarser level: region growing over the segment adjacency graph (see the header). */
function mergeLevel(
  pairs: { a: Int32Array; b: Int32Array },
  below: SegmentStats,
  belowKinds: Uint8Array,
  level: CoarseLevelOptions,
  voxelSize: number,
  o: SegmentOptions,
): { labels: Int32Array; count: number; kinds: Uint8Array } {
  const n = below.count;
  const scratch = new Float64Array(6);
  const pairWeight = (a: number, b: number) =>
    level.normalWeight * (level.normalWeight > 0 ? live.normalDistance(a, b, scratch) : 0) +
    level.colourWeight * (level.colourWeight > 0 ? live.colourDistance(a, b) : 0);
  // Live sums per root, starting as the level below's.
  const live = new SegmentStats(n);
  live.points.set(below.points);
  live.voxels.set(below.voxels);
  live.positionSums.set(below.positionSums);
  live.colourSums.set(below.colourSums);
  live.secondMoments.set(below.secondMoments);
  live.normalMoments.set(below.normalMoments);
  const kinds = belowKinds.slice();
  const initial = new Float32Array(pairs.a.length);
  for (let e = 0; e < initial.length; e++) initial[e] = pairWeight(pairs.a[e], pairs.b[e]);
  const order = sortEdgesByWeight(initial);
  const sets = new DisjointSets(n);
  const centroid = new Float64Array(3);
  const axis = new Float64Array(3);
  const otherAxis = new Float64Array(3);
  const spread = new Float64Array(2);
  const canJoinStructure = (structure: number, other: number): boolean => {
    // Small pieces and strips (along a room's edges, where voxel normals blend two planes) join
    // on position and colour alone.
    live.plane(other, otherAxis, spread);
    const small =
      live.voxels[other] < o.structureJoinAnyNormalVoxels || spread[0] < 1.5 * voxelSize;
    if (!small && live.normalDistance(structure, other, scratch) > o.structureJoinNormal) {
      return false;
    }
    if (live.colourDistance(structure, other) > o.structureJoinColour) return false;
    const rms = live.plane(structure, axis);
    live.centroid(structure, centroid);
    let d = 0;
    const count = live.points[other] || 1;
    for (let k = 0; k < 3; k++) {
      d += axis[k] * (live.positionSums[other * 3 + k] / count - centroid[k]);
    }
    return Math.abs(d) <= o.structureBandM + 2 * rms;
  };
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const a = sets.find(pairs.a[e]);
    const b = sets.find(pairs.b[e]);
    if (a === b) continue;
    const ka = kinds[a];
    const kb = kinds[b];
    let join: boolean;
    if (ka === StructureKind.None && kb === StructureKind.None) {
      join = pairWeight(a, b) <= level.maxWeight;
    } else if (ka === kb) {
      join = live.normalDistance(a, b, scratch) <= o.structureJoinNormal;
    } else if (ka === StructureKind.None || kb === StructureKind.None) {
      join = ka === StructureKind.None ? canJoinStructure(b, a) : canJoinStructure(a, b);
    } else join = false;
    if (!join) continue;
    const r = sets.unionRoots(a, b);
    live.absorb(r, r === a ? b : a);
    kinds[r] = Math.max(ka, kb);
  }
  const { labels: parentOf, count } = sets.labels();
  const outKinds = new Uint8Array(count);
  for (let s = 0; s < n; s++) outKinds[parentOf[s]] = kinds[sets.find(s)];
  return { labels: parentOf, count, kinds: outKinds };
}

/**
 * Marks floor, ceiling and walls among the segments not yet marked (see the header). Returns the
 * kinds (a copy of `known` with the new marks).
 */
function detectStructure(
  graph: VoxelGraph,
  labels: Int32Array,
  stats: SegmentStats,
  known: Uint8Array,
  up: readonly number[],
  o: SegmentOptions,
): Uint8Array {
  const kinds = known.slice();
  const minVoxels = o.structureMinAreaM2 / (graph.voxelSize * graph.voxelSize);
  const cosTolerance = Math.cos((o.structureAngleDeg * Math.PI) / 180);
  const sinTolerance = Math.sin((o.structureAngleDeg * Math.PI) / 180);
  const normal = new Float64Array(3);
  const centroid = new Float64Array(3);
  const candidates: {
    segment: number;
    n: number[];
    c: number[];
    band: number;
    horizontal: boolean;
  }[] = [];
  for (let s = 0; s < stats.count; s++) {
    if (kinds[s] !== StructureKind.None || stats.voxels[s] < minVoxels) continue;
    const rms = stats.plane(s, normal);
    if (!(rms <= o.structureMaxRmsM)) continue;
    const upDot = Math.abs(normal[0] * up[0] + normal[1] * up[1] + normal[2] * up[2]);
    const horizontal = upDot >= cosTolerance;
    if (!horizontal && upDot > sinTolerance) continue;
    stats.centroid(s, centroid);
    candidates.push({
      segment: s,
      n: [normal[0], normal[1], normal[2]],
      c: [centroid[0], centroid[1], centroid[2]],
      band: o.structureBandM + 2 * rms,
      horizontal,
    });
  }
  if (candidates.length === 0) return kinds;

  // Scene height along up (for the wall height test) and, per candidate, the points beyond its
  // plane on each side and the candidate's own extent along up.
  const { positionSums, counts } = graph;
  let sceneLow = Infinity,
    sceneHigh = -Infinity,
    total = 0;
  const above = new Float64Array(candidates.length);
  const below = new Float64Array(candidates.length);
  const ownLow = new Float64Array(candidates.length).fill(Infinity);
  const ownHigh = new Float64Array(candidates.length).fill(-Infinity);
  const slot = new Int32Array(stats.count).fill(-1);
  candidates.forEach((c, i) => (slot[c.segment] = i));
  for (let v = 0; v < graph.voxelCount; v++) {
    const c = counts[v];
    const x = positionSums[v * 3] / c;
    const y = positionSums[v * 3 + 1] / c;
    const z = positionSums[v * 3 + 2] / c;
    const h = x * up[0] + y * up[1] + z * up[2];
    if (h < sceneLow) sceneLow = h;
    if (h > sceneHigh) sceneHigh = h;
    total += c;
    for (let i = 0; i < candidates.length; i++) {
      const { n, c: m, band } = candidates[i];
      const d = n[0] * (x - m[0]) + n[1] * (y - m[1]) + n[2] * (z - m[2]);
      if (d > band) above[i] += c;
      else if (d < -band) below[i] += c;
    }
    const own = slot[labels[v]];
    if (own >= 0) {
      if (h < ownLow[own]) ownLow[own] = h;
      if (h > ownHigh[own]) ownHigh[own] = h;
    }
  }
  const wallMinHeight = Math.min(
    o.wallMinHeightM,
    o.wallMinHeightFraction * (sceneHigh - sceneLow),
  );
  const maxOutside = o.structureOutsideFraction * total;
  candidates.forEach((cand, i) => {
    if (Math.min(above[i], below[i]) > maxOutside) return;
    if (!cand.horizontal) {
      if (ownHigh[i] - ownLow[i] >= wallMinHeight) kinds[cand.segment] = StructureKind.Wall;
      return;
    }
    // Which side the scene is on, along up: above the plane is a floor.
    const upSign = cand.n[0] * up[0] + cand.n[1] * up[1] + cand.n[2] * up[2] > 0 ? 1 : -1;
    const sceneAbove = upSign > 0 ? above[i] >= below[i] : below[i] >= above[i];
    kinds[cand.segment] = sceneAbove ? StructureKind.Floor : StructureKind.Ceiling;
  });
  // Flat objects on the floor (a rug, a mat) pass every floor test. Floor segments are grouped
  // by colour (the floor may be in pieces, around furniture); the largest group is the floor, and
  // a segment of another colour whose group is much smaller is an object lying on it.
  const floors: number[] = [];
  for (let s = 0; s < stats.count; s++) if (kinds[s] === StructureKind.Floor) floors.push(s);
  const groupVoxels = floors.map((s) => {
    let sum = 0;
    for (const t of floors) {
      if (stats.colourDistance(s, t) <= o.structureJoinColour) sum += stats.voxels[t];
    }
    return sum;
  });
  let main = -1;
  floors.forEach((s, k) => {
    if (main < 0 || groupVoxels[k] > groupVoxels[main]) main = k;
  });
  const newlyMarked = new Set(candidates.map((c) => c.segment));
  floors.forEach((s, k) => {
    if (!newlyMarked.has(s) || k === main) return;
    if (
      groupVoxels[k] < o.floorObjectMaxShare * groupVoxels[main] &&
      stats.colourDistance(s, floors[main]) > o.structureJoinColour
    ) {
      kinds[s] = StructureKind.None;
    }
  });
  markCoplanarStructure(stats, kinds, minVoxels, o);
  return kinds;
}

/**
 * A thin piece of wall that an object cuts off from the rest (the strip between a shelf and the
 * room's corner) is not adjacent to the wall and too small to pass as structure on its own: a
 * segment lying in the plane of a large structure segment (same orientation, centroid within
 * its band) and of its colour takes its kind.
 */
function markCoplanarStructure(
  stats: SegmentStats,
  kinds: Uint8Array,
  structureMinVoxels: number,
  o: SegmentOptions,
): void {
  const planes: { segment: number; n: Float64Array; c: Float64Array; band: number }[] = [];
  for (let s = 0; s < stats.count; s++) {
    if (kinds[s] === StructureKind.None || stats.voxels[s] < structureMinVoxels) continue;
    const n = new Float64Array(3);
    const rms = stats.plane(s, n);
    if (!(rms <= o.structureMaxRmsM)) continue;
    const c = new Float64Array(3);
    stats.centroid(s, c);
    planes.push({ segment: s, n, c, band: o.structureBandM + 2 * rms });
  }
  if (planes.length === 0) return;
  const normal = new Float64Array(3);
  const centroid = new Float64Array(3);
  const scratch = new Float64Array(6);
  for (let s = 0; s < stats.count; s++) {
    if (kinds[s] !== StructureKind.None || stats.voxels[s] < o.structureJoinAnyNormalVoxels) {
      continue;
    }
    if (!(stats.plane(s, normal) <= o.structureMaxRmsM)) continue;
    stats.centroid(s, centroid);
    for (const plane of planes) {
      if (stats.normalDistance(s, plane.segment, scratch) > o.structureJoinNormal) continue;
      if (stats.colourDistance(s, plane.segment) > o.structureJoinColour) continue;
      let d = 0;
      for (let k = 0; k < 3; k++) d += plane.n[k] * (centroid[k] - plane.c[k]);
      if (Math.abs(d) > plane.band) continue;
      kinds[s] = kinds[plane.segment];
      break;
    }
  }
}

function assemble(
  cloud: PointCloud,
  graph: VoxelGraph,
  levelVoxelLabels: Int32Array[],
  levelKinds: Uint8Array[],
  levelParents: Int32Array[],
  o: SegmentOptions,
): SceneSegmentation {
  const pointCount = graph.voxelOfPoint.length;
  const levelCount = levelVoxelLabels.length;
  const levelOffsets = new Uint32Array(levelCount + 1);
  for (let l = 0; l < levelCount; l++) levelOffsets[l + 1] = levelOffsets[l] + levelKinds[l].length;
  const proposalCount = levelOffsets[levelCount];
  const level = new Uint8Array(proposalCount);
  const parent = new Int32Array(proposalCount).fill(-1);
  const structure = new Uint8Array(proposalCount);
  for (let l = 0; l < levelCount; l++) {
    const base = levelOffsets[l];
    level.fill(l, base, levelOffsets[l + 1]);
    structure.set(levelKinds[l], base);
    if (l < levelCount - 1) {
      const up = levelParents[l];
      for (let s = 0; s < up.length; s++) parent[base + s] = levelOffsets[l + 1] + up[s];
    }
  }
  // Children of structure are structure (they were coplanar pieces when they joined it).
  for (let p = proposalCount - 1; p >= 0; p--) {
    if (structure[p] === StructureKind.None && parent[p] >= 0) structure[p] = structure[parent[p]];
  }

  const pointProposals = new Int32Array(levelCount * pointCount).fill(-1);
  const sizes = new Uint32Array(proposalCount + 1);
  const { voxelOfPoint } = graph;
  for (let l = 0; l < levelCount; l++) {
    const labels = levelVoxelLabels[l];
    const base = levelOffsets[l];
    const row = pointProposals.subarray(l * pointCount, (l + 1) * pointCount);
    for (let i = 0; i < pointCount; i++) {
      const v = voxelOfPoint[i];
      if (v < 0) continue;
      const p = base + labels[v];
      row[i] = p;
      sizes[p + 1]++;
    }
  }
  const pointOffsets = new Uint32Array(proposalCount + 1);
  for (let p = 0; p < proposalCount; p++) pointOffsets[p + 1] = pointOffsets[p] + sizes[p + 1];
  const pointIndices = new Uint32Array(pointOffsets[proposalCount]);
  const cursor = pointOffsets.slice(0, proposalCount);
  for (let l = 0; l < levelCount; l++) {
    const row = pointProposals.subarray(l * pointCount, (l + 1) * pointCount);
    for (let i = 0; i < pointCount; i++) {
      const p = row[i];
      if (p >= 0) pointIndices[cursor[p]++] = i;
    }
  }
  const bounds = robustBounds(cloud.positions, pointOffsets, pointIndices, graph.voxelSize, o);
  return {
    pointCount,
    levelCount,
    pointProposals,
    proposalCount,
    level,
    parent,
    structure,
    pointOffsets,
    pointIndices,
    bounds,
    levelOffsets,
    voxelSize: graph.voxelSize,
  };
}

function robustBounds(
  positions: Float32Array,
  pointOffsets: Uint32Array,
  pointIndices: Uint32Array,
  voxelSize: number,
  o: SegmentOptions,
): Float32Array {
  const proposalCount = pointOffsets.length - 1;
  const bounds = new Float32Array(proposalCount * 6);
  const sample = new Float32Array(o.robustBoundsSamplePoints);
  for (let p = 0; p < proposalCount; p++) {
    const start = pointOffsets[p];
    const count = pointOffsets[p + 1] - start;
    for (let axis = 0; axis < 3; axis++) {
      let lo = Infinity,
        hi = -Infinity;
      if (count <= o.robustBoundsMinPoints || o.robustBoundsPercentile <= 0) {
        for (let k = 0; k < count; k++) {
          const x = positions[pointIndices[start + k] * 3 + axis];
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
      } else {
        const stride = Math.max(1, Math.ceil(count / sample.length));
        let n = 0;
        for (let k = 0; k < count; k += stride) {
          sample[n++] = positions[pointIndices[start + k] * 3 + axis];
        }
        const sorted = sample.subarray(0, n).sort();
        const cut = Math.floor(((n - 1) * o.robustBoundsPercentile) / 100);
        // Extremes just past the percentiles are the surface's own edge, not outliers: keep
        // them within a small margin.
        const margin = voxelSize + 0.02 * (sorted[n - 1 - cut] - sorted[cut]);
        lo = Math.max(sorted[0], sorted[cut] - margin);
        hi = Math.min(sorted[n - 1], sorted[n - 1 - cut] + margin);
      }
      bounds[p * 6 + axis] = count > 0 ? lo : 0;
      bounds[p * 6 + 3 + axis] = count > 0 ? hi : 0;
    }
  }
  return bounds;
}
