/**
 * Automatic score threshold. The rule, relative to the score distribution of the points that
 * some view saw (NaN = unseen is ignored):
 *   threshold = median + fraction · (high − median),  high = the `highQuantile` quantile,
 * i.e. a fixed fraction of the way from a typical point to the best points. It needs no absolute
 * scale, so it works for LERF relevancy (0..1) and raw cosine alike, and the robust maximum keeps
 * a handful of extreme points from moving it.
 *
 * LERF relevancy is a sigmoid of a similarity margin and saturates near 1, where "half-way" means
 * little; for it the rule is applied on the margin (logit) scale. Quantiles commute with monotone
 * maps, so this is logit⁻¹ of the same rule on logit(quantiles).
 */

export interface ThresholdOptions {
  fraction: number;
  highQuantile: number;
  /** Scores are probabilities from a sigmoid (LERF relevancy): apply the rule to their logits. */
  logistic?: boolean;
}

const HISTOGRAM_BINS = 65_536;

/** Quantiles of the finite values (linear time: a fine histogram, not a sort). */
export function finiteQuantiles(values: Float32Array, quantiles: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  let finite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v && v !== Infinity && v !== -Infinity) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      finite++;
    }
  }
  if (finite === 0) return quantiles.map(() => NaN);
  if (hi === lo) return quantiles.map(() => lo);
  const counts = new Uint32Array(HISTOGRAM_BINS);
  const scale = HISTOGRAM_BINS / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v && v !== Infinity && v !== -Infinity) {
      const b = Math.floor((v - lo) * scale);
      counts[b >= HISTOGRAM_BINS ? HISTOGRAM_BINS - 1 : b]++;
    }
  }
  return quantiles.map((q) => {
    const rank = Math.min(finite - 1, Math.max(0, Math.floor(q * (finite - 1))));
    let seen = 0;
    for (let b = 0; b < HISTOGRAM_BINS; b++) {
      seen += counts[b];
      if (seen > rank) return b === HISTOGRAM_BINS - 1 ? hi : lo + (b + 0.5) / scale;
    }
    return hi;
  });
}

export function autoThreshold(scores: Float32Array, options: ThresholdOptions): number {
  const [median, high] = finiteQuantiles(scores, [0.5, options.highQuantile]);
  if (!options.logistic) return median + options.fraction * (high - median);
  const lo = logit(median);
  return 1 / (1 + Math.exp(-(lo + options.fraction * (logit(high) - lo))));
}

/** Float32 sigmoid outputs are within 6e-8 of 0 or 1 at most; clamp to keep logits finite. */
const LOGIT_EPSILON = 1e-7;

/** Log-odds of a sigmoid output, clamped to stay finite. */
export function logit(p: number): number {
  const c = Math.min(1 - LOGIT_EPSILON, Math.max(LOGIT_EPSILON, p));
  return Math.log(c / (1 - c));
}

/** Indices of points with a finite score ≥ threshold. */
export function selectAboveThreshold(scores: Float32Array, threshold: number): Uint32Array {
  let count = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold) count++;
  const out = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold) out[k++] = i;
  return out;
}
