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

/** Variance of the kept (trimmed) values; `values[0..n)` are already sorted by trimmedMean. */
export function trimmedVariance(
  values: Float64Array,
  n: number,
  trim: number,
  mean: number,
): number {
  if (n < 2) return 0;
  const cut = Math.min(Math.floor(n * Math.max(0, Math.min(0.49, trim))), Math.floor((n - 1) / 2));
  let ss = 0;
  for (let i = cut; i < n - cut; i++) ss += (values[i] - mean) * (values[i] - mean);
  return ss / Math.max(1, n - 2 * cut - 1);
}

export function sampledMedian(
  scores: Float32Array,
  value: (i: number) => number,
  /** 1: every point; otherwise about this many points, evenly strided. */
  maxSamples: number,
): { median: number; mad: number } {
  const stride = maxSamples === 1 ? 1 : Math.max(1, Math.ceil(scores.length / maxSamples));
  const sample = new Float64Array(Math.ceil(scores.length / stride));
  let m = 0;
  for (let i = 0; i < scores.length; i += stride) {
    const s = scores[i];
    if (s === s && s !== Infinity && s !== -Infinity) sample[m++] = value(i);
  }
  if (m === 0) return { median: NaN, mad: 0 };
  const part = sample.subarray(0, m);
  const median = medianOfSorted(part.sort());
  for (let k = 0; k < m; k++) part[k] = Math.abs(part[k] - median);
  return { median, mad: medianOfSorted(part.sort()) };
}

function medianOfSorted(v: Float64Array): number {
  const m = v.length;
  return m % 2 === 1 ? v[(m - 1) / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}
