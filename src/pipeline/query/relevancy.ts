/**
 * Per-point scores for a text query. LERF's relevancy against canonical negatives:
 *   p_i = exp(T·φ·q) / (exp(T·φ·q) + exp(T·φ·n_i)),  score = min_i p_i.
 * p_i = sigmoid(T·(φ·q − φ·n_i)) is decreasing in φ·n_i, so min_i p_i = sigmoid(T·(φ·q − max_i φ·n_i)):
 * one sigmoid per point (its argument clamped, so it cannot overflow), and max_i φ·n_i does not depend on the query, so it is computed
 * once per (field, model, negatives) and cached.
 */
import type { SimilarityField } from './types';

/** Element-wise maximum over arrays (NaN wherever any input is NaN: unseen stays unseen). */
export function elementwiseMax(arrays: readonly Float32Array[]): Float32Array {
  if (arrays.length === 0) throw new RangeError('elementwiseMax needs at least one array');
  const out = Float32Array.from(arrays[0]);
  for (let k = 1; k < arrays.length; k++) {
    const a = arrays[k];
    for (let i = 0; i < out.length; i++) {
      const v = a[i];
      if (v > out[i] || v !== v) out[i] = v;
    }
  }
  return out;
}

/** Beyond ±110 the logistic rounds to 0 or 1 in float32 (and e^110 is still finite in float64). */
const SIGMOID_CLAMP = 110;

/** LERF relevancy from the query's cosine and the max cosine over the negatives, per point. */
export function lerfRelevancy(
  querySimilarity: Float32Array,
  maxNegativeSimilarity: Float32Array,
  temperature: number,
  out = new Float32Array(querySimilarity.length),
): Float32Array {
  for (let i = 0; i < querySimilarity.length; i++) {
    let x = temperature * (querySimilarity[i] - maxNegativeSimilarity[i]);
    // Clamped, 1/(1 + e^−x) can neither overflow nor lose anything at float32 precision;
    // NaN (unseen) passes through the comparisons unchanged.
    if (x > SIGMOID_CLAMP) x = SIGMOID_CLAMP;
    else if (x < -SIGMOID_CLAMP) x = -SIGMOID_CLAMP;
    out[i] = 1 / (1 + Math.exp(-x));
  }
  return out;
}

export interface ScoreOptions {
  mode: 'lerf' | 'cosine';
  temperature: number;
}

/**
 * Cache of max-over-negatives similarity per field. Keyed by the field object (weakly, so a
 * dropped field frees it) and a string naming the model and the negative phrases.
 */
export class NegativeSimilarityCache {
  private readonly byField = new WeakMap<SimilarityField, Map<string, Float32Array>>();

  get(field: SimilarityField, key: string): Float32Array | undefined {
    return this.byField.get(field)?.get(key);
  }

  set(field: SimilarityField, key: string, value: Float32Array): void {
    let map = this.byField.get(field);
    if (!map) this.byField.set(field, (map = new Map()));
    map.set(key, value);
  }
}

export interface NegativeSet {
  /** Identifies the model and phrases, e.g. 'offline-colors\u0000object\u0000things'. */
  key: string;
  /** n×D unit embeddings. */
  embeddings: Float32Array;
  count: number;
}

/**
 * Scores every point for one unit query embedding. In 'lerf' mode the negatives' similarity is
 * computed with the query in a single pass over the field the first time, then reused.
 */
export function scorePoints(
  field: SimilarityField,
  queryEmbedding: Float32Array,
  negatives: NegativeSet | null,
  options: ScoreOptions,
  cache?: NegativeSimilarityCache,
): Float32Array {
  const dim = field.dim;
  if (queryEmbedding.length !== dim) {
    throw new RangeError(
      `query embedding has ${queryEmbedding.length} values, the field has D = ${dim}`,
    );
  }
  if (options.mode === 'cosine' || !negatives || negatives.count === 0) {
    return field.similarity(queryEmbedding, 1)[0];
  }
  let maxNegative = cache?.get(field, negatives.key);
  let querySimilarity: Float32Array;
  if (maxNegative) {
    querySimilarity = field.similarity(queryEmbedding, 1)[0];
  } else {
    const all = new Float32Array((1 + negatives.count) * dim);
    all.set(queryEmbedding, 0);
    all.set(negatives.embeddings.subarray(0, negatives.count * dim), dim);
    const sims = field.similarity(all, 1 + negatives.count);
    querySimilarity = sims[0];
    maxNegative = elementwiseMax(sims.slice(1));
    cache?.set(field, negatives.key, maxNegative);
  }
  return lerfRelevancy(querySimilarity, maxNegative, options.temperature);
}
