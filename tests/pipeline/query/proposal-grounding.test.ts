/**
 * Grounding on proposals, on hand-built segmentations whose every box is known: which level is
 * the object, groups and faces, structure and degenerate boxes, honest "no confident match",
 * and the invariants of the result under random segmentations and scores.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/pipeline/random';
import {
  groundProposals,
  isDegenerate,
  ProposalIndex,
} from '../../../src/pipeline/query/proposal-grounding';
import { boxIoU } from '../../../src/pipeline/query/iou';
import { StructureKind } from '../../../src/pipeline/segment/types';
import { gridBox, handSegmentation } from './hand-segmentation';

/**
 * A 4 m × 4 m floor (structure) with: A (0.5 m cube, split at mid height into A1 over A2), B (a
 * 0.5 m cube touching A; levels 2 merges A and B), C (a cube far away), S (a 1 cm sliver, 10 cm ×
 * 30 cm) and R (a 1 cm rug, 1 m × 1 m). Levels: 0 parts, 1 objects, 2 A+B merged.
 */
function room() {
  const parts: { name: string; points: number[][] }[] = [
    { name: 'floor', points: gridBox([0, 0, 0], [4, 4, 0], 0.05) },
    { name: 'A1', points: gridBox([1, 1, 0.3], [1.5, 1.5, 0.5], 0.05) },
    { name: 'A2', points: gridBox([1, 1, 0.05], [1.5, 1.5, 0.25], 0.05) },
    { name: 'B', points: gridBox([1.55, 1, 0.05], [2.05, 1.5, 0.5], 0.05) },
    { name: 'C', points: gridBox([3, 3, 0.05], [3.4, 3.4, 0.45], 0.05) },
    { name: 'S', points: gridBox([0.5, 3, 0.5], [0.51, 3.1, 0.8], 0.01) },
    { name: 'R', points: gridBox([2.5, 0.5, 0.02], [3.5, 1.5, 0.03], 0.05) },
  ];
  const names = parts.map((p) => p.name);
  const objectOf = { floor: 0, A1: 1, A2: 1, B: 2, C: 3, S: 4, R: 5 } as Record<string, number>;
  const groupOf = { floor: 0, A1: 1, A2: 1, B: 1, C: 3, S: 4, R: 5 } as Record<string, number>;
  const xyz: number[] = [];
  const part: number[] = [];
  parts.forEach((p, k) => {
    for (const q of p.points) {
      xyz.push(...q);
      part.push(k);
    }
  });
  const positions = Float32Array.from(xyz);
  const l0 = part;
  const l1 = part.map((k) => objectOf[names[k]]);
  const l2 = part.map((k) => groupOf[names[k]]);
  const seg = handSegmentation(positions, [l0, l1, l2], {
    '0:0': StructureKind.Floor,
    '1:0': StructureKind.Floor,
    '2:0': StructureKind.Floor,
  });
  const index = new ProposalIndex(positions, seg);
  /** Scores: per part a value, plus uniform noise of ± noise. */
  const scores = (values: Partial<Record<string, number>>, seed = 1, noise = 0.02) => {
    const random = mulberry32(seed);
    return Float32Array.from(part, (k) => (values[names[k]] ?? 0) + (random() * 2 - 1) * noise);
  };
  const id = {
    A1: seg.idOf(0, 1),
    A2: seg.idOf(0, 2),
    A: seg.idOf(1, 1),
    B: seg.idOf(1, 2),
    // C, S and R are the same points on every level: the finest id stands for them.
    C: seg.idOf(0, 4),
    S: seg.idOf(0, 5),
    R: seg.idOf(0, 6),
    AB: seg.idOf(2, 1),
    floor: seg.idOf(1, 0),
  };
  return { positions, seg, index, scores, id };
}

const scene = room();

