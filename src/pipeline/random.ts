/**
 * mulberry32: a tiny seeded PRNG, uniform in [0, 1), with the same sequence on every platform
 * (Node, the worker, CI). Everything deterministic in the pipeline (demo room, PCA start vectors,
 * 3D-LLM voxel sampling, the offline encoder's projection) draws from it; Math.random never.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
