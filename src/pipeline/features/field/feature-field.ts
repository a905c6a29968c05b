/**
 * The compact per-point feature field: what grounding and the viewer score text queries against.
 *
 * The one encoding today is "pca-q8" (pca-q8-field.ts): a per-scene orthonormal basis B (K×D,
 * the top-K eigenvectors of the points' uncentred second moment; or the identity when K = D),
 * per point K int8 coefficients plus one float32 weight w, decoded as the unit vector
 * x̂ = w · Bᵀq. Points whose decoded cosine to their float32 feature is below `fieldMinCosine`
 * are exceptions, stored exactly as float16 unit vectors (field-encoder.ts). Scoring never
 * decompresses (field-scoring.ts, wasm/). The `.field` file layout is in field-format.ts.
 */

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
