/**
 * Query latency on objects: grounding per-point scores on the scene's segmentation proposals
 * (groundScoresOnObjects: scene statistics, inside trimmed means over strided samples, the
 * surroundings of the best candidates through a point grid, level settling, suppression), on the
 * demo room generated at about 100k and 1M points. Scores are GT-label heatmaps (each object's
 * points 1, blurred over 5 cm, noise 0.1), one query per object; accuracy (top box IoU ≥ 0.5) is
 * reported for context. Baseline in the same run: the straightforward implementation of the
 * same scores (every point of every proposal, full sorts, each shell found by scanning the whole
 * cloud), and the voxel-blob grounding (groundScores) for context.
 *   npx tsx bench/object-grounding.bench.ts [--quick] [--json] [--reps n]
 *   (--quick: 100k only)
 */
import { generateDemoRoom } from '../src/demo-room/demo-room';
import { installNodePlatform } from '../src/hosts/node/platform';
import { PROPOSAL_GROUNDING_DEFAULTS, QUERY_DEFAULTS } from '../src/pipeline/defaults';
import { groundScores, resolveQueryOptions } from '../src/pipeline/query/ground';
import { groundScoresOnObjects } from '../src/pipeline/query/ground-objects';
import { boxIoU } from '../src/pipeline/query/iou';
import { ProposalIndex } from '../src/pipeline/query/proposal-grounding';
import { segmentScene } from '../src/pipeline/segment/segment-scene';
import { StructureKind, type SceneSegmentation } from '../src/pipeline/segment/types';
import { gtCategoryHeatmap } from '../tests/pipeline/query/gt-heatmap';
import { BenchReporter, latency, timeSync } from './report';

installNodePlatform();

const report = new BenchReporter(
  'object-grounding',
  'grounding per-point scores on segmentation proposals, ms per query (no text embedding)',
);
const reps = Number(report.arg('reps', '3'));
report.option('reps', reps);

/** The obvious version of the proposal scores: all points, full sorts, shells by full scans. */
function naiveProposalScores(
  scores: Float32Array,
  positions: Float32Array,
  seg: SceneSegmentation,
) {
  const n = seg.pointCount;
  const trimmed = (v: number[]) => {
    v.sort((a, b) => a - b);
    const cut = Math.floor(v.length * PROPOSAL_GROUNDING_DEFAULTS.trimFraction);
    const kept = v.slice(cut, v.length - cut);
    return kept.reduce((s, x) => s + x, 0) / Math.max(1, kept.length);
  };
  const out: { p: number; score: number }[] = [];
  for (let p = 0; p < seg.proposalCount; p++) {
    if (seg.structure[p] !== StructureKind.None) continue;
    const inside: number[] = [];
    for (let k = seg.pointOffsets[p]; k < seg.pointOffsets[p + 1]; k++) {
      const s = scores[seg.pointIndices[k]];
      if (Number.isFinite(s)) inside.push(s);
    }
    if (inside.length < PROPOSAL_GROUNDING_DEFAULTS.minSeenPoints) continue;
    const b = seg.bounds.subarray(p * 6, p * 6 + 6);
    const grow = Math.min(
      0.3,
      Math.max(0.08, 0.5 * Math.max(b[3] - b[0], b[4] - b[1], b[5] - b[2])),
    );
    const shell: number[] = [];
    const level = seg.level[p];
    for (let i = 0; i < n; i++) {
      if (seg.pointProposals[level * n + i] === p || !Number.isFinite(scores[i])) continue;
      let inBox = true;
      for (let a = 0; a < 3; a++) {
        const x = positions[i * 3 + a];
        inBox &&= x >= b[a] - grow && x <= b[3 + a] + grow;
      }
      if (inBox) shell.push(scores[i]);
    }
    out.push({ p, score: trimmed(inside) - (shell.length ? trimmed(shell) : 0) });
  }
  return out.sort((a, b) => b.score - a.score);
}

for (const [label, spacing, shell] of [
  ['demo room ~100k', 0.02, 0.04],
  ...(report.quick ? [] : [['demo room ~1M', 0.009, 0.009]]),
] as [string, number, number][]) {
  const room = generateDemoRoom({ objectPointSpacing: spacing, shellPointSpacing: shell });
  const cloud = room.cloud!;
  const points = cloud.positions.length / 3;
  report.log(`${label}: ${points} points`);
  const t0 = performance.now();
  const seg = segmentScene(cloud);
  const index = new ProposalIndex(cloud.positions, seg);
  report.context(`${label}: segmentation + index, once per scene`, performance.now() - t0, 'ms');
  const objects = room.objects ?? [];
  const heatmaps = objects.map((o, k) =>
    gtCategoryHeatmap(room, o.label, { blurM: 0.05, noise: 0.1, seed: k + 1 }),
  );
  const options = {
    topK: QUERY_DEFAULTS.topK,
  };
  let hits = 0;
  let q = 0;
  const ours = timeSync(
    () => {
      const k = q++ % heatmaps.length;
      const r = groundScoresOnObjects(heatmaps[k], index, options);
      if (q <= heatmaps.length && r.boxes[0] && boxIoU(r.boxes[0], objects[k].aabb) >= 0.5) hits++;
    },
    { warmup: 0, repetitions: reps * heatmaps.length },
  );
  report.context(`${label}: top box IoU ≥ 0.5`, hits, 'objects', `of ${objects.length}`);
  const blobOptions = resolveQueryOptions({ mode: 'cosine' });
  let b = 0;
  const blobs = timeSync(
    () => groundScores(heatmaps[b++ % heatmaps.length], cloud.positions, blobOptions),
    {
      warmup: 0,
      repetitions: reps * heatmaps.length,
    },
  );
  report.context(`${label}: voxel-blob grounding (groundScores), per query`, blobs.median, 'ms');
  let nq = 0;
  const naive = timeSync(
    () => naiveProposalScores(heatmaps[nq++ % heatmaps.length], cloud.positions, seg),
    {
      warmup: 0,
      repetitions: report.quick ? 2 : 1,
    },
  );
  report.compare({
    name: `groundScoresOnObjects, ${seg.proposalCount} proposals (${label})`,
    ...latency(ours),
    unit: 'ms',
    better: 'lower',
    baseline: {
      name: 'every point of every proposal, full sorts, shells by full scans',
      ...latency(naive),
    },
  });
}
report.finish();
