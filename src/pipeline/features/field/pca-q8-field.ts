/**
 * The pca-q8 field with its raw parts (see feature-field.ts for the encoding): scoring without
 * decompression and single-point decoding. `encodeFeatureField` makes one, `serialiseFeatureField`
 * writes its parts, `deserialiseFeatureField` reads them back.
 */
import { UnsupportedError } from '../../errors';
import { float16BitsToFloat32 } from '../../io/npy';
import { int8ScoreModule, WasmInt8Scorer } from '../wasm/int8-scorer';
import type { FeatureField, FeatureFieldStats, FieldScoringKernel } from './feature-field';
import { fieldFileBytes } from './field-layout';
import { projectQueries, scoreCodesJs, scoreExceptions } from './field-scoring';

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
    this.bytesPerPoint = count > 0 ? serialisedFieldSize(this) / count : 0;
    this.exceptionSlot = new Map();
    for (let e = 0; e < exceptionIndices.length; e++)
      this.exceptionSlot.set(exceptionIndices[e], e);
  }

  get identityBasis(): boolean {
    return this.basis.length === 0;
  }

  similarity(queries: Float32Array, q: number): Float32Array[] {
    if (queries.length < q * this.dim) {
      throw new UnsupportedError(
        `similarity: expected ${q}×${this.dim} query values, got ${queries.length}`,
      );
    }
    const projected = projectQueries(this.basis, this.components, this.dim, queries, q);
    const results =
      this.wasmScoring(projected, q) ??
      scoreCodesJs(this.codes, this.weights, projected, q, this.components, this.count);
    scoreExceptions(this.exceptionIndices, this.exceptionVectors, this.dim, queries, q, results);
    return results;
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

/** The field's `.field` file size, from its parts as they are. */
export function serialisedFieldSize(f: PcaQ8FeatureField): number {
  return fieldFileBytes({
    basis: f.basis.byteLength,
    weights: f.weights.byteLength,
    codes: f.codes.byteLength,
    exceptionIndices: f.exceptionIndices.byteLength,
    exceptionVectors: f.exceptionVectors.byteLength,
  });
}
