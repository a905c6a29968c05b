/**
 * Compact per-point feature field.
 *
 * Encoding ("pca-q8"): a per-scene orthonormal basis B (K×D, the top-K eigenvectors of the
 * points' uncentred second moment; or the identity when K = D) and per point K int8
 * coefficients plus one float32 weight w. The decoded feature is the unit vector
 * x̂ = w · Bᵀq. Points whose decoded cosine to their float32 feature is below
 * `fieldMinCosine` are exceptions, stored exactly as float16 unit vectors. K is chosen per scene
 * as the one with the fewest total bytes (codes + exceptions) measured on a sample; every point
 * is then checked, so the cosine bound holds for EVERY point whatever K is chosen.
 *
 * Scoring never decompresses: per query, p = B·q (K floats) once, then each point's cosine is
 * w_i · Σ_k q_ik p_k (K int8 MACs); exceptions are scored exactly. Unseen points have w = NaN.
 */
import { FEATURE_DEFAULTS } from '../defaults';
import { ParseError, UnsupportedError } from '../errors';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../io/npy';
import { secondMoment, topEigenvectors } from './pca';
import { int8ScoreModule, WasmInt8Scorer } from './wasm/int8-scorer';

/**
 * How `similarity` scores the int8 codes. 'auto': WebAssembly SIMD with the query quantised to
 * int16 where available, else JS. 'wasm-i16' / 'wasm-f32' ask for one kernel (JS if WebAssembly
 * SIMD is unavailable). 'js': the plain loops (float64 accumulation).
 * wasm-i16's only error is the query's rounding: |Δcos| ≤ 0.5·√K·max_k|p_k| / 32767 (≤ 1.3e-4
 * for K ≤ 64, ≤ 3.5e-4 for K = 512; p = the projected unit query), plus float32 rounding.
 */
export type FieldScoringKernel = 'auto' | 'js' | 'wasm-i16' | 'wasm-f32';

export interface FeatureField {
  readonly count: number;
  readonly dim: number;
  /** Total serialised bytes / count (codes, weights, exceptions and basis, amortised). */
  readonly bytesPerPoint: number;
  /** Per query (q×dim, unit rows): per-point cosine; NaN for unseen points. */
  similarity(queries: Float32Array, q: number): Float32Array[];
  /** The decoded unit feature of point i (zeros + NaN-free for unseen points: all NaN). */
  decode(i: number, out: Float32Array): Float32Array;
  /** Optional warm-up so the first query doesn't pay one-time set-up (e.g. a copy to wasm). */
  prepareScoring?(): boolean;
}

export interface FeatureFieldStats {
  /** Coefficients per point (K); equals dim for the identity basis. */
  components: number;
  identityBasis: boolean;
  exceptions: number;
  unseen: number;
  /** Smallest decoded cosine over seen points (exceptions included, as float16). */
  minCosine: number;
  meanCosine: number;
}

export interface EncodeFieldOptions {
  minCosine?: number;
  samplePoints?: number;
  /** Force K (tests, benchmarks); otherwise chosen by measured size. */
  components?: number;
}

const MAGIC = 0x444c4646; // 'FFLD' little-endian
const FORMAT_VERSION = 1;
const HEADER_BYTES = 32;

/** The field with its raw parts; `serialiseFeatureField` writes them. */
export class PcaQ8FeatureField implements FeatureField {
  readonly bytesPerPoint: number;
  /** Point index → exception slot, for exceptions only. */
  private readonly exceptionSlot: Map<number, number>;
  /** See FieldScoringKernel. */
  scoringKernel: FieldScoringKernel = 'auto';
  /** The codes in WebAssembly memory, made on first use; null: refused by the host. */
  private wasmScorer: WasmInt8Scorer | null | undefined;

  constructor(
    readonly count: number,
    readonly dim: number,
    readonly components: number,
    /** K×dim row-major; empty for the identity basis. */
    readonly basis: Float32Array,
    /** count×K. */
    readonly codes: Int8Array,
    /** Per point: decoded = weight · Bᵀcode (unit); NaN = unseen; 0 for exceptions. */
    readonly weights: Float32Array,
    readonly exceptionIndices: Uint32Array,
    /** exceptions×dim float16 bits of the unit feature. */
    readonly exceptionVectors: Uint16Array,
    readonly stats: FeatureFieldStats,
  ) {
    this.bytesPerPoint = count > 0 ? serialisedSize(this) / count : 0;
    this.exceptionSlot = new Map();
    for (let e = 0; e < exceptionIndices.length; e++)
      this.exceptionSlot.set(exceptionIndices[e], e);
  }