describe('groundProposals', () => {
  it('returns the whole object, not its parts or its group with a neighbour', () => {
    for (const seed of [1, 2, 3, 4]) {
      const r = groundProposals(scene.scores({ A1: 1, A2: 1 }, seed), scene.index);
      expect(r.confident).toBe(true);
      expect(r.boxes.map((b) => b.proposal)).toEqual([scene.id.A]);
      const box = r.boxes[0];
      expect(box.min[0]).toBeCloseTo(1, 5);
      expect(box.max[2]).toBeCloseTo(0.5, 5);
      expect(box.pointCount).toBe(11 * 11 * 5 + 11 * 11 * 5);
    }
  });

  it('keeps a face with its object when the rest scores part of the way, not when it does not', () => {
    // Added part at 0.5 of the face's contrast (≥ parentPreference 0.3): the whole object.
    const half = groundProposals(scene.scores({ A1: 1, A2: 0.5 }), scene.index);
    expect(half.boxes[0].proposal).toBe(scene.id.A);
    // At 0.1 the lower half is not the queried thing: the upper part alone.
    const little = groundProposals(scene.scores({ A1: 1, A2: 0.1 }), scene.index);
    expect(little.boxes[0].proposal).toBe(scene.id.A1);
  });

  it('scores are contrasts, shown in rank order, and a second matching object follows', () => {
    const r = groundProposals(scene.scores({ A1: 1, A2: 1, C: 0.8 }), scene.index);
    expect(r.boxes.map((b) => b.proposal)).toEqual([scene.id.A, scene.id.C]);
    for (let k = 1; k < r.boxes.length; k++) {
      expect(r.boxes[k].score).toBeLessThanOrEqual(r.boxes[k - 1].score);
    }
    // Contrast of C: inside 0.8, surroundings (floor, others) 0; shrinkage n/(n + 10).
    const c = r.boxes[1];
    expect(c.inside).toBeCloseTo(0.8, 1);
    expect(c.surroundings).toBeCloseTo(0, 1);
    expect(c.score).toBeCloseTo(
      (c.inside - c.surroundings) * (c.seenCount / (c.seenCount + 10)),
      6,
    );
  });

  it('drops boxes far weaker than the best (relativeScore), and keeps topK', () => {
    const r = groundProposals(scene.scores({ A1: 1, A2: 1, C: 0.3 }), scene.index);
    expect(r.boxes.map((b) => b.proposal)).toEqual([scene.id.A]);
    const one = groundProposals(scene.scores({ A1: 1, A2: 1, C: 1 }), scene.index, { topK: 1 });
    expect(one.boxes).toHaveLength(1);
  });

  it('never returns structure, and says so when only structure stands out', () => {
    const r = groundProposals(scene.scores({ floor: 1 }), scene.index);
    expect(r.boxes.every((b) => b.proposal !== scene.id.floor)).toBe(true);
    expect(r.confident).toBe(false);
    expect(r.reason).toMatch(/stands out|median/);
  });

  it('drops slivers but keeps flat objects (a rug)', () => {
    expect(isDegenerate([0.01, 0.1, 0.3], { minBoxSideM: 0.03, flatObjectMinSpanM: 0.2 })).toBe(
      true,
    );
    expect(isDegenerate([1, 0.01, 1], { minBoxSideM: 0.03, flatObjectMinSpanM: 0.2 })).toBe(false);
    const sliver = groundProposals(scene.scores({ S: 1 }), scene.index);
    expect(sliver.boxes.map((b) => b.proposal)).not.toContain(scene.id.S);
    const rug = groundProposals(scene.scores({ R: 1 }), scene.index);
    expect(rug.boxes.map((b) => b.proposal)).toEqual([scene.id.R]);
  });

  it('reports flat, unseen and background-only scores instead of drawing boxes', () => {
    const n = scene.seg.pointCount;
    const flat = groundProposals(new Float32Array(n).fill(0.7), scene.index);
    expect(flat).toMatchObject({ boxes: [], confident: false });
    expect(flat.reason).toMatch(/flat/);
    const unseen = groundProposals(new Float32Array(n).fill(NaN), scene.index);
    expect(unseen.confident).toBe(false);
    expect(unseen.reason).toMatch(/seen/);
    const noise = groundProposals(scene.scores({}, 5, 0.3), scene.index);
    expect(noise).toMatchObject({ boxes: [], confident: false });
  });

  it('ignores unseen points: an object half seen is scored on its seen half', () => {
    const s = scene.scores({ A1: 1, A2: 1 });
    // Hide A2 entirely: A's seen points are A1's; the box is still A's (A2 adds no evidence,
    // and proposals unchanged in their seen points pass up) or A1's, never the group AB.
    for (let i = 0; i < scene.seg.pointCount; i++) {
      if (scene.seg.pointProposals[i] === scene.id.A2) s[i] = NaN;
    }
    const r = groundProposals(s, scene.index);
    expect([scene.id.A, scene.id.A1]).toContain(r.boxes[0].proposal);
  });

  it('applies the logistic scale to saturated relevancy', () => {
    // 0.999 vs 0.99 background: on the probability scale a sliver of difference; on logits clear.
    const s = scene.scores({ A1: 0.999 - 0.99, A2: 0.999 - 0.99 }, 1, 0.0005);
    for (let i = 0; i < s.length; i++) s[i] += 0.99;
    const r = groundProposals(s, scene.index, { logistic: true });
    expect(r.boxes.map((b) => b.proposal)).toEqual([scene.id.A]);
  });

  it('rejects scores of another length', () => {
    expect(() => groundProposals(new Float32Array(3), scene.index)).toThrow(RangeError);
  });
});

