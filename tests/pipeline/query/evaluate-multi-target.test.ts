/**
 * Multi-target grounding queries (evaluate.ts): the top-T boxes are matched one-to-one to the
 * T targets, the query's IoU is the bottleneck of the best matching. Boxes are unit cubes
 * shifted along x, so IoU(cube at 0, cube at s) = (1 − s) / (1 + s): s = 0 → 1, 0.2 → 2/3,
 * 1/3 → 1/2, 0.5 → 1/3, 0.6 → 1/4, ≥ 1 → 0.
 */
import { describe, expect, it } from 'vitest';
import {
  evaluateMultiTarget,
  matchTargets,
  summariseEvaluations,
} from '../../../src/pipeline/query/evaluate';
import type { GroundingQuery } from '../../../src/pipeline/query/query-file';
import type { GroundedBox } from '../../../src/pipeline/query/types';
import type { GtObject } from '../../../src/pipeline/scene/types';

const cube = (x: number): { min: [number, number, number]; max: [number, number, number] } => ({
  min: [x, 0, 0],
  max: [x + 1, 1, 1],
});
const boxes = (...xs: number[]): GroundedBox[] =>
  xs.map((x, i) => ({ rank: i + 1, ...cube(x), score: 1 - i / 10, pointCount: 100 }));
/** Two GT chairs far apart: chair 1 at x = 0, chair 2 at x = 10. */
const objects: GtObject[] = [
  { id: 1, label: 'chair', aabb: cube(0) },
  { id: 2, label: 'chair', aabb: cube(10) },
  { id: 3, label: 'table', aabb: cube(20) },
];
const orange: GroundingQuery = { text: 'orange', targetId: 1, targetIds: [1, 2], label: 'chair' };

describe('matchTargets (bottleneck assignment)', () => {
  it('matches each target to its own box', () => {
    expect(
      matchTargets([
        [0.9, 0],
        [0, 0.6],
      ]),
    ).toEqual({ boxOf: [0, 1], bottleneck: 0.6 });
    expect(
      matchTargets([
        [0, 0.9],
        [0.6, 0],
      ]),
    ).toEqual({ boxOf: [1, 0], bottleneck: 0.6 });
  });

  it('finds the matching a greedy one misses', () => {
    // Greedy by IoU gives box 0 to target 0 (0.6) and leaves target 1 nothing (0 with box 1);
    // swapping gives both a good box: min(0.5, 0.55) = 0.5.
    expect(
      matchTargets([
        [0.6, 0.5],
        [0.55, 0],
      ]),
    ).toEqual({ boxOf: [1, 0], bottleneck: 0.5 });
  });

  it('maximises the worst target, not the sum', () => {
    // Sum-optimal is [0, 1] (0.9 + 0.3 = 1.2); the bottleneck prefers [1, 0] (min 0.4).
    expect(
      matchTargets([
        [0.9, 0.4],
        [0.4, 0.3],
      ]),
    ).toEqual({ boxOf: [1, 0], bottleneck: 0.4 });
  });

  it('one box matching both targets counts once', () => {
    const m = matchTargets([[0.8], [0.7]]);
    expect(m.bottleneck).toBe(0);
    expect(m.boxOf.filter((b) => b !== undefined)).toEqual([0]);
  });

  it('ties go to targets in order and boxes in rank order', () => {
    expect(
      matchTargets([
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
    ).toEqual({ boxOf: [0, 1], bottleneck: 0.5 });
  });

  it('no targets, no boxes, non-finite entries', () => {
    expect(matchTargets([])).toEqual({ boxOf: [], bottleneck: 0 });
    expect(matchTargets([[], []])).toEqual({ boxOf: [undefined, undefined], bottleneck: 0 });
    expect(
      matchTargets([
        [NaN, 0.5],
        [Infinity, 0.2],
      ]).bottleneck,
    ).toBe(0);
  });

  it('agrees with brute force over all assignments (random matrices)', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 300; trial++) {
      const t = 1 + (trial % 4);
      const b = t + (trial % 3);
      const m = Array.from({ length: t }, () =>
        Array.from({ length: b }, () => (rand() < 0.3 ? 0 : Math.round(rand() * 20) / 20)),
      );
      let best = 0;
      const walk = (row: number, used: Set<number>, worst: number) => {
        if (row === t) return void (best = Math.max(best, worst));
        for (let c = 0; c < b; c++) {
          if (used.has(c) || m[row][c] <= 0) continue;
          used.add(c);
          walk(row + 1, used, Math.min(worst, m[row][c]));
          used.delete(c);
        }
      };
      walk(0, new Set(), Infinity);
      const got = matchTargets(m);
      expect(got.bottleneck, JSON.stringify(m)).toBe(best);
      if (best > 0) {
        expect(new Set(got.boxOf).size).toBe(t);
        for (let r = 0; r < t; r++) expect(m[r][got.boxOf[r]!]).toBeGreaterThanOrEqual(best);
      }
    }
  });
});

