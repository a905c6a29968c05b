/**
 * Reconstruction throughput (back-projected points per second into 2 cm voxels) on ICL-NUIM
 * living room 1 (every 10th frame), with frames decoded once up front so only back-projection
 * and voxel averaging are timed: our typed-array voxel hash (reconstructCloud) against a
 * straightforward baseline (per-point objects, string keys in a Map), same run, same frames,
 * alternating runs, median of --reps (after one warm-up of each).
 * Also reports the decode cost per frame (jpeg-js + fast-png) for context.
 * Run: npx tsx bench/reconstruct.bench.ts [--quick] [--json] [--stride k] [--reps n]
 *   (--quick: every 40th frame, 2 repetitions)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { backprojectPixel } from '../src/pipeline/geometry/camera';
import { NodeFileSource } from '../src/hosts/node/node-file-source';
import { openScene } from '../src/pipeline/scene/open-scene';
import { reconstructCloud } from '../src/pipeline/scene/reconstruct';
import type { DepthImage, RgbdFrame, RgbImage, Scene } from '../src/pipeline/scene/types';
import { installNodePlatform } from '../src/hosts/node/platform';
import { BenchReporter, rate, summarise } from './report';

// The capabilities the CLI runs with (wasm threads up to the cores, Node's model cache).
installNodePlatform();

const report = new BenchReporter(
  'reconstruct',
  'RGB-D back-projection + 2 cm voxel averaging (ICL-NUIM living room 1)',
);
const stride = Number(report.arg('stride', report.quick ? '40' : '10'));
const reps = Number(report.arg('reps', report.quick ? '2' : '3'));
report.option('stride', stride);
report.option('reps', reps);
const sceneDir = path.resolve(import.meta.dirname, '..', '..', 'shared/data/icl-nuim-livingroom1');
if (!existsSync(sceneDir)) {
  report.skip(`${sceneDir} is missing`);
  report.finish();
  process.exit(0);
}

const scene = await openScene(await NodeFileSource.open(sceneDir));
const selected = scene.frames.filter((_, i) => i % stride === 0);
const decodeStart = performance.now();
const cached: RgbdFrame[] = [];
for (const f of selected) {
  const depth = await f.loadDepth();
  const color = await f.loadColor();
  cached.push({ ...f, loadDepth: async () => depth, loadColor: async () => color });
}
const decodeMs = (performance.now() - decodeStart) / selected.length;
const cachedScene: Scene = { ...scene, frames: cached };

/** The obvious implementation: one object per voxel, string keys. */
async function naiveReconstruct(frames: RgbdFrame[], voxel: number) {
  const voxels = new Map<
    string,
    { x: number; y: number; z: number; r: number; g: number; b: number; n: number }
  >();
  let raw = 0;
  for (const f of frames) {
    const depth: DepthImage = await f.loadDepth();
    const color: RgbImage = await f.loadColor();
    for (let v = 0; v < depth.height; v++) {
      for (let u = 0; u < depth.width; u++) {
        const d = depth.data[v * depth.width + u];
        if (depth.invalidValues.includes(d)) continue;
        const z = d / depth.depthScale;
        if (z > 10) continue;
        const p = backprojectPixel(f.depthIntrinsics, f.cameraToWorld, u, v, z);
        const key = `${Math.floor(p[0] / voxel)},${Math.floor(p[1] / voxel)},${Math.floor(p[2] / voxel)}`;
        let e = voxels.get(key);
        if (!e) voxels.set(key, (e = { x: 0, y: 0, z: 0, r: 0, g: 0, b: 0, n: 0 }));
        const c = (v * color.width + u) * 3;
        e.x += p[0];
        e.y += p[1];
        e.z += p[2];
        e.r += color.data[c];
        e.g += color.data[c + 1];
        e.b += color.data[c + 2];
        e.n++;
        raw++;
      }
    }
  }
  return { raw, count: voxels.size };
}

const runOurs = () => reconstructCloud(cachedScene, { frameStride: 1, voxelSize: 0.02 });
const runNaive = () => naiveReconstruct(cached, 0.02);
// One warm-up of each on the first frame, then alternate so machine load affects both alike.
await reconstructCloud({ ...cachedScene, frames: cached.slice(0, 1) }, { frameStride: 1 });
await naiveReconstruct(cached.slice(0, 1), 0.02);
const oursMs: number[] = [];
const naiveMs: number[] = [];
let ours!: Awaited<ReturnType<typeof runOurs>>;
let naive!: Awaited<ReturnType<typeof runNaive>>;
for (let r = 0; r < reps; r++) {
  let t = performance.now();
  ours = await runOurs();
  oursMs.push(performance.now() - t);
  t = performance.now();
  naive = await runNaive();
  naiveMs.push(performance.now() - t);
}
if (ours.summary.rawPoints !== naive.raw)
  report.log(`note: ours counted ${ours.summary.rawPoints} points, naive ${naive.raw}`);
const oursRate = rate(summarise(oursMs), ours.summary.rawPoints, 1e-6);
const naiveRate = rate(summarise(naiveMs), naive.raw, 1e-6);
report.log(`ICL-NUIM, ${selected.length} frames (stride ${stride}), 2 cm voxels, ${reps} reps`);
report.compare({
  name: `reconstructCloud, typed-array voxel hash (${ours.summary.rawPoints} points → ${ours.summary.pointCount} voxels)`,
  ...oursRate,
  unit: 'M points/s',
  better: 'higher',
  baseline: {
    name: `per-point objects, string keys in a Map (${naive.count} voxels)`,
    ...naiveRate,
  },
});
report.context('frame decode (jpeg-js + fast-png), untimed above', decodeMs, 'ms/frame');
report.context('frames', selected.length, 'frames');
report.finish();
