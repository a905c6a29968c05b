import { afterEach, describe, expect, it } from 'vitest';
import type { FieldScoringKernel } from '../../../src/pipeline/features/field/feature-field';
import { PcaQ8FeatureField } from '../../../src/pipeline/features/field/pca-q8-field';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../../src/pipeline/io/npy';
import { int8ScoreModuleBytes } from '../../../src/pipeline/features/wasm/int8-score-module';
import {
  int8ScoreModule,
  quantiseQueryInt16,
  setWasmScoringDisabled,
} from '../../../src/pipeline/features/wasm/int8-scorer';
import { signedLeb128, unsignedLeb128 } from '../../../src/pipeline/features/wasm/wasm-encoder';
import { mulberry32 } from '../../../src/pipeline/random';

const gauss = (r: () => number) =>
  Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

function unitRows(rows: number, dim: number, r: () => number): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let j = 0; j < rows; j++) {
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += (out[j * dim + d] = gauss(r)) ** 2;
    for (let d = 0; d < dim; d++) out[j * dim + d] /= Math.sqrt(sq);
  }
  return out;
}

/** Orthonormal K×dim rows (Gram–Schmidt on Gaussian rows). */
function orthonormalBasis(K: number, dim: number, r: () => number): Float32Array {
  const rows: Float64Array[] = [];
  while (rows.length < K) {
    const v = Float64Array.from({ length: dim }, () => gauss(r));
    for (const u of rows) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += v[d] * u[d];
      for (let d = 0; d < dim; d++) v[d] -= dot * u[d];
    }
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += v[d] * v[d];
    for (let d = 0; d < dim; d++) v[d] /= Math.sqrt(sq);
    rows.push(v);
  }
  const out = new Float32Array(K * dim);
  rows.forEach((row, k) => out.set(row, k * dim));
  return out;
}

/**
 * A random pca-q8 field as the encoder lays it out: unit decoded vectors (weight = 1/|code|),
 * every 5th point unseen (NaN weight), every 7th an exception (zero codes, weight 0, float16
 * vector). `identity`: no basis, K = dim.
 */
function randomField(count: number, dim: number, K: number, identity: boolean, seed: number) {
  const r = mulberry32(seed);
  const basis = identity ? new Float32Array(0) : orthonormalBasis(K, dim, r);
  const codes = new Int8Array(count * K);
  const weights = new Float32Array(count);
  const exceptions: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 5 === 4) {
      weights[i] = NaN;
      continue;
    }
    if (i % 7 === 6) {
      exceptions.push(i);
      continue;
    }
    let sq = 0;
    let maxAbs = 0;
    const c = Array.from({ length: K }, () => gauss(r));
    for (const v of c) maxAbs = Math.max(maxAbs, Math.abs(v));
    for (let k = 0; k < K; k++) {
      const q = Math.round((c[k] / maxAbs) * 127);
      codes[i * K + k] = q;
      sq += q * q;
    }
    weights[i] = 1 / Math.sqrt(sq);
  }
  const vectors = unitRows(exceptions.length, dim, r);
  const exceptionVectors = Uint16Array.from(vectors, (v) => float32ToFloat16Bits(v));
  return new PcaQ8FeatureField(
    count,
    dim,
    K,
    basis,
    codes,
    weights,
    Uint32Array.from(exceptions),
    exceptionVectors,
    {
      components: K,
      identityBasis: identity,
      exceptions: exceptions.length,
      unseen: Math.floor((count + 1) / 5),
      minCosine: NaN,
      meanCosine: NaN,
    },
  );
}

function similarityWith(
  field: PcaQ8FeatureField,
  kernel: FieldScoringKernel,
  queries: Float32Array,
  q: number,
): Float32Array[] {
  field.scoringKernel = kernel;
  return field.similarity(queries, q);
}

/** p = B·query in float64 (identity: the query). */
function project(field: PcaQ8FeatureField, query: Float32Array): Float64Array {
  const { dim, components: K } = field;
  if (field.identityBasis) return Float64Array.from(query.subarray(0, dim));
  const p = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    for (let d = 0; d < dim; d++) p[k] += field.basis[k * dim + d] * query[d];
  }
  return p;
}