describe('groundProposals on random segmentations (properties)', () => {
  it('ranks, nests, overlaps and sizes boxes as promised', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = mulberry32(seed);
      const n = 200 + Math.floor(random() * 800);
      const positions = Float32Array.from({ length: n * 3 }, () => random() * 3);
      // Level 0: k0 random labels; level 1 groups them in pairs; level 2 one group.
      const k0 = 2 + Math.floor(random() * 30);
      const l0 = Array.from({ length: n }, () => Math.floor(random() * k0));
      const l1 = l0.map((v) => v >> 1);
      const l2 = l0.map(() => 0);
      const seg = handSegmentation(positions, [l0, l1, l2]);
      const index = new ProposalIndex(positions, seg);
      const scores = Float32Array.from({ length: n }, () => {
        const u = random();
        return u < 0.1 ? NaN : u < 0.12 ? Infinity : random() * (random() < 0.2 ? 5 : 1);
      });
      const r = groundProposals(scores, index, { minSignificance: 0, minSeparation: 0 });
      expect(r.boxes.length).toBeLessThanOrEqual(5);
      if (!r.confident) expect(r.boxes).toHaveLength(0);
      if (!r.confident) expect(typeof r.reason).toBe('string');
      for (let k = 0; k < r.boxes.length; k++) {
        const b = r.boxes[k];
        if (k > 0) expect(b.score).toBeLessThanOrEqual(r.boxes[k - 1].score);
        expect(Number.isFinite(b.score)).toBe(true);
        for (let a = 0; a < 3; a++) expect(b.min[a]).toBeLessThanOrEqual(b.max[a]);
        const sides = [0, 1, 2].map((a) => b.max[a] - b.min[a]);
        expect(isDegenerate(sides, { minBoxSideM: 0.03, flatObjectMinSpanM: 0.2 })).toBe(false);
        for (let j = 0; j < k; j++) {
          const other = r.boxes[j];
          expect(boxIoU(b, other)).toBeLessThanOrEqual(0.5);
          // No box is an ancestor or descendant of another.
          for (let a = seg.parent[b.proposal]; a >= 0; a = seg.parent[a]) {
            expect(a).not.toBe(other.proposal);
          }
          for (let a = seg.parent[other.proposal]; a >= 0; a = seg.parent[a]) {
            expect(a).not.toBe(b.proposal);
          }
        }
      }
    }
  });
});

describe('groundProposals on hostile clouds (fuzz)', () => {
  it('NaN, infinite and absurd coordinates never throw or produce a non-finite box', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const random = mulberry32(seed * 7919);
      const n = 50 + Math.floor(random() * 400);
      const positions = Float32Array.from({ length: n * 3 }, () => {
        const u = random();
        if (u < 0.05) return NaN;
        if (u < 0.08) return (random() < 0.5 ? -1 : 1) * 1e30;
        if (u < 0.1) return Infinity;
        return random() * 5;
      });
      const labels = Array.from({ length: n }, () => Math.floor(random() * 6));
      const seg = handSegmentation(positions, [labels, labels.map((v) => v >> 1)]);
      const index = new ProposalIndex(positions, seg);
      const scores = Float32Array.from({ length: n }, () => (random() < 0.2 ? NaN : random()));
      const r = groundProposals(scores, index, { minSeparation: 0, minSignificance: 0 });
      for (const b of r.boxes) {
        expect([...b.min, ...b.max, b.score].every(Number.isFinite)).toBe(true);
      }
    }
  });
});
