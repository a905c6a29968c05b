/**
 * Which frusta to draw when a scan has hundreds of frames: at most `max`, evenly strided over
 * the list (first and last included), plus the frame on show so it can always be highlighted.
 */
export function strideIndices(count: number, max: number, keep?: number): number[] {
  const limit = Math.max(1, Math.floor(max));
  let picked: number[];
  if (count <= limit) picked = Array.from({ length: count }, (_, k) => k);
  else if (limit === 1) picked = [0];
  else
    picked = Array.from({ length: limit }, (_, k) => Math.round((k * (count - 1)) / (limit - 1)));
  if (keep !== undefined && keep >= 0 && keep < count && !picked.includes(keep)) {
    picked.push(keep);
    picked.sort((a, b) => a - b);
  }
  return picked;
}
