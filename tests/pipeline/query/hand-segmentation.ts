/**
 * Segmentations built by hand for the grounding tests: per level, a label per point (−1 = none);
 * level l + 1 must group whole proposals of level l. Bounds are the points' min/max, so a test
 * knows every box exactly.
 */
import { StructureKind, type SceneSegmentation } from '../../../src/pipeline/segment/types';

/**
 * `levels[l][i]` = the label (any integers) of point i at level l; proposals are numbered level by
 * level in label order. `structure` marks labels of a level as floor/wall/ceiling ("l:label").
 */
export function handSegmentation(
  positions: Float32Array,
  levels: readonly (readonly number[] | Int32Array)[],
  structure: Record<string, StructureKind> = {},
): SceneSegmentation & { idOf: (level: number, label: number) => number } {
  const n = positions.length / 3;
  const ids = new Map<string, number>();
  const level: number[] = [];
  const kinds: number[] = [];
  for (let l = 0; l < levels.length; l++) {
    if (levels[l].length !== n)
      throw new Error(`level ${l}: ${levels[l].length} labels, ${n} points`);
    const labels = [...new Set(Array.from(levels[l]).filter((v) => v >= 0))].sort((a, b) => a - b);
    for (const label of labels) {
      ids.set(`${l}:${label}`, level.length);
      level.push(l);
      kinds.push(structure[`${l}:${label}`] ?? StructureKind.None);
    }
  }
  const count = level.length;
  const pointProposals = new Int32Array(levels.length * n).fill(-1);
  const parent = new Int32Array(count).fill(-1);
  const members: number[][] = Array.from({ length: count }, () => []);
  for (let l = 0; l < levels.length; l++) {
    for (let i = 0; i < n; i++) {
      const label = levels[l][i];
      if (label < 0) continue;
      const p = ids.get(`${l}:${label}`)!;
      pointProposals[l * n + i] = p;
      members[p].push(i);
      if (l > 0) {
        const child = pointProposals[(l - 1) * n + i];
        if (child < 0) throw new Error(`point ${i} is labelled at level ${l} but not ${l - 1}`);
        if (parent[child] >= 0 && parent[child] !== p) throw new Error(`proposal ${child} split`);
        parent[child] = p;
      }
    }
  }
  const pointOffsets = new Uint32Array(count + 1);
  for (let p = 0; p < count; p++) pointOffsets[p + 1] = pointOffsets[p] + members[p].length;
  const pointIndices = Uint32Array.from(members.flat());
  const bounds = new Float32Array(count * 6);
  for (let p = 0; p < count; p++) {
    for (let a = 0; a < 3; a++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const i of members[p]) {
        lo = Math.min(lo, positions[i * 3 + a]);
        hi = Math.max(hi, positions[i * 3 + a]);
      }
      bounds[p * 6 + a] = lo;
      bounds[p * 6 + 3 + a] = hi;
    }
  }
  return {
    pointCount: n,
    levelCount: levels.length,
    pointProposals,
    proposalCount: count,
    level: Uint8Array.from(level),
    parent,
    structure: Uint8Array.from(kinds),
    pointOffsets,
    pointIndices,
    bounds,
    idOf: (l, label) => {
      const id = ids.get(`${l}:${label}`);
      if (id === undefined) throw new Error(`no proposal ${l}:${label}`);
      return id;
    },
  };
}

/** Points on a regular grid filling a box (inclusive), `step` apart. */
export function gridBox(min: readonly number[], max: readonly number[], step: number): number[][] {
  const out: number[][] = [];
  for (let x = min[0]; x <= max[0] + 1e-9; x += step)
    for (let y = min[1]; y <= max[1] + 1e-9; y += step)
      for (let z = min[2]; z <= max[2] + 1e-9; z += step) out.push([x, y, z]);
  return out;
}
