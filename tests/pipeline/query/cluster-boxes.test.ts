import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clusterBoxes, selectKth } from '../../../src/pipeline/query/cluster-boxes';
import { mulberry32 } from './synthetic-field';

describe('clusterBoxes', () => {
  it('ignores the few outliers of a cluster (robust extents) and scores it', () => {
    const rand = mulberry32(3);
    const n = 1000;
    const positions = new Float32Array(n * 3);
    for (let i = 0; i < n * 3; i++) positions[i] = rand();
    // five stray points of the same cluster 3 m away along x
    for (let i = 0; i < 5; i++) positions[i * 3] = 3;
    const indices = Uint32Array.from({ length: n }, (_, i) => i);
    const labels = new Int32Array(n);
    const scores = new Float32Array(n).fill(0.8);
    const [box] = clusterBoxes(positions, indices, labels, 1, scores, 0.5, {
      extentQuantile: 0.01,
      minPoints: 1,
    });
    expect(box.max[0]).toBeLessThan(1);
    expect(box.max[0]).toBeGreaterThan(0.97);
    expect(box.min[1]).toBeLessThan(0.03);
    expect(box.pointCount).toBe(n);
    expect(box.score).toBeCloseTo(0.8, 6);
    expect(box.mass).toBeCloseTo(0.3 * n, 3);
    // plain min/max would have taken the strays
    const [plain] = clusterBoxes(positions, indices, labels, 1, scores, 0.5, {
      extentQuantile: 0,
      minPoints: 1,
    });
    expect(plain.max[0]).toBe(3);
  });

  it('ranks by Σ(score − threshold), drops small clusters and uses the selected indices', () => {
    // cluster 0: 20 points at score 0.6; cluster 1: 10 points at 0.9; cluster 2: 3 points
    const positions = new Float32Array(40 * 3);
    for (let i = 0; i < 40; i++) positions.set([i, i * 2, -i], i * 3);
    const indices = Uint32Array.from({ length: 33 }, (_, k) => k + 5); // points 5..37
    const labels = Int32Array.from({ length: 33 }, (_, k) => (k < 20 ? 0 : k < 30 ? 1 : 2));
    const scores = new Float32Array(40);
    for (let k = 0; k < 33; k++) scores[k + 5] = k < 20 ? 0.6 : 0.9;
    const boxes = clusterBoxes(positions, indices, labels, 3, scores, 0.5, {
      extentQuantile: 0,
      minPoints: 5,
    });
    expect(boxes.map((b) => b.pointCount)).toEqual([10, 20]); // 10·0.4 = 4 > 20·0.1 = 2
    expect(boxes[0].min).toEqual([25, 50, -34]);
    expect(boxes[0].max).toEqual([34, 68, -25]);
    expect(boxes[1].min).toEqual([5, 10, -24]);
  });
});

describe('selectKth', () => {
  it('returns the k-th smallest like a sort, with duplicates and any k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        (values, kSeed) => {
          const arr = Float32Array.from(values);
          const sorted = Float32Array.from(values).sort();
          const k = kSeed % arr.length;
          // + 0 folds -0 into +0: the selection treats them as equal, as < and > do, but sort orders them
          expect(selectKth(arr, k, 0, arr.length - 1) + 0).toBe(sorted[k] + 0);
          // the second selection in clusterBoxes: above the first rank
          const hi = arr.length - 1 - (kSeed % (arr.length - k));
          expect(selectKth(arr, hi, k, arr.length - 1) + 0).toBe(sorted[hi] + 0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
