/**
 * Per-point scores → objects: every proposal of the scene's segmentation is scored by how much
 * its points stand out from their surroundings, the best level per object is kept, overlapping
 * duplicates are suppressed, and nothing is returned when nothing stands out.
 *
 * The score of a proposal (the ranking key, shown as is):
 *   contrast = trimmedMean(inside) − trimmedMean(shell),  score = contrast · n / (n + n₀)
 * where the shell is the points in the proposal's box grown by half its largest side (clamped)
 * that belong to other proposals of its level, trimmed means cut a share from each end (a few
 * bleeding or junk points do not move them), and n₀ shrinks the score of proposals with few
 * seen points. LERF relevancy is a sigmoid that saturates near 1 (0.991 junk vs 0.999 sofa), so
 * its statistics use logits. Contrast favours the whole object over its parts (a part's shell is
 * the rest of the object, which scores as high) and over groups with other objects (their inside
 * mean drops). It follows the "inside vs. surroundings" scoring of mask-based open-vocabulary 3D
 * grounding (OpenMask3D-style mask scores, with the surroundings as the reference).
 *
 * Confidence: a box must stand out by `minSeparation` standard deviations of the scene's scores,
 * and its inside − shell difference must be significant (`minSignificance` standard errors); with
 * relevancy scores its inside must also exceed `minInsideRelevancy` (the query must win over the
 * canonical phrases there: very clean features make tiny differences "stand out"); if no
 * proposal passes, the result says so instead of drawing boxes.
 */
import { PROPOSAL_GROUNDING_DEFAULTS } from '../defaults';
import { StructureKind, type SceneSegmentation } from '../segment/types';
import { boxIoU } from './iou';
import { PointGrid } from './proposal-grounding-grid';
import { sampledMedian, trimmedMean, trimmedVariance } from './proposal-grounding-stats';
import { settleLevel } from './proposal-levels';
import { logit } from './threshold';

export interface ProposalGroundingOptions {
  topK: number;
  /** Scores are sigmoid probabilities (LERF relevancy): statistics on their logits. */
  logistic: boolean;
  minSeenPoints: number;
  minSeenFraction: number;
  trimFraction: number;
  shellFraction: number;
  shellMinM: number;
  shellMaxM: number;
  minShellPoints: number;
  shrinkagePoints: number;
  minSeparation: number;
  minSignificance: number;
  minInsideRelevancy: number;
  relativeScore: number;
  parentPreference: number;
  nmsIoU: number;
  maxContainedShare: number;
  minBoxSideM: number;
  flatObjectMinSpanM: number;
  maxSamplesPerProposal: number;
  candidateCount: number;
  /** Diagnostics: every scored candidate, best first, and which were significant. */
  onScored?: (scored: readonly ProposalBox[], significant: Uint8Array) => void;
}

export function resolveProposalGroundingOptions(
  options: Partial<ProposalGroundingOptions> = {},
): ProposalGroundingOptions {
  const d = PROPOSAL_GROUNDING_DEFAULTS;
  const o: ProposalGroundingOptions = { ...d, logistic: false };
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  }
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number' && !(v >= 0)) {
      throw new RangeError(`proposal grounding: ${k} must be a non-negative number, got ${v}`);
    }
  }
  o.topK = Math.floor(o.topK);
  return o;
}

/** What grounding keeps between queries of one scene: the segmentation and a grid over it. */
export class ProposalIndex {
  readonly grid: PointGrid;
  /** Per proposal: whether it may become a box at all (not structure, not degenerate). */
  readonly eligible: Uint8Array;

