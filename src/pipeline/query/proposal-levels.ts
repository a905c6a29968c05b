/**
 * Which level of the proposal tree is the object a query matched: a group, the object, or one of
 * its faces or parts (see settleLevel).
 */
import type { SceneSegmentation } from '../segment/types';
import type { ProposalBox, ProposalGroundingOptions } from './proposal-grounding';
import { trimmedMean } from './proposal-grounding-stats';

export interface LevelContext {
  scores: Float32Array;
  value: (i: number) => number;
  seg: SceneSegmentation;
  samples: Float64Array;
  o: ProposalGroundingOptions;
}

/**
 * The level that is the object. A group's surroundings are clean (the room), so a group of a
 * matching object and its neighbours can outscore the object; a face of an object (a TV's
 * screen without its sides) scores about as high as the object. Both are settled by what the
 * coarser proposal adds to the finer one: it is justified when the added points score like the
 * finer one, i.e. their trimmed mean is at least `parentPreference` of the way from the coarser
 * one's surroundings to the finer one's inside. Testing what is added, not the whole, keeps a
 * minority of another object (a TV on a cabinet) from hiding in a trimmed mean; points no view
 * saw never justify growing. From the best-scoring proposal: down to its hottest part while the
 * rest is not justified, then up while what each ancestor adds is.
 */
export function settleLevel(
  first: ProposalBox,
  byProposal: Map<number, ProposalBox>,
  c: LevelContext,
): ProposalBox {
  const { seg } = c;
  let current = first;
  for (;;) {
    let part: ProposalBox | undefined;
    for (const candidate of byProposal.values()) {
      if (candidate.inside <= current.inside) continue;
      if (!isAncestor(seg.parent, current.proposal, candidate.proposal)) continue;
      if (!part || candidate.score > part.score) part = candidate;
    }
    if (!part || justified(current, part, c)) break;
    current = part;
  }
  const size = (p: number) => seg.pointOffsets[p + 1] - seg.pointOffsets[p];
  for (let a = seg.parent[current.proposal]; a >= 0; a = seg.parent[a]) {
    const ancestor = byProposal.get(a);
    // The same points one level up (a segment unchanged): the finer id stands for both.
    if (size(a) === size(current.proposal)) continue;
    if (!ancestor || !justified(ancestor, current, c)) break;
    current = ancestor;
  }
  return current;
}

/** Whether `group` (an ancestor of `part`) adds points that score like `part`. */
function justified(group: ProposalBox, part: ProposalBox, c: LevelContext): boolean {
  const added = addedPartMean(
    c.scores,
    c.value,
    c.seg,
    group.proposal,
    part.proposal,
    c.samples,
    c.o,
  );
  if (!(added.seen >= c.o.minSeenPoints)) return false;
  const reference = group.surroundings;
  return added.mean - reference >= c.o.parentPreference * (part.inside - reference);
}

/** Whether `ancestor` is a (strict) ancestor of `p`. */
function isAncestor(parent: Int32Array, ancestor: number, p: number): boolean {
  for (let a = parent[p]; a >= 0; a = parent[a]) if (a === ancestor) return true;
  return false;
}

/** Trimmed mean of the seen points of `ancestor` that are not in `part` (a strided sample). */
function addedPartMean(
  scores: Float32Array,
  value: (i: number) => number,
  seg: SceneSegmentation,
  ancestor: number,
  part: number,
  samples: Float64Array,
  o: ProposalGroundingOptions,
): { mean: number; seen: number } {
  const start = seg.pointOffsets[ancestor];
  const size = seg.pointOffsets[ancestor + 1] - start;
  const addedCount = size - (seg.pointOffsets[part + 1] - seg.pointOffsets[part]);
  const stride = Math.max(1, Math.floor(addedCount / samples.length));
  const offset = seg.level[part] * seg.pointCount;
  let m = 0;
  let k = 0;
  let visited = 0;
  for (let j = 0; j < size && m < samples.length; j++) {
    const i = seg.pointIndices[start + j];
    if (seg.pointProposals[offset + i] === part) continue;
    if (k++ % stride !== 0) continue;
    visited++;
    const s = scores[i];
    if (s === s && s !== Infinity && s !== -Infinity) samples[m++] = value(i);
  }
  if (m === 0) return { mean: NaN, seen: 0 };
  return { mean: trimmedMean(samples, m, o.trimFraction), seen: (m / visited) * addedCount };
}
