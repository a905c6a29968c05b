import { platform } from '../../platform';

/** Milliseconds from the host's clock (monotonic where the host has one). */
export const now = () => platform().now();

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