  constructor(
    readonly positions: Float32Array,
    readonly segmentation: SceneSegmentation,
    options: Pick<ProposalGroundingOptions, 'minBoxSideM' | 'flatObjectMinSpanM'> = {
      minBoxSideM: PROPOSAL_GROUNDING_DEFAULTS.minBoxSideM,
      flatObjectMinSpanM: PROPOSAL_GROUNDING_DEFAULTS.flatObjectMinSpanM,
    },
  ) {
    const n = positions.length / 3;
    if (segmentation.pointCount !== n) {
      throw new RangeError(
        `the segmentation has ${segmentation.pointCount} points, the scores' cloud ${n}`,
      );
    }
    this.grid = new PointGrid(
      positions,
      PROPOSAL_GROUNDING_DEFAULTS.gridCellM,
      PROPOSAL_GROUNDING_DEFAULTS.gridMaxPoints,
    );
    const { proposalCount, structure, bounds } = segmentation;
    this.eligible = new Uint8Array(proposalCount);
    for (let p = 0; p < proposalCount; p++) {
      if (structure[p] !== StructureKind.None) continue;
      const sides = [0, 1, 2].map((a) => bounds[p * 6 + 3 + a] - bounds[p * 6 + a]);
      if (!sides.every(Number.isFinite)) continue;
      this.eligible[p] = isDegenerate(sides, options) ? 0 : 1;
    }
  }
}

/**
 * A box thinner than `minBoxSideM` on some axis is degenerate (a sliver on a wall, a table leg's
 * edge) unless its other two sides are both long: a flat object (a rug, a poster).
 */
export function isDegenerate(
  sides: readonly number[],
  options: Pick<ProposalGroundingOptions, 'minBoxSideM' | 'flatObjectMinSpanM'>,
): boolean {
  const sorted = [...sides].sort((a, b) => a - b);
  if (sorted[0] >= options.minBoxSideM) return false;
  return !(sorted[1] >= options.flatObjectMinSpanM && sorted[2] >= options.flatObjectMinSpanM);
}

export interface ProposalBox {
  /** The proposal (scene object id). */
  proposal: number;
  level: number;
  min: [number, number, number];
  max: [number, number, number];
  /** The ranking key (see the module comment). */
  score: number;
  /** Trimmed mean score inside and in the shell (on the logit scale for LERF relevancy). */
  inside: number;
  surroundings: number;
  /** Contrast in standard deviations of the scene's scores. */
  separation: number;
  pointCount: number;
  seenCount: number;
}

export interface ProposalGrounding {
  /** Ranked by score, at most topK; empty when not confident. */
  boxes: ProposalBox[];
  confident: boolean;
  /** Why nothing was returned (when not confident). */
  reason?: string;
  /** Proposals whose surroundings were scored. */
  candidates: number;
}

