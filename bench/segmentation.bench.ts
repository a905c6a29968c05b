/**
 * Hierarchical segmentation latency (segmentScene: voxel graph, FH fine level, coarser levels,
 * structure, CSR proposals, robust bounds) on the demo room generated at about 100k and 1M points,
 * and on the reconstructed ICL-NUIM living room when ../shared has it (no GT there: proposal count
 * and time only). Baseline in the same run: the straightforward fine level alone, one object per
 * point and per voxel, string keys in a Map, neighbour lists as arrays, edges as objects sorted
 * with a comparator, union-find over objects. Demo-room proposal coverage (GT boxes with a
 * proposal at IoU ≥ 0.5) is reported for context.
 *   npx tsx bench/segmentation.bench.ts [--quick] [--json] [--reps n]
 *   (--quick: 100k only, 2 repetitions)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateDemoRoom } from '../src/demo-room/demo-room';
import { NodeFileSource } from '../src/hosts/node/node-file-source';
import { installNodePlatform } from '../src/hosts/node/platform';
import { SEGMENT_DEFAULTS } from '../src/pipeline/defaults';
import { openScene } from '../src/pipeline/scene/open-scene';
import { reconstructCloud } from '../src/pipeline/scene/reconstruct';
import type { PointCloud } from '../src/pipeline/scene/types';
import { segmentScene } from '../src/pipeline/segment/segment-scene';
import type { SegmentOptions } from '../src/pipeline/segment/types';
import { symmetricEigen3 } from '../src/pipeline/segment/symmetric-eigen';
import { objectCoverage } from '../tests/pipeline/segment/coverage';
import { BenchReporter, latency, timeSync } from './report';

installNodePlatform();

const report = new BenchReporter(
  'segmentation',
  'hierarchical weight-free segmentation (segmentScene), ms per cloud',
);
const reps = Number(report.arg('reps', report.quick ? '2' : '3'));
report.option('reps', reps);

interface NaivePoint {
  x: number;
  y: number;
  z: number;
  r: number;
  g: number;
  b: number;
}
interface NaiveVoxel {
  key: string;
  points: NaivePoint[];
  neighbours: NaiveVoxel[];
  normal: number[];
  colour: number[];
  parent: NaiveVoxel;
  size: number;
  internal: number;
}

/** The obvious fine level: the same graph and FH, written with objects and strings. */
function naiveFineLevel(cloud: PointCloud, voxel: number, k: number, minSize: number): number {
  const points: NaivePoint[] = [];
  for (let i = 0; i < cloud.positions.length / 3; i++) {
    const [x, y, z] = cloud.positions.subarray(i * 3, i * 3 + 3);
    if (!Number.isFinite(x + y + z)) continue;
    const [r, g, b] = cloud.colors.subarray(i * 3, i * 3 + 3);
    points.push({ x, y, z, r, g, b });
  }
  const voxels = new Map<string, NaiveVoxel>();
  for (const p of points) {
    const key = `${Math.floor(p.x / voxel)},${Math.floor(p.y / voxel)},${Math.floor(p.z / voxel)}`;
    let v = voxels.get(key);
    if (!v) {
      const created: Partial<NaiveVoxel> = {
        key,
        points: [],
        neighbours: [],
        size: 1,
        internal: 0,
      };
      created.parent = created as NaiveVoxel;
      v = created as NaiveVoxel;
      voxels.set(key, v);
    }
    v.points.push(p);
  }
  const values = new Float64Array(3);
  const vectors = new Float64Array(9);
  for (const v of voxels.values()) {
    const [cx, cy, cz] = v.key.split(',').map(Number);
    const near: NaivePoint[] = [];
    for (let dz = -1; dz <= 1; dz++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const u = voxels.get(`${cx + dx},${cy + dy},${cz + dz}`);
          if (!u) continue;
          near.push(...u.points);
          if (u !== v) v.neighbours.push(u);
        }
    const mean = [0, 1, 2].map(
      (a) => near.reduce((s, p) => s + [p.x, p.y, p.z][a], 0) / near.length,
    );
    const cov = [0, 0, 0, 0, 0, 0];
    for (const p of near) {
      const d = [p.x - mean[0], p.y - mean[1], p.z - mean[2]];
      cov[0] += d[0] * d[0];
      cov[1] += d[0] * d[1];
      cov[2] += d[0] * d[2];
      cov[3] += d[1] * d[1];
      cov[4] += d[1] * d[2];
      cov[5] += d[2] * d[2];
    }
    symmetricEigen3(cov, values, vectors);
    v.normal = [vectors[0], vectors[1], vectors[2]];
    v.colour = [0, 1, 2].map(
      (a) => v.points.reduce((s, p) => s + [p.r, p.g, p.b][a], 0) / v.points.length,
    );
  }
  const edges: { a: NaiveVoxel; b: NaiveVoxel; w: number }[] = [];
  for (const a of voxels.values()) {
    for (const b of a.neighbours) {
      if (a.key >= b.key) continue;
      const dot = Math.abs(
        a.normal[0] * b.normal[0] + a.normal[1] * b.normal[1] + a.normal[2] * b.normal[2],
      );
      const colour = Math.hypot(...a.colour.map((c, i) => c - b.colour[i])) / 441.673;
      edges.push({ a, b, w: 1 - Math.min(1, dot) + colour });
    }
  }
  edges.sort((x, y) => x.w - y.w);
  const find = (v: NaiveVoxel): NaiveVoxel => (v.parent === v ? v : (v.parent = find(v.parent)));
  for (const e of edges) {
    const a = find(e.a);
    const b = find(e.b);
    if (a === b) continue;
    if (e.w <= a.internal + k / a.size && e.w <= b.internal + k / b.size) {
      b.parent = a;
      a.size += b.size;
      a.internal = e.w;
    }
  }
  for (const e of edges) {
    const a = find(e.a);
    const b = find(e.b);
    if (a !== b && (a.size < minSize || b.size < minSize)) {
      b.parent = a;
      a.size += b.size;
    }
  }
  return new Set([...voxels.values()].map(find)).size;
}

