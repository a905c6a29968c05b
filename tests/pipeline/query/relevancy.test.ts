import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  elementwiseMax,
  lerfRelevancy,
  NegativeSimilarityCache,
  scorePoints,
} from '../../../src/pipeline/query/relevancy';
import { Float32Field, mulberry32, unitVector } from './synthetic-field';

/** LERF's formula as written: min over negatives of exp(T·q)/(exp(T·q) + exp(T·n_i)). */
function naiveRelevancy(q: number, negatives: number[], temperature: number): number {
  return Math.min(
    ...negatives.map(
      (n) => Math.exp(temperature * q) / (Math.exp(temperature * q) + Math.exp(temperature * n)),
    ),
  );
}

describe('LERF relevancy', () => {
  it('equals the naive formula for cosines in [-1, 1]', () => {
    const cos = fc.double({ min: -1, max: 1, noNaN: true });
    fc.assert(
      fc.property(cos, fc.array(cos, { minLength: 1, maxLength: 6 }), (q, negs) => {
        const got = lerfRelevancy(
          Float32Array.of(q),
          elementwiseMax(negs.map((n) => Float32Array.of(n))),
          10,
        )[0];
        expect(got).toBeCloseTo(naiveRelevancy(Math.fround(q), negs.map(Math.fround), 10), 6);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays finite where the naive formula overflows', () => {
    expect(naiveRelevancy(100, [0], 10)).toBeNaN(); // exp(1000) = Infinity → Infinity/Infinity
    const r = lerfRelevancy(Float32Array.of(100, -100, 0), Float32Array.of(0, 0, 0), 10);
    expect(Array.from(r)).toEqual([1, 0, 0.5]);
    const extreme = lerfRelevancy(Float32Array.of(1e6, -1e6), Float32Array.of(-1e6, 1e6), 10);
    expect(Array.from(extreme)).toEqual([1, 0]);
  });

  it('keeps unseen points (NaN) NaN', () => {
    expect(
      elementwiseMax([Float32Array.of(1, NaN), Float32Array.of(NaN, 0)]).every(Number.isNaN),
    ).toBe(true);
    const r = lerfRelevancy(Float32Array.of(NaN, 0.5), Float32Array.of(0.1, NaN), 10);
    expect(r.every(Number.isNaN)).toBe(true);
  });
});

describe('scorePoints', () => {
  const rand = mulberry32(7);
  const dim = 16;
  const count = 200;
  const features = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) features.set(unitVector(dim, rand), i * dim);
  const seen = new Uint8Array(count).fill(1);
  seen[3] = 0;
  const negatives = new Float32Array(4 * dim);
  for (let j = 0; j < 4; j++) negatives.set(unitVector(dim, rand), j * dim);
  const negativeSet = { key: 'test\u0000a\u0000b\u0000c\u0000d', embeddings: negatives, count: 4 };
  const query = unitVector(dim, rand);

  it('computes relevancy per point against every negative, NaN for unseen', () => {
    const field = new Float32Field(features, count, dim, seen);
    const scores = scorePoints(field, query, negativeSet, { mode: 'lerf', temperature: 10 });
    const dot = (a: Float32Array, ao: number, b: Float32Array, bo: number) => {
      let d = 0;
      for (let k = 0; k < dim; k++) d += a[ao + k] * b[bo + k];
      return d;
    };
    for (let i = 0; i < count; i++) {
      if (i === 3) {
        expect(scores[i]).toBeNaN();
        continue;
      }
      const q = dot(features, i * dim, query, 0);
      const n = [0, 1, 2, 3].map((j) => dot(features, i * dim, negatives, j * dim));
      expect(scores[i]).toBeCloseTo(naiveRelevancy(q, n, 10), 5);
    }
  });

  it('caches the negatives per field: later queries need one similarity column', () => {
    const field = new Float32Field(features, count, dim, seen);
    const cache = new NegativeSimilarityCache();
    const first = scorePoints(field, query, negativeSet, { mode: 'lerf', temperature: 10 }, cache);
    expect(field.calls).toBe(1);
    const again = scorePoints(field, query, negativeSet, { mode: 'lerf', temperature: 10 }, cache);
    expect(field.calls).toBe(2);
    expect(again).toEqual(first);
    // a different field does not see the first field's cache
    const other = new Float32Field(features, count, dim);
    scorePoints(other, query, negativeSet, { mode: 'lerf', temperature: 10 }, cache);
    expect(other.calls).toBe(1);
  });

  it("returns raw cosine in 'cosine' mode and rejects a wrong dimension", () => {
    const field = new Float32Field(features, count, dim);
    const cos = scorePoints(field, query, negativeSet, { mode: 'cosine', temperature: 10 });
    expect(cos).toEqual(field.similarity(query, 1)[0]);
    expect(() =>
      scorePoints(field, new Float32Array(dim + 1), null, { mode: 'cosine', temperature: 10 }),
    ).toThrow(RangeError);
  });
});
