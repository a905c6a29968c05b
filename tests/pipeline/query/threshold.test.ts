import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  autoThreshold,
  finiteQuantiles,
  selectAboveThreshold,
} from '../../../src/pipeline/query/threshold';

describe('automatic threshold', () => {
  it('quantiles match a sort within the histogram resolution, ignoring NaN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float({ min: -5, max: 5, noNaN: true }), fc.constant(NaN)), {
          minLength: 1,
          maxLength: 500,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const arr = Float32Array.from(values);
          const finite = Array.from(arr)
            .filter((v) => !Number.isNaN(v))
            .sort((a, b) => a - b);
          const [got] = finiteQuantiles(arr, [q]);
          if (finite.length === 0) {
            expect(got).toBeNaN();
            return;
          }
          const expected = finite[Math.floor(q * (finite.length - 1))];
          const resolution = (finite[finite.length - 1] - finite[0]) / 65_536;
          expect(Math.abs(got - expected)).toBeLessThanOrEqual(resolution + 1e-6);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('puts the threshold a fraction of the way from the median to the robust maximum', () => {
    // 900 points at 0.2, 100 at 0.9, one unseen: median 0.2, high 0.9 → 0.2 + 0.5·0.7
    const scores = new Float32Array(1001).fill(0.2);
    scores.fill(0.9, 900, 1000);
    scores[1000] = NaN;
    const t = autoThreshold(scores, { fraction: 0.5, highQuantile: 0.999 });
    expect(t).toBeCloseTo(0.55, 4);
    const selected = selectAboveThreshold(scores, t);
    expect(selected.length).toBe(100);
    expect(selected[0]).toBe(900);
    expect(selectAboveThreshold(scores, NaN).length).toBe(0);
  });

  it('is unchanged by a few extreme points (robust maximum)', () => {
    const scores = new Float32Array(10_000);
    for (let i = 0; i < scores.length; i++) scores[i] = i < 9000 ? 0.1 : 0.8;
    const before = autoThreshold(scores, { fraction: 0.5, highQuantile: 0.999 });
    scores[0] = 50;
    scores[1] = 60;
    const after = autoThreshold(scores, { fraction: 0.5, highQuantile: 0.999 });
    expect(Math.abs(after - before)).toBeLessThan(0.01);
  });
});

describe('automatic threshold on LERF relevancy', () => {
  it('applies the rule to logits, so saturated relevancy still splits in the middle', () => {
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    // 900 points at margin 0, 100 at margin 8 → logit threshold 4
    const scores = new Float32Array(1000).fill(sigmoid(0));
    scores.fill(sigmoid(8), 900);
    const t = autoThreshold(scores, { fraction: 0.5, highQuantile: 0.999, logistic: true });
    expect(t).toBeCloseTo(sigmoid(4), 4);
    // on the probability scale the same rule would sit at ≈ 0.75, far below
    expect(autoThreshold(scores, { fraction: 0.5, highQuantile: 0.999 })).toBeCloseTo(0.75, 3);
  });
});