interface Case {
  name: string;
  cloud: PointCloud;
  options?: Partial<SegmentOptions>;
  objects?: Parameters<typeof objectCoverage>[1];
  baseline: boolean;
}

const cases: Case[] = [];
const room = (spacing: number, shell: number) =>
  generateDemoRoom({ objectPointSpacing: spacing, shellPointSpacing: shell });
{
  const s = room(0.02, 0.04);
  cases.push({ name: 'demo room ~100k', cloud: s.cloud!, objects: s.objects, baseline: true });
}
if (!report.quick) {
  const s = room(0.009, 0.009);
  cases.push({ name: 'demo room ~1M', cloud: s.cloud!, objects: s.objects, baseline: true });
  const iclDir = path.resolve(import.meta.dirname, '..', '..', 'shared/data/icl-nuim-livingroom1');
  if (existsSync(iclDir)) {
    const scene = await openScene(await NodeFileSource.open(iclDir));
    const { cloud } = await reconstructCloud(scene, { frameStride: 10, voxelSize: 0.02 });
    // ICL-NUIM's world has y pointing down (the floor is at the largest y).
    cases.push({
      name: 'ICL-NUIM living room 1 (stride 10, 2 cm, up −y)',
      cloud,
      options: { up: [0, -1, 0] },
      baseline: false,
    });
  } else report.skip(`${iclDir} is missing: no ICL-NUIM figure`);
}

for (const c of cases) {
  const points = c.cloud.positions.length / 3;
  let seg = segmentScene(c.cloud, c.options);
  const ours = timeSync(() => (seg = segmentScene(c.cloud, c.options)), {
    warmup: 1,
    repetitions: reps,
  });
  const label = `${c.name}, ${points} points`;
  const coverage = c.objects ? objectCoverage(seg, c.objects) : undefined;
  const covered = coverage?.filter((o) => o.bestIoU >= 0.5).length;
  const top = seg.levelOffsets![seg.levelCount - 1];
  const structure = [0, 0, 0, 0];
  for (let p = top; p < seg.proposalCount; p++) structure[seg.structure[p]]++;
  report.log(
    `${label}: ${ours.median.toFixed(0)} ms, ${seg.proposalCount} proposals` +
      (coverage ? `, GT covered ${covered}/${coverage.length}` : '') +
      `; top level: ${structure[1]} floor, ${structure[2]} wall, ${structure[3]} ceiling, ` +
      `${structure[0]} other`,
  );
  report.context(`${label}: proposals`, seg.proposalCount, 'proposals');
  if (coverage)
    report.context(`${label}: GT objects with a proposal at IoU ≥ 0.5`, covered!, 'objects');
  report.context(`${label}: ms per 100k points`, (ours.median * 1e5) / points, 'ms');
  if (!c.baseline) {
    report.context(`${label}: segmentScene`, ours.median, 'ms');
    continue;
  }
  let naiveSegments = 0;
  const naive = timeSync(
    () =>
      (naiveSegments = naiveFineLevel(
        c.cloud,
        SEGMENT_DEFAULTS.voxelSizeM,
        SEGMENT_DEFAULTS.fineK,
        SEGMENT_DEFAULTS.minSegmentVoxels,
      )),
    { warmup: 0, repetitions: report.quick ? 1 : 2 },
  );
  report.log(`  baseline fine level: ${naive.median.toFixed(0)} ms, ${naiveSegments} segments`);
  report.compare({
    name: `segmentScene, all ${seg.levelCount} levels (${label})`,
    ...latency(ours),
    unit: 'ms',
    better: 'lower',
    baseline: {
      name: 'fine level only: per-point objects, string-keyed Map, comparator sort',
      ...latency(naive),
    },
  });
}
report.finish();