/**
 * The stated bound of the int16 kernel for point i: the query's rounding error is at most half
 * a quantisation step per component, step = max|p| / 32767 (K·128·32767 fits int32 for padded
 * K ≤ 512), so |Δ| ≤ 0.5 · step · w_i·Σ|code| (≤ 0.5·step·√K as w·|code| = 1), plus float32
 * rounding of a value ≤ 1 in magnitude.
 */
function int16Bound(field: PcaQ8FeatureField, i: number, p: Float64Array): number {
  let maxAbs = 0;
  for (const v of p) maxAbs = Math.max(maxAbs, Math.abs(v));
  let l1 = 0;
  for (let k = 0; k < field.components; k++) l1 += Math.abs(field.codes[i * field.components + k]);
  return 0.5 * (maxAbs / 32767) * field.weights[i] * l1 + 1e-6;
}

const cases: [count: number, dim: number, K: number, identity: boolean][] = [
  [0, 48, 12, false],
  [1, 48, 12, false],
  [17, 48, 12, false],
  [17, 40, 13, false],
  [17, 40, 40, true],
  [10_000, 96, 64, false],
  [10_000, 96, 17, false],
  [1_003, 512, 124, false],
  [1_003, 512, 512, true],
  [333, 24, 24, true],
  [64, 16, 1, false],
];

