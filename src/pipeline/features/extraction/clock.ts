/** Milliseconds from a monotonic clock where the host has one. */
export const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Seconds since the previous lap (or since creation) on each call. */
export function stopwatch(): () => number {
  let last = now();
  return () => {
    const t = now();
    const seconds = (t - last) / 1000;
    last = t;
    return seconds;
  };
}