  get identityBasis(): boolean {
    return this.basis.length === 0;
  }

  /** p = B·query for each query (identity basis: the query itself). */
  private projectQueries(queries: Float32Array, q: number): Float32Array {
    const K = this.components;
    const D = this.dim;
    if (this.identityBasis) return queries.subarray(0, q * D);
    const out = new Float32Array(q * K);
    for (let j = 0; j < q; j++) {
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += this.basis[k * D + d] * queries[j * D + d];
        out[j * K + k] = s;
      }
    }
    return out;
  }

  similarity(queries: Float32Array, q: number): Float32Array[] {
    if (queries.length < q * this.dim) {
      throw new UnsupportedError(
        `similarity: expected ${q}×${this.dim} query values, got ${queries.length}`,
      );
    }
    const projected = this.projectQueries(queries, q);
    const results =
      this.wasmScoring(projected, q) ??
      scoreCodesJs(this.codes, this.weights, projected, q, this.components, this.count);
    this.scoreExceptions(queries, q, results);
    return results;
  }

  /** Exceptions are scored exactly from their float16 vectors, overwriting the code scores. */
  private scoreExceptions(queries: Float32Array, q: number, results: Float32Array[]): void {
    const n = this.exceptionIndices.length;
    if (n === 0) return;
    const D = this.dim;
    const table = float16Table();
    const sums = new Float64Array(q);
    // Each float16 value is converted once for all queries (a table lookup, exact).
    for (let e = 0; e < n; e++) {
      sums.fill(0);
      const base = e * D;
      for (let d = 0; d < D; d++) {
        const h = table[this.exceptionVectors[base + d]];
        for (let j = 0; j < q; j++) sums[j] += h * queries[j * D + d];
      }
      for (let j = 0; j < q; j++) results[j][this.exceptionIndices[e]] = sums[j];
    }
  }

  /**
   * Copies the codes into WebAssembly memory now rather than on the first query (the copy is
   * most of a first query's extra cost at 1M points). True when the SIMD path is ready.
   */
  prepareScoring(): boolean {
    if (this.wasmScorer === undefined && int8ScoreModule()) {
      this.wasmScorer = WasmInt8Scorer.create(
        this.codes,
        this.weights,
        this.count,
        this.components,
      );
    }
    return !!this.wasmScorer;
  }

  /** Scores by the WebAssembly kernel when chosen and available; null: use the JS path. */
  private wasmScoring(projected: Float32Array, q: number): Float32Array[] | null {
    if (this.scoringKernel === 'js' || q === 0 || this.count === 0) return null;
    // A non-finite query cannot be quantised; the JS path propagates it as the float maths does.
    for (let i = 0; i < q * this.components; i++) if (!Number.isFinite(projected[i])) return null;
    // No module (SIMD unavailable, disabled, or still compiling on a browser main thread): JS
    // for now, ask again next call. A refused memory or instance is final for this field.
    if (!int8ScoreModule()) return null;
    if (this.wasmScorer === undefined) this.prepareScoring();
    if (!this.wasmScorer) return null;
    return this.wasmScorer.score(projected, q, this.scoringKernel === 'wasm-f32' ? 'f32' : 'i16');
  }

  decode(i: number, out: Float32Array): Float32Array {
    if (!(i >= 0 && i < this.count)) throw new UnsupportedError(`decode: point ${i} out of range`);
    const D = this.dim;
    const K = this.components;
    const slot = this.exceptionSlot.get(i);
    if (slot !== undefined) {
      for (let d = 0; d < D; d++)
        out[d] = float16BitsToFloat32(this.exceptionVectors[slot * D + d]);
      return out;
    }
    const w = this.weights[i];
    if (this.identityBasis) {
      for (let d = 0; d < D; d++) out[d] = w * this.codes[i * K + d];
      return out;
    }
    out.fill(0, 0, D);
    for (let k = 0; k < K; k++) {
      const c = this.codes[i * K + k];
      if (c === 0) continue;
      const base = k * D;
      for (let d = 0; d < D; d++) out[d] += c * this.basis[base + d];
    }
    for (let d = 0; d < D; d++) out[d] *= w;
    return out;
  }
}

