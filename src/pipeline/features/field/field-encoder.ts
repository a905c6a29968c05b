/**
 * Encodes N×D float32 features as a pca-q8 field (feature-field.ts). K is chosen per scene as
 * the one with the fewest total bytes (codes + exceptions) measured on a sample; every point is
 * then checked, so the cosine bound holds for EVERY point whatever K is chosen.
 */
import { FEATURE_DEFAULTS } from '../../defaults';
import { UnsupportedError } from '../../errors';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../io/npy';
import { secondMoment, topEigenvectors } from '../pca';
import { PcaQ8FeatureField } from './pca-q8-field';

export interface EncodeFieldOptions {
  minCosine?: number;
  samplePoints?: number;
  /** Force K (tests, benchmarks); otherwise chosen by measured size. */
  components?: number;
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
  const { seen, seenIdx } = seenPoints(features, count, dim, viewCounts);
  const step = Math.max(1, Math.floor(seenIdx.length / sampleTarget));
  const sample = seenIdx.filter((_, j) => j % step === 0).slice(0, sampleTarget);
  const { K, basis } = chooseBasis(features, count, dim, sample, minCosine, options.components);
  const codes = new Int8Array(count * K);
  const weights = new Float32Array(count);
  const tally: CosineTally = { min: Infinity, sum: 0 };
  const exceptions = encodePoints(
    features,
    count,
    dim,
    K,
    basis,
    seen,
    minCosine,
    codes,
    weights,
    tally,
  );
  const exceptionVectors = encodeExceptions(features, dim, exceptions, tally);
  const seenCount = seenIdx.length;
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
      identityBasis: basis.length === 0,
      exceptions: exceptions.length,
      unseen: count - seenCount,
      minCosine: seenCount ? tally.min : NaN,
      meanCosine: seenCount ? tally.sum / seenCount : NaN,
    },
  );
}

/** Seen: a view saw it (when counts are given) and its feature is non-zero and finite. */
function seenPoints(
  features: Float32Array,
  count: number,
  dim: number,
  viewCounts?: Uint16Array,
): { seen: Uint8Array; seenIdx: number[] } {
  const seen = new Uint8Array(count);
  const seenIdx: number[] = [];
  for (let i = 0; i < count; i++) {
    if (isSeen(features, i, dim, viewCounts)) {
      seen[i] = 1;
      seenIdx.push(i);
    }
  }
  return { seen, seenIdx };
}

function isSeen(features: Float32Array, i: number, dim: number, viewCounts?: Uint16Array): boolean {
  if (viewCounts && viewCounts[i] === 0) return false;
  let sq = 0;
  for (let d = 0; d < dim; d++) sq += features[i * dim + d] ** 2;
  return sq > 0 && Number.isFinite(sq);
}

/** Candidate component counts, small to large. */
function candidateComponents(dim: number): number[] {
  return [4, 8, 12, 16, 24, 32, 48, 64, 96, 124].filter((k) => k < dim);
}

/**
 * K and its basis (K×dim; empty for the identity): the forced K, or the candidate with the
 * fewest estimated bytes per point on the sample (codes + weight + exception share + basis).
 */
function chooseBasis(
  features: Float32Array,
  count: number,
  dim: number,
  sample: number[],
  minCosine: number,
  forcedK: number | undefined,
): { K: number; basis: Float32Array } {
  // Basis candidates: the top eigenvectors of the sample, truncated to each K; or identity.
  const cands =
    forcedK !== undefined ? [Math.min(forcedK, dim)] : [...candidateComponents(dim), dim];
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
  return { K, basis: K === dim ? new Float32Array(0) : eigBasis.slice(0, K * dim) };
}

/** Decoded cosines over the seen points, summed in point order (codes first, then exceptions). */
interface CosineTally {
  min: number;
  sum: number;
}

/**
 * Codes and weights of every seen point (unseen: weight NaN); returns the points below
 * `minCosine`, which become exceptions (zero codes, weight 0).
 */
function encodePoints(
  features: Float32Array,
  count: number,
  dim: number,
  K: number,
  basis: Float32Array,
  seen: Uint8Array,
  minCosine: number,
  codes: Int8Array,
  weights: Float32Array,
  tally: CosineTally,
): number[] {
  const exceptions: number[] = [];
  const coef = new Float64Array(dim);
  const x = new Float64Array(dim);
  let minCos = tally.min;
  let sumCos = tally.sum;
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
  tally.min = minCos;
  tally.sum = sumCos;
  return exceptions;
}

/** The exceptions as float16 unit vectors; their decoded cosines go into `tally`. */
function encodeExceptions(
  features: Float32Array,
  dim: number,
  exceptions: number[],
  tally: CosineTally,
): Uint16Array {
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
    tally.min = Math.min(tally.min, cos);
    tally.sum += cos;
  }
  return exceptionVectors;
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
