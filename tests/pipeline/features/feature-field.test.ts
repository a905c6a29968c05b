import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFeatureField } from '../../../src/pipeline/features/field/field-encoder';
import {
  deserialiseFeatureField,
  serialiseFeatureField,
} from '../../../src/pipeline/features/field/field-format';
import { ParseError } from '../../../src/pipeline/errors';
import { mulberry32 } from '../../../src/pipeline/random';

function gauss(r: () => number) {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/**
 * Fusion-like features: each point is the mean of a few unit "pixel features" drawn from a
 * scene bank of crop embeddings that share a common direction (as CLIP image embeddings do).
 */
function fusedLike(n: number, dim: number, bankSize: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  const common = Float64Array.from({ length: dim }, () => gauss(r));
  const bank = new Float64Array(bankSize * dim);
  for (let b = 0; b < bankSize; b++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      bank[b * dim + d] = common[d] * 0.6 + gauss(r) * 0.35;
      sq += bank[b * dim + d] ** 2;
    }
    for (let d = 0; d < dim; d++) bank[b * dim + d] /= Math.sqrt(sq);
  }
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    // Points on one object see a few nearby bank entries.
    const centre = Math.floor(r() * bankSize);
    const views = 1 + Math.floor(r() * 6);
    for (let v = 0; v < views; v++) {
      const b = (centre + Math.floor(r() * 3)) % bankSize;
      for (let d = 0; d < dim; d++) out[i * dim + d] += bank[b * dim + d] / views;
    }
  }
  return out;
}

function cosine(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, dim: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < dim; d++) {
    dot += a[aOff + d] * b[d];
    na += a[aOff + d] ** 2;
    nb += b[d] ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe('encodeFeatureField', () => {
  it('decodes every point with cosine ≥ 0.99 and ≤ 128 B/point on fusion-like D=512 data', () => {
    const n = 6000;
    const dim = 512;
    const features = fusedLike(n, dim, 60, 1);
    const field = encodeFeatureField(features, n, dim);
    const out = new Float32Array(dim);
    let min = 1;
    for (let i = 0; i < n; i++)
      min = Math.min(min, cosine(features, i * dim, field.decode(i, out), dim));
    console.log(
      `D=512: K=${field.components}, exceptions=${field.stats.exceptions}, ${field.bytesPerPoint.toFixed(1)} B/point, min cos ${min.toFixed(5)}`,
    );
    expect(min).toBeGreaterThanOrEqual(0.99);
    expect(field.bytesPerPoint).toBeLessThanOrEqual(128);
  });

  it('keeps the cosine bound for every point even on incompressible random data (exceptions or identity)', () => {
    const n = 500;
    const dim = 96;
    const r = mulberry32(7);
    const features = Float32Array.from({ length: n * dim }, () => gauss(r));
    const field = encodeFeatureField(features, n, dim);
    const out = new Float32Array(dim);
    for (let i = 0; i < n; i++) {
      expect(cosine(features, i * dim, field.decode(i, out), dim)).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('similarity equals the decoded feature dotted with the query; unseen points give NaN', () => {
    const n = 800;
    const dim = 64;
    const features = fusedLike(n, dim, 20, 3);
    const viewCounts = new Uint16Array(n).fill(3);
    for (let i = 0; i < n; i += 7) viewCounts[i] = 0;
    const field = encodeFeatureField(features, n, dim, viewCounts);
    const r = mulberry32(11);
    const q = 3;
    const queries = new Float32Array(q * dim);
    for (let j = 0; j < q; j++) {
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += (queries[j * dim + d] = gauss(r)) ** 2;
      for (let d = 0; d < dim; d++) queries[j * dim + d] /= Math.sqrt(sq);
    }
    const sims = field.similarity(queries, q);
    expect(sims).toHaveLength(q);
    const out = new Float32Array(dim);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < q; j++) {
        if (viewCounts[i] === 0) {
          expect(Number.isNaN(sims[j][i])).toBe(true);
          continue;
        }
        field.decode(i, out);
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += out[d] * queries[j * dim + d];
        expect(sims[j][i]).toBeCloseTo(dot, 4);
        // And close to the exact cosine of the float32 feature.
        const exact = cosine(features, i * dim, queries.subarray(j * dim), dim);
        expect(Math.abs(sims[j][i] - exact)).toBeLessThan(0.15);
      }
    }
    expect(field.stats.unseen).toBe(Math.ceil(n / 7));
  });

  it('round-trips through bytes exactly', () => {
    const n = 300;
    const dim = 32;
    const features = fusedLike(n, dim, 10, 5);
    features.fill(0, 0, dim); // one unseen point by content
    const field = encodeFeatureField(features, n, dim);
    const bytes = serialiseFeatureField(field);
    expect(bytes.length / n).toBeCloseTo(field.bytesPerPoint, 6);
    const back = deserialiseFeatureField(bytes);
    expect(back.components).toBe(field.components);
    const a = new Float32Array(dim);
    const b = new Float32Array(dim);
    for (let i = 0; i < n; i++) {
      expect(Array.from(back.decode(i, b))).toEqual(Array.from(field.decode(i, a)));
    }
    expect(back.stats.unseen).toBe(1);
  });
});

describe('deserialiseFeatureField fuzz', () => {
  const n = 40;
  const dim = 16;
  const r = mulberry32(9);
  const features = Float32Array.from({ length: n * dim }, () => gauss(r));
  const seed = serialiseFeatureField(encodeFeatureField(features, n, dim));
  it('returns or throws ParseError for ≥ 1,000 mutated inputs', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ pos: fc.nat(), value: fc.integer({ min: 0, max: 255 }), cut: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (mutations) => {
          let bytes = Uint8Array.from(seed);
          for (const m of mutations) {
            const pos = bytes.length ? m.pos % bytes.length : 0;
            if (m.cut) bytes = bytes.slice(0, pos);
            else bytes[pos] = m.value;
          }
          try {
            const f = deserialiseFeatureField(bytes);
            const q = new Float32Array(f.dim);
            q[0] = 1;
            expect(f.similarity(q, 1)[0].length).toBe(f.count);
          } catch (e) {
            if (!(e instanceof ParseError)) throw e;
          }
        },
      ),
      { numRuns: 1200 },
    );
  });
});