export function groundProposals(
  scores: Float32Array,
  index: ProposalIndex,
  options: Partial<ProposalGroundingOptions> = {},
): ProposalGrounding {
  const o = resolveProposalGroundingOptions(options);
  const seg = index.segmentation;
  const n = seg.pointCount;
  if (scores.length !== n) {
    throw new RangeError(`${scores.length} scores for a cloud of ${n} points`);
  }
  const value = o.logistic ? (i: number) => logit(scores[i]) : (i: number) => scores[i];

  // Scene statistics over the seen points: an evenly strided sample of at most 262,144 of them
  // (a logit per point of a 1M cloud costs more than the rest of grounding); the exact count of
  // seen points only decides whether anything was seen.
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s === s && s !== Infinity && s !== -Infinity) seen++;
  }
  // Few seen points: all of them (a sample of a sparse heatmap could miss them all).
  const statsStride = seen < 65_536 ? 1 : Math.max(1, Math.ceil(n / 262_144));
  let sampled = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i += statsStride) {
    const s = scores[i];
    if (s === s && s !== Infinity && s !== -Infinity) {
      const v = value(i);
      sampled++;
      sum += v;
      sumSq += v * v;
    }
  }
  if (seen === 0) {
    return {
      boxes: [],
      confident: false,
      reason: 'no point has a score (none was seen)',
      candidates: 0,
    };
  }
  const sceneMean = sum / Math.max(1, sampled);
  const sceneStd = Math.sqrt(Math.max(0, sumSq / Math.max(1, sampled) - sceneMean * sceneMean));
  const { median: sceneMedian, mad } = sampledMedian(scores, value, seen < 65_536 ? 1 : 65_536);
  // The scale separation is measured in: the robust spread (1.4826 MAD) of the seen points, so
  // a large matching object does not inflate it; the plain deviation where half the points tie.
  const sceneScale = mad > 0 ? 1.4826 * mad : sceneStd;
  if (!(sceneStd > 1e-6 * Math.max(1, Math.abs(sceneMean)))) {
    return {
      boxes: [],
      confident: false,
      reason: 'the scores are flat: every seen point scores the same',
      candidates: 0,
    };
  }

  // Inside: a trimmed mean over (a stride of) each eligible proposal's points.
  const samples = new Float64Array(Math.max(16, o.maxSamplesPerProposal));
  const proposals = seg.proposalCount;
  const inside = new Float64Array(proposals).fill(NaN);
  const insideVar = new Float64Array(proposals);
  const insideSamples = new Uint32Array(proposals);
  const seenCount = new Float64Array(proposals);
  for (let p = 0; p < proposals; p++) {
    if (!index.eligible[p]) continue;
    const start = seg.pointOffsets[p];
    const size = seg.pointOffsets[p + 1] - start;
    const stride = Math.max(1, Math.ceil(size / samples.length));
    let m = 0;
    let visited = 0;
    for (let k = 0; k < size; k += stride) {
      visited++;
      const i = seg.pointIndices[start + k];
      const s = scores[i];
      if (s === s && s !== Infinity && s !== -Infinity) samples[m++] = value(i);
    }
    const seenHere = (m / Math.max(1, visited)) * size;
    if (seenHere < o.minSeenPoints || seenHere < o.minSeenFraction * size) continue;
    seenCount[p] = seenHere;
    inside[p] = trimmedMean(samples, m, o.trimFraction);
    insideVar[p] = trimmedVariance(samples, m, o.trimFraction, inside[p]);
    insideSamples[p] = m;
  }

  // Candidates: proposals above the scene's median, the most promising first, so only a bounded
  // number need their surroundings (the part that scales with box volume).
  const order: number[] = [];
  for (let p = 0; p < proposals; p++) if (inside[p] > sceneMedian) order.push(p);
  const prior = (p: number) => (inside[p] - sceneMedian) * shrink(seenCount[p], o);
  order.sort((a, b) => prior(b) - prior(a));
  const candidates = order.slice(0, Math.max(o.topK, o.candidateCount));

  const scored: ProposalBox[] = [];
  const significant = new Uint8Array(proposals);
  for (const p of candidates) {
    const level = seg.level[p];
    const shell = shellStats(scores, value, index, p, level, samples, o);
    const surroundings = shell.count >= o.minShellPoints ? shell.mean : sceneMedian;
    const contrast = inside[p] - surroundings;
    const standardError = Math.sqrt(
      insideVar[p] / Math.max(1, insideSamples[p]) +
        (shell.count >= o.minShellPoints ? shell.variance / shell.count : 0),
    );
    const significance = contrast / Math.max(standardError, 1e-12);
    const separation = contrast / sceneScale;
    // Relevancy scores also have an absolute meaning: below 0.5 inside, the canonical phrases
    // describe the object better than the query does, however much it stands out.
    const relevant = !o.logistic || inside[p] > logit(o.minInsideRelevancy);
    if (separation >= o.minSeparation && significance >= o.minSignificance && relevant)
      significant[p] = 1;
    const b = seg.bounds;
    scored.push({
      proposal: p,
      level,
      min: [b[p * 6], b[p * 6 + 1], b[p * 6 + 2]],
      max: [b[p * 6 + 3], b[p * 6 + 4], b[p * 6 + 5]],
      score: contrast * shrink(seenCount[p], o),
      inside: inside[p],
      surroundings,
      separation,
      pointCount: seg.pointOffsets[p + 1] - seg.pointOffsets[p],
      seenCount: Math.round(seenCount[p]),
    });
  }
  scored.sort((a, b) => b.score - a.score || a.proposal - b.proposal);
  if (o.onScored) o.onScored(scored, significant);

  // One box per object: the best-scoring level wins, its ancestors and descendants are out, and
  // boxes overlapping a better one are duplicates.
  const blocked = new Uint8Array(proposals);
  const byProposal = new Map(scored.map((b) => [b.proposal, b]));
  const context = { scores, value, seg, samples, o };
  const kept: ProposalBox[] = [];
  for (const first of scored) {
    if (kept.length >= o.topK) break;
    if (!significant[first.proposal] || blocked[first.proposal]) continue;
    if (kept.length > 0 && first.score < o.relativeScore * kept[0].score) break;
    if (hasAncestorIn(seg.parent, first.proposal, blocked)) continue;
    const box = settleLevel(first, byProposal, context);
    if (!significant[box.proposal] || blocked[box.proposal]) continue;
    if (hasAncestorIn(seg.parent, box.proposal, blocked)) continue;
    if (kept.some((k) => boxIoU(k, box) > o.nmsIoU)) continue;
    // A fragment inside a kept box (a leg the segmentation cut off its table) is that object.
    if (kept.some((k) => containedShare(box, k) > o.maxContainedShare)) continue;
    kept.push(box);
    blocked[box.proposal] = 1;
    for (let a = seg.parent[box.proposal]; a >= 0; a = seg.parent[a]) blocked[a] = 1;
  }
  if (kept.length === 0) {
    const best = scored[0];
    return {
      boxes: [],
      confident: false,
      reason: !best
        ? 'no object scores above the scene median'
        : o.logistic && !(best.inside > logit(o.minInsideRelevancy))
          ? `no object is more like the query than like the generic phrases (best relevancy ${(1 / (1 + Math.exp(-best.inside))).toFixed(2)} inside; ${o.minInsideRelevancy} needed)`
          : `nothing stands out from its surroundings (best: ${best.separation.toFixed(2)} standard deviations of the scene's scores; ${o.minSeparation} needed)`,
      candidates: candidates.length,
    };
  }
  return { boxes: kept, confident: true, candidates: candidates.length };
}

