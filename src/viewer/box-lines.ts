/** Vertex layout for drawing many AABBs as one LineSegments buffer: 12 edges = 24 vertices. */

export const VERTICES_PER_BOX = 24;

// Corner k has x from bit 0, y from bit 1, z from bit 2 (0 = min, 1 = max).
const EDGES: [number, number][] = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7], // along x
  [0, 2],
  [1, 3],
  [4, 6],
  [5, 7], // along y
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7], // along z
];

/** Writes box `index`'s 24 vertices (xyz) into `out`. */
export function writeBoxLines(
  out: Float32Array,
  index: number,
  min: readonly number[],
  max: readonly number[],
): void {
  let o = index * VERTICES_PER_BOX * 3;
  for (const [a, b] of EDGES) {
    for (const corner of [a, b]) {
      out[o++] = corner & 1 ? max[0] : min[0];
      out[o++] = corner & 2 ? max[1] : min[1];
      out[o++] = corner & 4 ? max[2] : min[2];
    }
  }
}

/** Colour by rank: best = warm, later = cooler; token boxes magenta, GT white, objects cyan. */
export function boxColor(
  source: 'query' | 'tokens' | 'gt' | 'object',
  rank: number,
): [number, number, number] {
  if (source === 'gt') return [0.85, 0.85, 0.85];
  if (source === 'object') return [0.2, 0.95, 0.85];
  if (source === 'tokens') return [1, 0.3, 0.9];
  const ramp: [number, number, number][] = [
    [1, 0.25, 0.2],
    [1, 0.6, 0.1],
    [1, 0.9, 0.2],
    [0.5, 0.9, 0.3],
    [0.3, 0.8, 1],
  ];
  return ramp[Math.min(rank, ramp.length - 1)];
}
