/**
 * The JavaScript scoring kernels of the pca-q8 field (the WebAssembly SIMD ones are in ../wasm/).
 * Per query, p = B·q (K floats) once, then each point's cosine is w_i · Σ_k q_ik p_k (K int8
 * MACs); exceptions are scored exactly from their float16 vectors.
 */
import { float16BitsToFloat32 } from '../../io/npy';

/** p = B·query for each query (identity basis, `basis` empty: the queries themselves). */
export function projectQueries(
  basis: Float32Array,
  K: number,
  D: number,
  queries: Float32Array,
  q: number,
): Float32Array {
  if (basis.length === 0) return queries.subarray(0, q * D);
  const out = new Float32Array(q * K);
  for (let j = 0; j < q; j++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += basis[k * D + d] * queries[j * D + d];
      out[j * K + k] = s;
    }
  }
  return out;
}

/** The JS path: per query, w_i · Σ_k codes[i,k]·p[k] (float64 sums). */
export function scoreCodesJs(
  codes: Int8Array,
  weights: Float32Array,
  projected: Float32Array,
  q: number,
  K: number,
  N: number,
): Float32Array[] {
  const results: Float32Array[] = [];
  for (let j = 0; j < q; j++) results.push(new Float32Array(N));
  // Two queries per pass share the code loads (the pass is memory and load bound).
  for (let j = 0; j < q; j += 2) {
    const pa = projected.subarray(j * K, (j + 1) * K);
    if (j + 1 < q) {
      const pb = projected.subarray((j + 1) * K, (j + 2) * K);
      scoreCodesPair(codes, weights, pa, pb, K, N, results[j], results[j + 1]);
    } else scoreCodes(codes, weights, pa, K, N, results[j]);
  }
  return results;
}

/** scoreCodes for two queries at once. */
function scoreCodesPair(
  codes: Int8Array,
  weights: Float32Array,
  pa: Float32Array,
  pb: Float32Array,
  K: number,
  N: number,
  outA: Float32Array,
  outB: Float32Array,
): void {
  const K2 = K & ~1;
  for (let i = 0, base = 0; i < N; i++, base += K) {
    let a0 = 0;
    let a1 = 0;
    let b0 = 0;
    let b1 = 0;
    let k = 0;
    for (; k < K2; k += 2) {
      const c0 = codes[base + k];
      const c1 = codes[base + k + 1];
      a0 += c0 * pa[k];
      a1 += c1 * pa[k + 1];
      b0 += c0 * pb[k];
      b1 += c1 * pb[k + 1];
    }
    if (k < K) {
      const c = codes[base + k];
      a0 += c * pa[k];
      b0 += c * pb[k];
    }
    const w = weights[i];
    outA[i] = w * (a0 + a1);
    outB[i] = w * (b0 + b1);
  }
}

/** The hot loop: out[i] = w[i] · Σ_k codes[i,k]·p[k]. Unrolled by 4. */
function scoreCodes(
  codes: Int8Array,
  weights: Float32Array,
  p: Float32Array,
  K: number,
  N: number,
  out: Float32Array,
): void {
  const K4 = K & ~3;
  for (let i = 0, base = 0; i < N; i++, base += K) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k < K4; k += 4) {
      s0 += codes[base + k] * p[k];
      s1 += codes[base + k + 1] * p[k + 1];
      s2 += codes[base + k + 2] * p[k + 2];
      s3 += codes[base + k + 3] * p[k + 3];
    }
    for (; k < K; k++) s0 += codes[base + k] * p[k];
    out[i] = weights[i] * (s0 + s1 + s2 + s3);
  }
}

/** Scores the exceptions exactly from their float16 vectors, overwriting their code scores. */
export function scoreExceptions(
  exceptionIndices: Uint32Array,
  exceptionVectors: Uint16Array,
  D: number,
  queries: Float32Array,
  q: number,
  results: Float32Array[],
): void {
  const n = exceptionIndices.length;
  if (n === 0) return;
  const table = float16Table();
  const sums = new Float64Array(q);
  // Each float16 value is converted once for all queries (a table lookup, exact).
  for (let e = 0; e < n; e++) {
    sums.fill(0);
    const base = e * D;
    for (let d = 0; d < D; d++) {
      const h = table[exceptionVectors[base + d]];
      for (let j = 0; j < q; j++) sums[j] += h * queries[j * D + d];
    }
    for (let j = 0; j < q; j++) results[j][exceptionIndices[e]] = sums[j];
  }
}

let float16Values: Float32Array | undefined;

/** Every float16 bit pattern's value (exact in float32), built on first use. */
function float16Table(): Float32Array {
  float16Values ??= Float32Array.from({ length: 65536 }, (_, h) => float16BitsToFloat32(h));
  return float16Values;
}
