/**
 * A small seeded PRNG (mulberry32, `src/pipeline/random.ts`) so the demo room is byte-identical
 * everywhere: Node, the browser worker and CI. Math.random is never used in the generator.
 */
import { mulberry32 } from '../pipeline/random';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function seededRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (n) => Math.floor(next() * n),
  };
}

/**
 * A stateless integer hash (lowbias32) → [0, 1). Used for per-pixel noise and surface texture so
 * a value depends only on its inputs, not on the order pixels are visited.
 */
export function hashToUnit(a: number, b = 0, c = 0, d = 0): number {
  let h = Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca77);
  h ^= Math.imul(c | 0, 0xc2b2ae3d) ^ Math.imul(d | 0, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
