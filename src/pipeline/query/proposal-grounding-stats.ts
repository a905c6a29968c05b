/** Robust summaries of score samples for proposal grounding (plain arrays, no allocation per call). */

/**
 * Mean of `values[0 .. n)` after cutting `trim` of the count from each end (sorts that prefix in
 * place). trim 0.25 is the interquartile mean: a few bleeding or junk points do not move it.
 */
export function trimmedMean(values: Float64Array, n: number, trim: number): number {
  if (n <= 0) return Number.NaN;
  const part = values.subarray(0, n);
  part.sort();
  const cut = Math.min(Math.floor(n * Math.max(0, Math.min(0.49, trim))), Math.floor((n - 1) / 2));
  let sum = 0;
  for (let i = cut; i < n - cut; i++) sum += part[i];
  return sum / (n - 2 * cut);
}

export interface SeenStats {
  /** Points with a finite score. */
  seen: number;
  mean: number;
  /** Standard deviation of the finite scores (0 when fewer than two). */
  std: number;
  median: number;
}

/** Mean, spread and median of the finite scores (NaN = unseen). */
export function seenStats(scores: Float32Array): SeenStats {
  let seen = 0;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isFinite(s)) {
      seen++;
      sum += s;
    }
  }
  if (seen === 0) return { seen, mean: Number.NaN, std: 0, median: Number.NaN };
  const mean = sum / seen;
  const finite = new Float64Array(seen);
  let k = 0;
  let ss = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isFinite(s)) {
      finite[k++] = s;
      ss += (s - mean) * (s - mean);
    }
  }
  finite.sort();
  const median =
    seen % 2 === 1 ? finite[(seen - 1) / 2] : 0.5 * (finite[seen / 2 - 1] + finite[seen / 2]);
  return { seen, mean, std: seen > 1 ? Math.sqrt(ss / (seen - 1)) : 0, median };
}

/** The [lo, hi] quantiles of `values[0 .. n)` (sorts that prefix in place). */
export function quantileRange(
  values: Float64Array,
  n: number,
  lo: number,
  hi: number,
): [number, number] {
  const part = values.subarray(0, n);
  part.sort();
  const at = (q: number) => part[Math.min(n - 1, Math.max(0, Math.round(q * (n - 1))))];
  return [at(lo), at(hi)];
}
