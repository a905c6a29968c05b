/**
 * Reconstruction throughput (back-projected points per second into 2 cm voxels) on ICL-NUIM
 * living room 1 (every 10th frame), with frames decoded once up front so only back-projection
 * and voxel averaging are timed: our typed-array voxel hash (reconstructCloud) against a
 * straightforward baseline (per-point objects, string keys in a Map), same run, same frames.
 * Also prints the decode cost per frame (jpeg-js + fast-png) for context.
 * Run: npx tsx bench/reconstruct.bench.ts [--stride k]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { backprojectPixel } from '../src/pipeline/geometry/camera';
import { NodeFileSource } from '../src/hosts/node/node-file-source';
import { openScene } from '../src/pipeline/scene/open-scene';
import { reconstructCloud } from '../src/pipeline/scene/reconstruct';
import type { DepthImage, RgbdFrame, RgbImage, Scene } from '../src/pipeline/scene/types';

const strideArg = process.argv.indexOf('--stride');
const stride = strideArg >= 0 ? Number(process.argv[strideArg + 1]) : 10;
const sceneDir = path.resolve(import.meta.dirname, '..', '..', 'shared/data/icl-nuim-livingroom1');
if (!existsSync(sceneDir)) {
  console.log(`reconstruct bench skipped: ${sceneDir} is missing`);
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

function time<T>(fn: () => Promise<T>) {
  return async () => {
    const t = performance.now();
    const result = await fn();
    return { result, seconds: (performance.now() - t) / 1000 };
  };
}

const ours = await time(() => reconstructCloud(cachedScene, { frameStride: 1, voxelSize: 0.02 }))();
const naive = await time(() => naiveReconstruct(cached, 0.02))();
const oursRate = ours.result.summary.rawPoints / ours.seconds;
const naiveRate = naive.result.raw / naive.seconds;
console.log(`ICL-NUIM, ${selected.length} frames (stride ${stride}), 2 cm voxels`);
console.log(`decode (jpeg-js + fast-png): ${decodeMs.toFixed(1)} ms/frame`);
console.log(
  `ours : ${(oursRate / 1e6).toFixed(2)} M points/s (${ours.result.summary.rawPoints} points → ` +
    `${ours.result.summary.pointCount} voxels, ${ours.seconds.toFixed(2)} s)`,
);
console.log(
  `naive: ${(naiveRate / 1e6).toFixed(2)} M points/s (${naive.result.raw} points → ${naive.result.count} voxels, ` +
    `${naive.seconds.toFixed(2)} s)`,
);
console.log(`ratio: ${(oursRate / naiveRate).toFixed(1)}x the baseline`);