let float16Values: Float32Array | undefined;

/** Every float16 bit pattern's value (exact in float32), built on first use. */
function float16Table(): Float32Array {
  float16Values ??= Float32Array.from({ length: 65536 }, (_, h) => float16BitsToFloat32(h));
  return float16Values;
}

/** The JS path: per query, w_i · Σ_k codes[i,k]·p[k] (float64 sums). */
function scoreCodesJs(
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

function isSeen(features: Float32Array, i: number, dim: number, viewCounts?: Uint16Array): boolean {
  if (viewCounts && viewCounts[i] === 0) return false;
  let sq = 0;
  for (let d = 0; d < dim; d++) sq += features[i * dim + d] ** 2;
  return sq > 0 && Number.isFinite(sq);
}

/** Candidate component counts, small to large. */
function candidateComponents(dim: number): number[] {
  const c = [4, 8, 12, 16, 24, 32, 48, 64, 96, 124].filter((k) => k < dim);
  return c;
}

/** Quantises coefficients c[0..K) to int8 with a max-abs scale; returns scale. */
function quantise(c: Float64Array, K: number, codes: Int8Array, offset: number): number {
  let maxAbs = 0;
  for (let k = 0; k < K; k++) maxAbs = Math.max(maxAbs, Math.abs(c[k]));
  if (maxAbs === 0) {
    codes.fill(0, offset, offset + K);
    return 0;
  }
  const scale = maxAbs / 127;
  for (let k = 0; k < K; k++) codes[offset + k] = Math.round(c[k] / scale);
  return scale;
}

/**
 * Encodes N×D float32 features. Points with viewCounts 0 (or zero / non-finite features) are
 * unseen: similarity NaN, decode NaN.
 */
export function encodeFeatureField(
  features: Float32Array,
  count: number,
  dim: number,
  viewCounts?: Uint16Array,
  options: EncodeFieldOptions = {},
): PcaQ8FeatureField {
  if (features.length < count * dim) {
    throw new UnsupportedError(
      `encodeFeatureField: ${count}×${dim} needs ${count * dim} values, got ${features.length}`,
    );
  }
  const minCosine = options.minCosine ?? FEATURE_DEFAULTS.fieldMinCosine;
  const sampleTarget = options.samplePoints ?? FEATURE_DEFAULTS.fieldSamplePoints;
  const seen = new Uint8Array(count);
  const seenIdx: number[] = [];
  for (let i = 0; i < count; i++) {
    if (isSeen(features, i, dim, viewCounts)) {
      seen[i] = 1;
      seenIdx.push(i);
    }
  }
  const step = Math.max(1, Math.floor(seenIdx.length / sampleTarget));
  const sample = seenIdx.filter((_, j) => j % step === 0).slice(0, sampleTarget);

  // Basis candidates: the top eigenvectors of the sample, truncated to each K; or identity.
  const cands =
    options.components !== undefined
      ? [Math.min(options.components, dim)]
      : [...candidateComponents(dim), dim];
  const maxK = Math.max(...cands.filter((k) => k < dim), 0);
  let eigBasis: Float32Array = new Float32Array(0);
  if (maxK > 0 && sample.length > 0) {
    const m = secondMoment(features, sample, dim, true);
    eigBasis = topEigenvectors(m, dim, maxK, 20).basis;
  }
  const excCost = 4 + 2 * dim;
  let bestK = cands[0];
  if (cands.length > 1) {
    // Project each sample point once onto the largest basis; smaller K use the prefix.
    const x = new Float64Array(dim);
    const coefAll = new Float64Array(sample.length * Math.max(maxK, 1));
    const coef = new Float64Array(dim);
    for (let s = 0; s < sample.length && maxK > 0; s++) {
      encodeOne(features, sample[s], dim, maxK, eigBasis, x, coef, new Int8Array(maxK), 0);
      coefAll.set(coef.subarray(0, maxK), s * maxK);
    }
    const codes = new Int8Array(dim);
    let bestBytes = Infinity;
    for (const K of cands) {
      let bad = 0;
      for (let s = 0; s < sample.length; s++) {
        const cos =
          K === dim
            ? encodeOne(features, sample[s], dim, K, undefined, x, coef, codes, 0).cosine
            : quantisedCosine(coefAll.subarray(s * maxK, s * maxK + K), K, codes);
        if (!(cos >= minCosine)) bad++;
      }
      const frac = sample.length ? bad / sample.length : 0;
      const bytes = K + 4 + frac * excCost + (K === dim ? 0 : (K * dim * 4) / Math.max(1, count));
      if (bytes < bestBytes) {
        bestBytes = bytes;
        bestK = K;
      }
    }
  }

  const K = bestK;
  const basis = K === dim ? new Float32Array(0) : eigBasis.slice(0, K * dim);
  const codes = new Int8Array(count * K);
  const weights = new Float32Array(count);
  const exceptions: number[] = [];
  const coef = new Float64Array(dim);
  const x = new Float64Array(dim);
  let minCos = Infinity;
  let sumCos = 0;
  for (let i = 0; i < count; i++) {
    if (!seen[i]) {
      weights[i] = NaN;
      continue;
    }
    const r = encodeOne(
      features,
      i,
      dim,
      K,
      basis.length ? basis : undefined,
      x,
      coef,
      codes,
      i * K,
    );
    if (r.cosine >= minCosine) {
      weights[i] = r.weight;
      minCos = Math.min(minCos, r.cosine);
      sumCos += r.cosine;
    } else {
      exceptions.push(i);
      codes.fill(0, i * K, i * K + K);
      weights[i] = 0;
    }
  }
  const exceptionIndices = Uint32Array.from(exceptions);
  const exceptionVectors = new Uint16Array(exceptions.length * dim);
  for (let e = 0; e < exceptions.length; e++) {
    const i = exceptions[e];
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += features[i * dim + d] ** 2;
    const inv = 1 / Math.sqrt(sq);
    let dot = 0;
    let hsq = 0;
    for (let d = 0; d < dim; d++) {
      const h = float32ToFloat16Bits(features[i * dim + d] * inv);
      exceptionVectors[e * dim + d] = h;
      const hv = float16BitsToFloat32(h);
      dot += hv * features[i * dim + d] * inv;
      hsq += hv * hv;
    }
    const cos = dot / Math.sqrt(hsq);
    minCos = Math.min(minCos, cos);
    sumCos += cos;
  }
  const seenCount = seenIdx.length;
  return new PcaQ8FeatureField(
    count,
    dim,
    K,
    basis,
    codes,
    weights,
    exceptionIndices,
    exceptionVectors,
    {
      components: K,
      identityBasis: basis.length === 0,
      exceptions: exceptions.length,
      unseen: count - seenCount,
      minCosine: seenCount ? minCos : NaN,
      meanCosine: seenCount ? sumCos / seenCount : NaN,
    },
  );
}

/** Cosine between a unit vector with basis coefficients `coef` and its int8 quantisation. */
function quantisedCosine(coef: Float64Array, K: number, codes: Int8Array): number {
  const scale = quantise(coef, K, codes, 0);
  if (scale === 0) return 0;
  let dot = 0;
  let nsq = 0;
  for (let k = 0; k < K; k++) {
    dot += coef[k] * codes[k];
    nsq += codes[k] * codes[k];
  }
  return dot / Math.sqrt(nsq);
}

/**
 * Encodes point i with the first K basis rows (or identity) into codes[offset..offset+K);
 * returns the decoded cosine and the weight that makes the decoded vector unit length.
 */
function encodeOne(
  features: Float32Array,
  i: number,
  dim: number,
  K: number,
  basis: Float32Array | undefined,
  x: Float64Array,
  coef: Float64Array,
  codes: Int8Array,
  offset: number,
): { cosine: number; weight: number } {
  let sq = 0;
  for (let d = 0; d < dim; d++) {
    x[d] = features[i * dim + d];
    sq += x[d] * x[d];
  }
  const inv = 1 / Math.sqrt(sq);
  for (let d = 0; d < dim; d++) x[d] *= inv;
  if (basis) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      const base = k * dim;
      for (let d = 0; d < dim; d++) s += basis[base + d] * x[d];
      coef[k] = s;
    }
  } else for (let d = 0; d < dim; d++) coef[d] = x[d];
  const scale = quantise(coef, K, codes, offset);
  if (scale === 0) return { cosine: 0, weight: 0 };
  // Orthonormal basis: x·x̂ = Σ coef_k·q_k·scale and |x̂|² = Σ (q_k·scale)² (basis rows are
  // orthonormal to float32 precision; the test suite checks decoded cosines independently).
  let dot = 0;
  let nsq = 0;
  for (let k = 0; k < K; k++) {
    const q = codes[offset + k];
    dot += coef[k] * q;
    nsq += q * q;
  }
  const norm = Math.sqrt(nsq);
  return { cosine: dot / norm, weight: 1 / norm };
}

