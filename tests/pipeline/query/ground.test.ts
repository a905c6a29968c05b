import { describe, expect, it } from 'vitest';
import { groundQuery, groundScores, resolveQueryOptions } from '../../../src/pipeline/query/ground';
import { boxIoU } from '../../../src/pipeline/query/iou';
import { NegativeSimilarityCache } from '../../../src/pipeline/query/relevancy';
import { parseLocationTokens } from '../../../src/tokens';
import { Float32Field, mulberry32, syntheticRoom, unitVector } from './synthetic-field';

describe('groundQuery on a synthetic room', () => {
  const room = syntheticRoom(11);
  const negatives = (() => {
    const rand = mulberry32(99);
    const embeddings = new Float32Array(4 * room.dim);
    for (let j = 0; j < 4; j++) embeddings.set(unitVector(room.dim, rand), j * room.dim);
    return { key: 'synthetic', embeddings, count: 4 };
  })();

  it.each([0, 1, 2, 3, 4])('finds object %i as the top box with IoU ≥ 0.8', (id) => {
    const field = new Float32Field(room.features, room.count, room.dim);
    const result = groundQuery(field, room.positions, room.objects[id].feature, negatives);
    expect(result.boxes.length).toBeGreaterThan(0);
    expect(boxIoU(result.boxes[0], room.objects[id])).toBeGreaterThanOrEqual(0.8);
    expect(result.boxes[0].rank).toBe(1);
    // the stray points carrying this object's feature are selected but never in a kept box
    expect(result.boxes.every((b) => b.max[2] < 2.4)).toBe(true);
  });

  it('never counts unseen points, even where the query would match', () => {
    const seen = new Uint8Array(room.count).fill(1);
    for (let i = 0; i < room.count; i++) if (room.objectOfPoint[i] === 2) seen[i] = 0;
    const field = new Float32Field(room.features, room.count, room.dim, seen);
    const result = groundQuery(field, room.positions, room.objects[2].feature, negatives);
    for (let i = 0; i < room.count; i++) if (!seen[i]) expect(result.scores[i]).toBeNaN();
    expect(result.boxes.every((b) => boxIoU(b, room.objects[2]) < 0.1)).toBe(true);
  });

  it('attaches location tokens that decode back to the box within half a bin', () => {
    const field = new Float32Field(room.features, room.count, room.dim);
    const normalisation = { centroid: [3, 2.5, 0.5] as [number, number, number], radius: 4 };
    const cache = new NegativeSimilarityCache();
    const result = groundQuery(
      field,
      room.positions,
      room.objects[0].feature,
      negatives,
      { normalisation, topK: 2 },
      cache,
    );
    expect(result.boxes.length).toBeLessThanOrEqual(2);
    const decoded = parseLocationTokens(result.boxes[0].tokens!, { normalisation }).boxes[0].box!;
    for (let a = 0; a < 3; a++) {
      expect(Math.abs(decoded.min[a] - result.boxes[0].min[a])).toBeLessThanOrEqual(4 / 256 + 1e-6);
      expect(Math.abs(decoded.max[a] - result.boxes[0].max[a])).toBeLessThanOrEqual(4 / 256 + 1e-6);
    }
  });

  it('respects a fixed threshold and top-k', () => {
    const scores = new Float32Array(room.count).fill(0.1);
    for (let i = 0; i < room.count; i++)
      if (room.objectOfPoint[i] >= 0) scores[i] = 0.5 + 0.1 * room.objectOfPoint[i];
    const options = resolveQueryOptions({ threshold: 0.65, topK: 10 });
    const result = groundScores(scores, room.positions, options);
    expect(result.threshold).toBe(0.65);
    // objects 2, 3, 4 score 0.7, 0.8, 0.9 → three boxes, best-ranked by mass
    expect(result.boxes).toHaveLength(3);
    const ious = result.boxes.map((b) =>
      Math.max(...[2, 3, 4].map((o) => boxIoU(b, room.objects[o]))),
    );
    expect(Math.min(...ious)).toBeGreaterThan(0.8);
    expect(
      groundScores(scores, room.positions, resolveQueryOptions({ threshold: 0.65, topK: 1 })).boxes,
    ).toHaveLength(1);
    expect(() => groundScores(scores.subarray(1), room.positions, options)).toThrow(RangeError);
  });
});

describe('groundScores options', () => {
  /** Two dense strong blobs 1 m apart on the x axis, joined by a 2 cm-spaced chain of weak points. */
  function dumbbell() {
    const pts: number[] = [];
    const scores: number[] = [];
    for (const cx of [0, 1.2])
      for (let i = 0; i < 8; i++)
        for (let j = 0; j < 8; j++)
          for (let k = 0; k < 8; k++) {
            pts.push(cx + i * 0.025, j * 0.025, k * 0.025);
            scores.push(0.9);
          }
    for (let x = 0.2; x < 1.2; x += 0.02) {
      pts.push(x, 0.1, 0.1);
      scores.push(0.4);
    }
    for (let i = 0; i < 3000; i++) {
      pts.push(3 + (i % 30) * 0.05, Math.floor(i / 30) * 0.05, 0);
      scores.push(0.1);
    }
    return { positions: Float32Array.from(pts), scores: Float32Array.from(scores) };
  }

  it('hysteresis links strong parts through weak points; boxes use the strong points only', () => {
    const { positions, scores } = dumbbell();
    const base = { mode: 'cosine' as const, topK: 5, adaptClusterVoxel: false };
    const plain = groundScores(scores, positions, resolveQueryOptions(base));
    expect(plain.threshold).toBeGreaterThan(0.4);
    expect(plain.boxes).toHaveLength(2);
    const linked = groundScores(
      scores,
      positions,
      resolveQueryOptions({ ...base, linkFraction: 0.2 }),
    );
    expect(linked.threshold).toBe(plain.threshold);
    expect(linked.boxes).toHaveLength(1);
    expect(linked.boxes[0].pointCount).toBe(1024); // the weak chain is not counted
    expect(linked.boxes[0].min[0]).toBeCloseTo(0, 5);
    expect(linked.boxes[0].max[0]).toBeCloseTo(1.2 + 7 * 0.025, 5);
  });

  it('score-weighted extents let a confident core outweigh a fringe barely above the threshold', () => {
    const pts: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 20; i++)
      for (let j = 0; j < 20; j++) {
        pts.push(i * 0.02, j * 0.02, 0);
        scores.push(0.95);
      }
    // a fringe of 20% of the points along +x, just above any threshold between 0.6 and 0.95
    for (let i = 20; i < 25; i++)
      for (let j = 0; j < 20; j++) {
        pts.push(i * 0.02, j * 0.02, 0);
        scores.push(0.61);
      }
    for (let i = 0; i < 2000; i++) {
      pts.push(5 + (i % 40) * 0.05, Math.floor(i / 40) * 0.05, 1);
      scores.push(0.1);
    }
    const positions = Float32Array.from(pts);
    const s = Float32Array.from(scores);
    const options = {
      mode: 'cosine' as const,
      threshold: 0.6,
      boxExtentQuantile: 0.05,
      adaptClusterVoxel: false,
    };
    const plain = groundScores(s, positions, resolveQueryOptions(options));
    const weighted = groundScores(
      s,
      positions,
      resolveQueryOptions({ ...options, scoreWeightedExtents: true }),
    );
    expect(plain.boxes[0].max[0]).toBeGreaterThan(0.44);
    expect(weighted.boxes[0].max[0]).toBeLessThan(0.4);
    expect(weighted.boxes[0].pointCount).toBe(500);
  });
});
