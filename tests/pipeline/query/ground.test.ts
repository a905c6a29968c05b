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
    const normalization = { centroid: [3, 2.5, 0.5] as [number, number, number], radius: 4 };
    const cache = new NegativeSimilarityCache();
    const result = groundQuery(
      field,
      room.positions,
      room.objects[0].feature,
      negatives,
      { normalization, topK: 2 },
      cache,
    );
    expect(result.boxes.length).toBeLessThanOrEqual(2);
    const decoded = parseLocationTokens(result.boxes[0].tokens!, { normalization }).boxes[0].box!;
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