/** The share of `inner`'s volume inside `outer` (0 for a degenerate inner box). */
export function containedShare(inner: ProposalBox, outer: ProposalBox): number {
  let inter = 1;
  let volume = 1;
  for (let a = 0; a < 3; a++) {
    inter *= Math.max(
      0,
      Math.min(inner.max[a], outer.max[a]) - Math.max(inner.min[a], outer.min[a]),
    );
    volume *= Math.max(0, inner.max[a] - inner.min[a]);
  }
  return volume > 0 ? inter / volume : 0;
}

function shrink(seenPoints: number, o: ProposalGroundingOptions): number {
  return seenPoints / (seenPoints + o.shrinkagePoints);
}

/** Whether any ancestor of p (not p itself) is marked: a descendant of a kept box. */
function hasAncestorIn(parent: Int32Array, p: number, marked: Uint8Array): boolean {
  for (let a = parent[p]; a >= 0; a = parent[a]) if (marked[a]) return true;
  return false;
}

/** Seen points in the grown box that belong to other proposals of the level. */
function shellStats(
  scores: Float32Array,
  value: (i: number) => number,
  index: ProposalIndex,
  p: number,
  level: number,
  samples: Float64Array,
  o: ProposalGroundingOptions,
): { mean: number; variance: number; count: number } {
  const seg = index.segmentation;
  const b = seg.bounds;
  let largest = 0;
  for (let a = 0; a < 3; a++) largest = Math.max(largest, b[p * 6 + 3 + a] - b[p * 6 + a]);
  const grow = Math.min(o.shellMaxM, Math.max(o.shellMinM, o.shellFraction * largest));
  const min = [b[p * 6] - grow, b[p * 6 + 1] - grow, b[p * 6 + 2] - grow];
  const max = [b[p * 6 + 3] + grow, b[p * 6 + 4] + grow, b[p * 6 + 5] + grow];
  const labels = seg.pointProposals;
  const offset = level * seg.pointCount;
  let m = 0;
  index.grid.forEachInBox(
    min,
    max,
    (i) => {
      if (m >= samples.length || labels[offset + i] === p) return;
      const s = scores[i];
      if (s === s && s !== Infinity && s !== -Infinity) samples[m++] = value(i);
    },
    // The box holds the proposal's own points too: visit enough to fill the sample with others.
    samples.length * 4,
  );
  if (m === 0) return { mean: NaN, variance: 0, count: 0 };
  const mean = trimmedMean(samples, m, o.trimFraction);
  return { mean, variance: trimmedVariance(samples, m, o.trimFraction, mean), count: m };
}