describe('evaluateMultiTarget', () => {
  it('two targets, a box on each: the worst target sets the query IoU', () => {
    // Box 0 on chair 2 (IoU 1), box 1 half a metre off chair 1 (IoU 1/3).
    const r = evaluateMultiTarget(orange, objects, boxes(10, 0.5, 20));
    expect(r.iou).toBeCloseTo(1 / 3, 12);
    expect(r.targetIds).toEqual([1, 2]);
    expect(r.targets!.map((t) => [t.targetId, t.boxIndex, t.iou])).toEqual([
      [1, 1, expect.closeTo(1 / 3, 12)],
      [2, 0, 1],
    ]);
    expect(r.targets![0].box).toMatchObject({ rank: 2 });
    expect(r.targets![0].gtBox).toEqual(cube(0));
    expect(r.bestIoUInTopK).toBeCloseTo(1 / 3, 12);
    expect(r.box).toMatchObject({ rank: 1 });
    expect(r.gtBox).toEqual(cube(0)); // targetId's box
    expect(r.error).toBeUndefined();
  });

  it('two boxes on one chair: the second does not count for the other chair', () => {
    // Both top-2 boxes sit on chair 1; chair 2 only appears at rank 3 (outside top-2).
    const r = evaluateMultiTarget(orange, objects, boxes(0, 0.2, 10));
    expect(r.iou).toBe(0);
    expect(r.targets!.map((t) => t.iou)).toEqual([1, 0]);
    expect(r.targets![1].boxIndex).toBeUndefined();
    // bestIoUInTopK looks at all returned boxes: chair 2's rank-3 box is a perfect fit.
    expect(r.bestIoUInTopK).toBe(1);
  });

  it('one box overlapping both targets is matched to one of them only', () => {
    // Targets 1 m apart (x = 0 and x = 1); one 2 m box spans both: IoU 1/2 with each.
    const near: GtObject[] = [
      { id: 1, label: 'chair', aabb: cube(0) },
      { id: 2, label: 'chair', aabb: cube(1) },
    ];
    const wide: GroundedBox = { rank: 1, min: [0, 0, 0], max: [2, 1, 1], score: 1, pointCount: 9 };
    const r = evaluateMultiTarget(orange, near, [wide]);
    expect(r.iou).toBe(0);
    expect(r.targets!.filter((t) => t.boxIndex !== undefined)).toHaveLength(1);
    expect(r.targets!.map((t) => t.bestIoUInTopK)).toEqual([0.5, 0.5]);
  });

  it('matching beats greedy on real boxes', () => {
    // Chairs at x = 0 and x = 0.5. Box 0 at x = 0.1: IoU 0.9/1.1 = 9/11 with chair 1,
    // 0.6/1.4 = 3/7 with chair 2. Box 1 at x = −0.4: IoU 0.6/1.4 = 3/7 with chair 1, 0.1/1.9
    // = 1/19 with chair 2. Greedy (highest IoU first) gives box 0 to chair 1 and chair 2 gets
    // 1/19; the bottleneck matching swaps them: min(3/7, 3/7) = 3/7 ≥ 0.25.
    const near: GtObject[] = [
      { id: 1, label: 'chair', aabb: cube(0) },
      { id: 2, label: 'chair', aabb: cube(0.5) },
    ];
    const r = evaluateMultiTarget(orange, near, boxes(0.1, -0.4));
    expect(r.iou).toBeCloseTo(3 / 7, 12);
    expect(r.targets!.map((t) => t.boxIndex)).toEqual([1, 0]);
  });

  it('more targets than boxes, or no boxes at all: IoU 0, no crash', () => {
    expect(evaluateMultiTarget(orange, objects, boxes(0)).iou).toBe(0);
    const none = evaluateMultiTarget(orange, objects, []);
    expect(none.iou).toBe(0);
    expect(none.bestIoUInTopK).toBe(0);
    expect(none.box).toBeUndefined();
    expect(none.targets!.every((t) => t.iou === 0 && t.boxIndex === undefined)).toBe(true);
  });

  it('an id the scene lacks is an error on the query and that target, and IoU 0', () => {
    const q: GroundingQuery = { text: 'orange', targetId: 1, targetIds: [1, 42] };
    const r = evaluateMultiTarget(q, objects, boxes(0, 10));
    expect(r.iou).toBe(0);
    expect(r.error).toBe('no object with id 42 in the scene');
    expect(r.targets![1]).toMatchObject({ targetId: 42, iou: 0, error: expect.any(String) });
    expect(r.targets![0].iou).toBe(1);
  });

  it('Acc@0.25 / Acc@0.5 count a multi-target query once, by its bottleneck IoU', () => {
    const single = (iou: number) => ({ text: 's', targetId: 3, iou, bestIoUInTopK: iou });
    const results = [
      single(1), // correct at both
      single(0.3), // correct at 0.25 only
      evaluateMultiTarget(orange, objects, boxes(0, 10)), // 1 and 1 → 1: both
      evaluateMultiTarget(orange, objects, boxes(0.5, 10)), // 1/3 and 1 → 1/3: 0.25 only
      evaluateMultiTarget(orange, objects, boxes(0, 0.2)), // chair 2 missed → 0: neither
    ];
    const report = summariseEvaluations(results, 50);
    expect(report.count).toBe(5);
    expect(report.accAt025).toBe(4 / 5);
    expect(report.accAt05).toBe(2 / 5);
    expect(report.meanIoU).toBeCloseTo((1 + 0.3 + 1 + 1 / 3 + 0) / 5, 12);
    expect(report.meanQueryMs).toBe(10);
  });

  it('a one-id targetIds is the single-target rule (top-1 box only)', () => {
    const q: GroundingQuery = { text: 'orange', targetId: 2, targetIds: [2] };
    expect(evaluateMultiTarget(q, objects, boxes(0, 10)).iou).toBe(0);
    expect(evaluateMultiTarget(q, objects, boxes(10, 0)).iou).toBe(1);
  });
});