describe('WebAssembly SIMD scoring of the pca-q8 field', () => {
  afterEach(() => setWasmScoringDisabled(false));

  it('encodes LEB128 as the specification examples', () => {
    expect(unsignedLeb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(unsignedLeb128(0)).toEqual([0]);
    expect(unsignedLeb128(127)).toEqual([0x7f]);
    expect(unsignedLeb128(128)).toEqual([0x80, 0x01]);
    expect(signedLeb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb128(-1)).toEqual([0x7f]);
    expect(signedLeb128(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb128(-64)).toEqual([0x40]);
  });

  it('builds a module that validates and compiles here (Node 20 has WebAssembly SIMD)', () => {
    expect(WebAssembly.validate(int8ScoreModuleBytes())).toBe(true);
    expect(int8ScoreModule()).not.toBeNull();
  });

  it.each(cases)(
    'N=%i D=%i K=%i identity=%s: wasm equals JS within the stated bound; unseen stay NaN',
    (count, dim, K, identity) => {
      const field = randomField(count, dim, K, identity, count * 31 + K);
      const r = mulberry32(K + 5);
      for (const q of [1, 2, 5, 7]) {
        const queries = unitRows(q, dim, r);
        const js = similarityWith(field, 'js', queries, q);
        const i16 = similarityWith(field, 'wasm-i16', queries, q);
        const f32 = similarityWith(field, 'wasm-f32', queries, q);
        const auto = similarityWith(field, 'auto', queries, q);
        for (const out of [i16, f32, auto]) {
          expect(out).toHaveLength(q);
          for (const row of out) expect(row).toHaveLength(count);
        }
        const excepted = new Set(field.exceptionIndices);
        let worstI16 = 0;
        let worstF32 = 0;
        // Violations collected, then asserted once (an expect per value is slow at 10k points).
        const problems: string[] = [];
        const fail = (what: string, i: number, j: number) => {
          if (problems.length < 5) problems.push(`${what} at point ${i}, query ${j}`);
        };
        for (let j = 0; j < q; j++) {
          const p = project(field, queries.subarray(j * dim, (j + 1) * dim));
          for (let i = 0; i < count; i++) {
            if (Number.isNaN(field.weights[i])) {
              if (!Number.isNaN(js[j][i]) || !Number.isNaN(i16[j][i]) || !Number.isNaN(f32[j][i]))
                fail('unseen point not NaN', i, j);
              continue;
            }
            if (!Number.isFinite(i16[j][i]) || !Number.isFinite(f32[j][i]))
              fail('not finite', i, j);
            if (excepted.has(i)) {
              // Exceptions are scored exactly from their float16 vectors, whatever the kernel.
              const e = field.exceptionIndices.indexOf(i);
              let dot = 0;
              for (let d = 0; d < dim; d++) {
                dot +=
                  float16BitsToFloat32(field.exceptionVectors[e * dim + d]) * queries[j * dim + d];
              }
              const exact = Math.fround(dot);
              if (js[j][i] !== exact || i16[j][i] !== exact || f32[j][i] !== exact)
                fail('exception not scored exactly', i, j);
              continue;
            }
            const dI16 = Math.abs(i16[j][i] - js[j][i]);
            if (!(dI16 <= int16Bound(field, i, p))) fail(`|Δ| ${dI16} over the bound`, i, j);
            worstI16 = Math.max(worstI16, dI16);
            worstF32 = Math.max(worstF32, Math.abs(f32[j][i] - js[j][i]));
            if (auto[j][i] !== i16[j][i]) fail('auto is not the int16 kernel', i, j);
          }
        }
        expect(problems).toEqual([]);
        // Summary bounds: ≤ 0.5·√K/32767 (unit queries, |p_k| ≤ 1) and float32 accumulation.
        expect(worstI16).toBeLessThanOrEqual((0.5 * Math.sqrt(K)) / 32767 + 1e-6);
        // The codes are in WebAssembly memory, so the kernels above ran there: a silent
        // fallback to the JS path would give the JS scores and pass every bound above.
        expect(field.prepareScoring()).toBe(count > 0);
        expect(worstF32).toBeLessThanOrEqual(2e-6);
      }
    },
  );

  it('stays exact at the int32 limit: K = 1024 identity, codes −128, query at the extreme', () => {
    const K = 1024;
    const field = randomField(9, K, K, true, 3);
    for (let i = 0; i < 9; i++) {
      if (Number.isNaN(field.weights[i]) || field.exceptionIndices.includes(i)) continue;
      field.codes.fill(-128, i * K, (i + 1) * K);
      field.weights[i] = 1 / (128 * Math.sqrt(K));
    }
    const query = new Float32Array(K).fill(-1 / Math.sqrt(K));
    // New fields: the codes are copied into WebAssembly memory on first use.
    const copy = () =>
      new PcaQ8FeatureField(
        9,
        K,
        K,
        field.basis,
        field.codes,
        field.weights,
        field.exceptionIndices,
        field.exceptionVectors,
        field.stats,
      );
    const js = similarityWith(copy(), 'js', query, 1)[0];
    const i16 = similarityWith(copy(), 'wasm-i16', query, 1)[0];
    for (const i of [0, 1, 2, 3, 7]) {
      expect(js[i]).toBeCloseTo(1, 6);
      expect(Math.abs(i16[i] - 1)).toBeLessThan(1e-4);
    }
    // The scale shrinks so K·128·q_max fits int32.
    const q16 = new Int16Array(K);
    const inverse = quantiseQueryInt16(Float32Array.from(query), K, q16);
    expect(K * 128 * Math.abs(q16[0])).toBeLessThanOrEqual(2147483647);
    expect(q16[0] * inverse).toBeCloseTo(query[0], 6);
  });

  it('falls back to the JS path, bit for bit, when WebAssembly scoring is unavailable', () => {
    const field = randomField(501, 64, 20, false, 9);
    const queries = unitRows(5, 64, mulberry32(2));
    const js = similarityWith(field, 'js', queries, 5);
    setWasmScoringDisabled(true);
    expect(int8ScoreModule()).toBeNull();
    const fresh = randomField(501, 64, 20, false, 9);
    for (const kernel of ['auto', 'wasm-i16', 'wasm-f32'] as const) {
      const out = similarityWith(fresh, kernel, queries, 5);
      for (let j = 0; j < 5; j++) expect(out[j]).toEqual(js[j]);
    }
    expect(fresh.prepareScoring()).toBe(false);
    // Back on: the same field now takes the int16 kernel, whose rounding differs from JS.
    setWasmScoringDisabled(false);
    expect(fresh.prepareScoring()).toBe(true);
    const wasm = similarityWith(fresh, 'auto', queries, 5);
    let differs = false;
    for (let j = 0; j < 5; j++) {
      for (let i = 0; i < 501; i++)
        if (wasm[j][i] !== js[j][i] && js[j][i] === js[j][i]) differs = true;
    }
    expect(differs).toBe(true);
  });

  it('scores a non-finite query on the JS path (NaN everywhere seen), like the float maths', () => {
    const field = randomField(40, 32, 8, false, 4);
    const query = unitRows(1, 32, mulberry32(1));
    query[3] = NaN;
    const out = similarityWith(field, 'auto', query, 1)[0];
    for (let i = 0; i < 40; i++) {
      if (!field.exceptionIndices.includes(i)) expect(Number.isNaN(out[i])).toBe(true);
    }
  });
});
