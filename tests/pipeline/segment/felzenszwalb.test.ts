import { describe, expect, it } from 'vitest';
import {
  DisjointSets,
  felzenszwalb,
  WEIGHT_STEPS,
  type WeightedGraph,
} from '../../../src/pipeline/segment/felzenszwalb';
import { symmetricEigen3 } from '../../../src/pipeline/segment/symmetric-eigen';
import { mulberry32 } from '../../../src/pipeline/random';

/** FH as the paper states it: arrays of objects, comparator sort, sets as arrays of members. */
function referenceFelzenszwalb(
  graph: WeightedGraph,
  k: number,
  minSize: number,
  nodeSizes: number[],
): number[] {
  const edges = Array.from(graph.weights, (w, i) => ({
    a: graph.edgeA[i],
    b: graph.edgeB[i],
    w,
    i,
  })).sort((x, y) => x.w - y.w || x.i - y.i);
  const component = Array.from({ length: graph.nodeCount }, (_, i) => i);
  const members = new Map<number, number[]>(component.map((c) => [c, [c]]));
  const internal = new Map<number, number>(component.map((c) => [c, 0]));
  const size = (c: number) => members.get(c)!.reduce((s, m) => s + nodeSizes[m], 0);
  const merge = (a: number, b: number, w: number) => {
    for (const m of members.get(b)!) component[m] = a;
    members.get(a)!.push(...members.get(b)!);
    members.delete(b);
    internal.set(a, Math.max(internal.get(a)!, internal.get(b)!, w));
  };
  for (const e of edges) {
    const a = component[e.a];
    const b = component[e.b];
    if (a === b) continue;
    const mInt = Math.min(internal.get(a)! + k / size(a), internal.get(b)! + k / size(b));
    if (e.w <= mInt) merge(a, b, e.w);
  }
  for (const e of edges) {
    const a = component[e.a];
    const b = component[e.b];
    if (a !== b && (size(a) < minSize || size(b) < minSize)) merge(a, b, e.w);
  }
  return component;
}

/** Same partition, whatever the label values. */
function samePartition(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
  const xy = new Map<number, number>();
  const yx = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    if ((xy.get(x[i]) ?? y[i]) !== y[i] || (yx.get(y[i]) ?? x[i]) !== x[i]) return false;
    xy.set(x[i], y[i]);
    yx.set(y[i], x[i]);
  }
  return true;
}

function randomGraph(seed: number): { graph: WeightedGraph; sizes: number[] } {
  const rand = mulberry32(seed);
  const nodeCount = 2 + Math.floor(rand() * 60);
  const edgeCount = Math.floor(rand() * nodeCount * 3);
  const edgeA = new Int32Array(edgeCount);
  const edgeB = new Int32Array(edgeCount);
  const weights = new Float32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    edgeA[e] = Math.floor(rand() * nodeCount);
    edgeB[e] = Math.floor(rand() * nodeCount);
    // Exact multiples of the sort's quantum, with ties, so both orders agree.
    weights[e] = Math.floor(rand() * 64) / 64;
  }
  const sizes = Array.from({ length: nodeCount }, () => 1 + Math.floor(rand() * 4));
  return { graph: { nodeCount, edgeA, edgeB, weights }, sizes };
}

describe('felzenszwalb', () => {
  it('matches the reference implementation on random small graphs', () => {
    expect(WEIGHT_STEPS % 64).toBe(0);
    for (let seed = 1; seed <= 300; seed++) {
      const { graph, sizes } = randomGraph(seed);
      const rand = mulberry32(seed * 7919);
      const k = [0, 0.1, 0.5, 2, 10][seed % 5];
      const minSize = seed % 3 === 0 ? Math.floor(rand() * 8) : 0;
      const fast = felzenszwalb(graph, { k, minSize, nodeSizes: sizes });
      const reference = referenceFelzenszwalb(graph, k, minSize, sizes);
      expect(samePartition(fast.labels, reference), `seed ${seed}`).toBe(true);
      expect(fast.count).toBe(new Set(reference).size);
    }
  });

  it('splits a chain at its one heavy edge', () => {
    const graph: WeightedGraph = {
      nodeCount: 6,
      edgeA: Int32Array.from([0, 1, 2, 3, 4]),
      edgeB: Int32Array.from([1, 2, 3, 4, 5]),
      weights: Float32Array.from([0.01, 0.01, 0.9, 0.01, 0.01]),
    };
    const { labels, count } = felzenszwalb(graph, { k: 0.1, minSize: 0 });
    expect(count).toBe(2);
    expect(Array.from(labels)).toEqual([0, 0, 0, 1, 1, 1]);
    // minSize larger than either half merges them.
    expect(felzenszwalb(graph, { k: 0.1, minSize: 4 }).count).toBe(1);
  });

  it('labels components densely in first-node order', () => {
    const sets = new DisjointSets(5);
    sets.unionRoots(sets.find(3), sets.find(1));
    sets.unionRoots(sets.find(4), sets.find(0));
    expect(Array.from(sets.labels().labels)).toEqual([0, 1, 2, 1, 0]);
  });
});

describe('symmetricEigen3', () => {
  it('recovers eigenpairs of random symmetric matrices', () => {
    const rand = mulberry32(3);
    const values = new Float64Array(3);
    const vectors = new Float64Array(9);
    for (let t = 0; t < 200; t++) {
      const m = Array.from({ length: 6 }, () => rand() * 2 - 1);
      if (t % 10 === 0) m[1] = m[2] = m[4] = 0; // already diagonal
      symmetricEigen3(m, values, vectors);
      const full = [
        [m[0], m[1], m[2]],
        [m[1], m[3], m[4]],
        [m[2], m[4], m[5]],
      ];
      expect(values[0]).toBeLessThanOrEqual(values[1]);
      expect(values[1]).toBeLessThanOrEqual(values[2]);
      for (let k = 0; k < 3; k++) {
        const v = [vectors[k * 3], vectors[k * 3 + 1], vectors[k * 3 + 2]];
        expect(Math.hypot(...v)).toBeCloseTo(1, 9);
        for (let r = 0; r < 3; r++) {
          const mv = full[r][0] * v[0] + full[r][1] * v[1] + full[r][2] * v[2];
          expect(mv).toBeCloseTo(values[k] * v[r], 9);
        }
      }
    }
  });
});