function serialisedSize(f: PcaQ8FeatureField): number {
  const align4 = (n: number) => (n + 3) & ~3;
  return (
    HEADER_BYTES +
    f.basis.byteLength +
    f.weights.byteLength +
    align4(f.codes.byteLength) +
    f.exceptionIndices.byteLength +
    align4(f.exceptionVectors.byteLength)
  );
}

/** Layout: 32-byte header, basis f32, weights f32, codes i8 (padded to 4), exception u32, f16. */
export function serialiseFeatureField(f: PcaQ8FeatureField): Uint8Array {
  const out = new Uint8Array(serialisedSize(f));
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, f.count, true);
  view.setUint32(12, f.dim, true);
  view.setUint32(16, f.components, true);
  view.setUint32(20, f.identityBasis ? 1 : 0, true);
  view.setUint32(24, f.exceptionIndices.length, true);
  view.setFloat32(28, f.stats.minCosine, true);
  let o = HEADER_BYTES;
  const put = (a: ArrayBufferView) => {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
    o += (a.byteLength + 3) & ~3;
  };
  put(f.basis);
  put(f.weights);
  put(f.codes);
  put(f.exceptionIndices);
  put(f.exceptionVectors);
  return out;
}

/** Parses bytes from `serialiseFeatureField`. Throws ParseError naming `file` and the offset. */
export function deserialiseFeatureField(
  bytes: Uint8Array,
  file = 'features.field',
): PcaQ8FeatureField {
  const fail = (byteOffset: number, reason: string): never => {
    throw new ParseError({ file, byteOffset }, reason);
  };
  if (bytes.length < HEADER_BYTES) fail(bytes.length, 'file too short for a feature-field header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail(0, 'not a feature-field file (bad magic)');
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) fail(4, `unsupported feature-field version ${version}`);
  const count = view.getUint32(8, true);
  const dim = view.getUint32(12, true);
  const K = view.getUint32(16, true);
  const identity = view.getUint32(20, true);
  const nExc = view.getUint32(24, true);
  const minCosine = view.getFloat32(28, true);
  if (dim === 0 || dim > 65536) fail(12, `absurd dimension ${dim}`);
  if (K === 0 || K > dim) fail(16, `component count ${K} not in 1..${dim}`);
  if (identity > 1 || (identity === 1 && K !== dim)) fail(20, 'bad identity-basis flag');
  if (nExc > count) fail(24, `exception count ${nExc} exceeds point count ${count}`);
  const align4 = (n: number) => (n + 3) & ~3;
  const basisBytes = identity ? 0 : K * dim * 4;
  const expected =
    HEADER_BYTES + basisBytes + count * 4 + align4(count * K) + nExc * 4 + align4(nExc * dim * 2);
  if (bytes.length !== expected)
    fail(Math.min(bytes.length, expected), `expected ${expected} bytes, file has ${bytes.length}`);
  let o = HEADER_BYTES;
  const take = (n: number) => {
    const slice = bytes.slice(o, o + n).buffer;
    o += align4(n);
    return slice;
  };
  const basis = new Float32Array(take(basisBytes));
  const weights = new Float32Array(take(count * 4));
  const codes = new Int8Array(take(count * K));
  const excStart = o;
  const exceptionIndices = new Uint32Array(take(nExc * 4));
  const exceptionVectors = new Uint16Array(take(nExc * dim * 2));
  for (let e = 0; e < nExc; e++) {
    if (exceptionIndices[e] >= count)
      fail(excStart + e * 4, `exception index ${exceptionIndices[e]} out of range`);
  }
  let unseen = 0;
  for (let i = 0; i < count; i++) if (Number.isNaN(weights[i])) unseen++;
  return new PcaQ8FeatureField(
    count,
    dim,
    K,
    basis,
    codes,
    weights,
    exceptionIndices,
    exceptionVectors,
    {
      components: K,
      identityBasis: identity === 1,
      exceptions: nExc,
      unseen,
      minCosine,
      meanCosine: NaN,
    },
  );
}
