/**
 * Fusion throughput (point-views per second) of the fast FusionAccumulator against the
 * straightforward OpenScene transcription (fusion-reference.ts), measured in the same run on:
 *   1. a synthetic 1M-point × 100-view room (points on the walls, analytic depth maps);
 *   2. ICL-NUIM living room 1 (all 211 views, reconstructed cloud), when ../shared has it;
 * then end-to-end views/s through the offline encoder on the demo room, the compact field's
 * bytes per point, and peak memory. Fusion timings are single runs (the reference fuses only the
 * first few views: it is slow); point-views/s makes the two comparable.
 * Run: npx tsx bench/fusion.bench.ts [--quick] [--json]
 *   (--quick: 200k points × 20 views synthetic, every 10th ICL-NUIM view)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  FusionAccumulator,
  type FeatureMap,
  type FusionView,
} from '../src/pipeline/features/fusion';
import { fuseReference } from '../tests/pipeline/features/fusion-reference';
import { encodeFeatureField } from '../src/pipeline/features/field/field-encoder';
import type { DepthImage, Intrinsics } from '../src/pipeline/scene/types';
import { mulberry32 } from '../src/pipeline/random';
import { installNodePlatform } from '../src/hosts/node/platform';
import { BenchReporter } from './report';

// The capabilities the CLI runs with (wasm threads up to the cores, Node's model cache).
installNodePlatform();

const report = new BenchReporter(
  'fusion',
  'multi-view feature fusion point-views/s, end to end views/s, field bytes/point',
);
const quick = report.quick;
let peakRss = 0;
const sampleMemory = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const memTimer = setInterval(sampleMemory, 50);

/** A feature map with `dim` random unit features on a 43×32 grid (640×480 at 15 px cells). */
function randomMap(r: () => number, dim: number, width: number, height: number): FeatureMap {
  const cell = Math.max(1, Math.round(Math.min(width, height) / 32));
  const cellsX = Math.ceil(width / cell);
  const cellsY = Math.ceil(height / cell);
  const features = new Float32Array(cellsX * cellsY * dim);
  for (let i = 0; i < features.length; i++) features[i] = r() - 0.5;
  return { cellsX, cellsY, cellWidth: cell, cellHeight: cell, dim, features };
}

const ROOM = { min: [-4, -3, 0], max: [4, 3, 3] };

/** 1M points on the room's walls, floor and ceiling. */
function roomPoints(n: number, r: () => number): Float32Array {
  const p = new Float32Array(n * 3);
  const [x0, y0, z0] = ROOM.min;
  const [x1, y1, z1] = ROOM.max;
  for (let i = 0; i < n; i++) {
    const face = Math.floor(r() * 6);
    let x = x0 + r() * (x1 - x0);
    let y = y0 + r() * (y1 - y0);
    let z = z0 + r() * (z1 - z0);
    if (face === 0) x = x0;
    else if (face === 1) x = x1;
    else if (face === 2) y = y0;
    else if (face === 3) y = y1;
    else if (face === 4) z = z0;
    else z = z1;
    p.set([x, y, z], i * 3);
  }
  return p;
}

/** Camera inside the room looking horizontally at yaw; OpenCV axes (z forward, y down = −world z). */
function cameraPose(cx: number, cy: number, cz: number, yaw: number): Float64Array {
  const fwd = [Math.cos(yaw), Math.sin(yaw), 0];
  const down = [0, 0, -1];
  const right = [
    fwd[1] * down[2] - fwd[2] * down[1],
    fwd[2] * down[0] - fwd[0] * down[2],
    fwd[0] * down[1] - fwd[1] * down[0],
  ];
  // columns: right, down, forward
  return Float64Array.from([
    right[0],
    down[0],
    fwd[0],
    cx,
    right[1],
    down[1],
    fwd[1],
    cy,
    right[2],
    down[2],
    fwd[2],
    cz,
    0,
    0,
    0,
    1,
  ]);
}

/** Depth (mm) of the room box seen from the pose: exit distance of each pixel ray, along z. */
function renderDepth(pose: Float64Array, K: Intrinsics): DepthImage {
  const { width: W, height: H } = K;
  const data = new Uint16Array(W * H);
  const o = [pose[3], pose[7], pose[11]];
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const dc = [(u - K.cx) / K.fx, (v - K.cy) / K.fy, 1];
      const d = [0, 1, 2].map(
        (r) => pose[r * 4] * dc[0] + pose[r * 4 + 1] * dc[1] + pose[r * 4 + 2] * dc[2],
      );
      let t = Infinity;
      for (let a = 0; a < 3; a++) {
        if (d[a] > 0) t = Math.min(t, (ROOM.max[a] - o[a]) / d[a]);
        else if (d[a] < 0) t = Math.min(t, (ROOM.min[a] - o[a]) / d[a]);
      }
      data[v * W + u] = Math.min(65534, Math.round(t * 1000)); // t along dc (z = 1) = depth
    }
  }
  return { width: W, height: H, data, depthScale: 1000, invalidValues: [0] };
}

function fuseFast(points: Float32Array, views: FusionView[], dim: number) {
  const t = performance.now();
  const acc = new FusionAccumulator(points, dim);
  for (const v of views) acc.addView(v);
  const features = acc.finish();
  return { seconds: (performance.now() - t) / 1000, acc, features };
}

function fuseRef(points: Float32Array, views: FusionView[], dim: number) {
  const t = performance.now();
  const r = fuseReference(points, views, dim);
  return { seconds: (performance.now() - t) / 1000, ...r };
}

const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : `${(x / 1e3).toFixed(1)} k`);

async function syntheticScene() {
  const n = quick ? 200_000 : 1_000_000;
  const nViews = quick ? 20 : 100;
  const dim = 64;
  const r = mulberry32(1);
  const K: Intrinsics = { fx: 525, fy: 525, cx: 319.5, cy: 239.5, width: 640, height: 480 };
  const points = roomPoints(n, r);
  const views: FusionView[] = [];
  const tRender = performance.now();
  for (let v = 0; v < nViews; v++) {
    const pose = cameraPose(r() * 4 - 2, r() * 3 - 1.5, 1 + r(), r() * 2 * Math.PI);
    views.push({
      name: `s${v}`,
      cameraToWorld: pose,
      depthIntrinsics: K,
      colorIntrinsics: K,
      depth: renderDepth(pose, K),
      featureMap: randomMap(r, dim, 640, 480),
    });
  }
  report.log(
    `synthetic: ${n} points × ${nViews} views (640×480, D = ${dim}); scene built in ${((performance.now() - tRender) / 1000).toFixed(1)} s`,
  );
  const fast = fuseFast(points, views, dim);
  const pv = n * nViews;
  const refViews = views.slice(0, quick ? 2 : 3);
  const ref = fuseRef(points, refViews, dim);
  const refPv = n * refViews.length;
  const seen = fast.acc.viewCounts.reduce((s, c) => s + (c > 0 ? 1 : 0), 0);
  report.log(
    `  fast:      ${fast.seconds.toFixed(2)} s for ${fmt(pv)} point-views = ${fmt(pv / fast.seconds)} point-views/s ` +
      `(${((100 * fast.acc.pointViewsPassed) / pv).toFixed(1)}% passed, ${((100 * seen) / n).toFixed(1)}% of points seen)`,
  );
  report.log(
    `  reference: ${ref.seconds.toFixed(2)} s for ${fmt(refPv)} point-views (${refViews.length} views) = ${fmt(refPv / ref.seconds)} point-views/s`,
  );
  report.log(
    `  ratio fast / reference: ${(pv / fast.seconds / (refPv / ref.seconds)).toFixed(1)}×; target 1M × 100 views < 10 s: ${!quick ? (fast.seconds < 10 ? 'met' : 'MISSED') : 'n/a (--quick)'}`,
  );
  report.compare({
    name: `synthetic room, ${n} points × ${nViews} views, FusionAccumulator`,
    figure: pv / fast.seconds / 1e6,
    unit: 'M point-views/s',
    better: 'higher',
    baseline: {
      name: `OpenScene transcription (fusion-reference), first ${refViews.length} views`,
      figure: refPv / ref.seconds / 1e6,
    },
  });
  report.context(
    `synthetic fusion, ${n} points × ${nViews} views (target < 10 s at 1M × 100)`,
    fast.seconds,
    's',
  );
  // Field size on fused features (random maps: a hard case for the basis).
  const tField = performance.now();
  const field = encodeFeatureField(fast.features, n, dim, fast.acc.viewCounts);
  report.log(
    `  field: ${field.bytesPerPoint.toFixed(1)} B/point (K = ${field.components}, exceptions ${field.stats.exceptions}, min cos ${field.stats.minCosine.toFixed(4)}) encoded in ${((performance.now() - tField) / 1000).toFixed(1)} s; float32 = ${dim * 4} B/point`,
  );
  report.compare({
    name: `field of the synthetic fused features (random maps, a hard case; K = ${field.components})`,
    figure: field.bytesPerPoint,
    unit: 'B/point',
    better: 'lower',
    baseline: { name: `float32 features, D = ${dim}`, figure: dim * 4 },
  });
  const q = new Float32Array(dim * 5).map((_, i) => Math.sin(i));
  const tq = performance.now();
  field.similarity(q, 5);
  const similarityMs = performance.now() - tq;
  report.log(`  field similarity, 5 queries × ${fmt(n)} points: ${similarityMs.toFixed(0)} ms`);
  report.context(
    `synthetic field similarity, 5 queries × ${n} points (first call)`,
    similarityMs,
    'ms',
  );
}

/** Field size and scoring speed at 1M points on low-rank features like the offline encoder's. */
function fieldScoring() {
  const n = quick ? 200_000 : 1_000_000;
  const dim = 64;
  const rank = 11;
  const r = mulberry32(5);
  const basis = Float32Array.from({ length: rank * dim }, () => r() - 0.5);
  const features = new Float32Array(n * dim);
  const w = new Float32Array(rank);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < rank; k++) w[k] = r() ** 4;
    for (let k = 0; k < rank; k++)
      for (let d = 0; d < dim; d++) features[i * dim + d] += w[k] * basis[k * dim + d];
  }
  const t0 = performance.now();
  const field = encodeFeatureField(features, n, dim);
  const encodeS = (performance.now() - t0) / 1000;
  const q = 5;
  const queries = new Float32Array(q * dim).map(() => r() - 0.5);
  for (let j = 0; j < q; j++) {
    const norm = Math.hypot(...queries.subarray(j * dim, (j + 1) * dim));
    for (let d = 0; d < dim; d++) queries[j * dim + d] /= norm;
  }
  field.similarity(queries, q);
  const t1 = performance.now();
  field.similarity(queries, q);
  const fieldMs = performance.now() - t1;
  // Baseline: float32 cosine over the uncompressed features, same run.
  const t2 = performance.now();
  const out = new Float32Array(n);
  for (let j = 0; j < q; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      let nn = 0;
      for (let d = 0; d < dim; d++) {
        const x = features[i * dim + d];
        s += x * queries[j * dim + d];
        nn += x * x;
      }
      out[i] = s / Math.sqrt(nn);
    }
  }
  const baseMs = performance.now() - t2;
  report.compare({
    name: `field similarity, ${q} queries × ${n} rank-${rank} points (D = ${dim}, K = ${field.components})`,
    figure: fieldMs,
    unit: 'ms',
    better: 'lower',
    baseline: { name: 'float32 cosine over the uncompressed features', figure: baseMs },
  });
  report.compare({
    name: `field of ${n} rank-${rank} points (min cos ${field.stats.minCosine.toFixed(4)})`,
    figure: field.bytesPerPoint,
    unit: 'B/point',
    better: 'lower',
    baseline: { name: `float32 features, D = ${dim}`, figure: dim * 4 },
  });
  report.log(
    `field on ${fmt(n)} rank-${rank} points (D = ${dim}): ${field.bytesPerPoint.toFixed(1)} B/point (K = ${field.components}, ` +
      `min cos ${field.stats.minCosine.toFixed(4)}), encoded in ${encodeS.toFixed(1)} s; similarity for ${q} queries ` +
      `${fieldMs.toFixed(0)} ms vs float32 baseline ${baseMs.toFixed(0)} ms (${(baseMs / fieldMs).toFixed(1)}×)`,
  );
}

async function iclNuim() {
  const dir = path.resolve(import.meta.dirname, '../..', 'shared/data/icl-nuim-livingroom1');
  if (!existsSync(dir)) {
    report.skip(`ICL-NUIM: ${dir} is missing`);
    return;
  }
  const { NodeFileSource } = await import('../src/hosts/node/node-file-source');
  const { openScene } = await import('../src/pipeline/scene/open-scene');
  const { ensureCloud } = await import('../src/pipeline/scene/reconstruct');
  const t0 = performance.now();
  const scene = await openScene(await NodeFileSource.open(dir));
  const cloud = (await ensureCloud(scene))!;
  const n = cloud.positions.length / 3;
  const frames = quick ? scene.frames.filter((_, i) => i % 10 === 0) : scene.frames;
  const r = mulberry32(2);
  const dim = 64;
  const views: FusionView[] = [];
  for (const f of frames) {
    const depth = await f.loadDepth();
    views.push({
      name: f.name,
      cameraToWorld: f.cameraToWorld,
      depthIntrinsics: f.depthIntrinsics,
      colorIntrinsics: f.intrinsics,
      depth,
      featureMap: randomMap(r, dim, f.intrinsics.width, f.intrinsics.height),
    });
  }
  report.log(
    `ICL-NUIM living room 1: ${n} points × ${frames.length} views (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const fast = fuseFast(cloud.positions, views, dim);
  const pv = n * views.length;
  const refViews = views.slice(0, 10);
  const ref = fuseRef(cloud.positions, refViews, dim);
  report.log(
    `  fast:      ${fmt(pv / fast.seconds)} point-views/s (${fast.seconds.toFixed(2)} s, ${((100 * fast.acc.pointViewsPassed) / pv).toFixed(1)}% passed)`,
  );
  report.log(
    `  reference: ${fmt((n * refViews.length) / ref.seconds)} point-views/s (${refViews.length} views)`,
  );
  report.compare({
    name: `ICL-NUIM living room 1, ${n} points × ${views.length} views, FusionAccumulator`,
    figure: pv / fast.seconds / 1e6,
    unit: 'M point-views/s',
    better: 'higher',
    baseline: {
      name: `OpenScene transcription (fusion-reference), first ${refViews.length} views`,
      figure: (n * refViews.length) / ref.seconds / 1e6,
    },
  });
}

async function endToEnd() {
  try {
    const { generateDemoRoom } = await import('../src/demo-room/demo-room');
    const { loadClipModel } = await import('../src/pipeline/clip/model-source/load-clip-model');
    const { inMemoryOfflineModelSource } =
      await import('../src/pipeline/clip/model-source/offline-model-source');
    const { extractFeatures } = await import('../src/pipeline/features/extract');
    const scene = generateDemoRoom();
    const model = await loadClipModel(inMemoryOfflineModelSource());
    const stride = quick ? 12 : 6;
    const t = performance.now();
    const result = await extractFeatures(scene, model.encoder, { frameStride: stride });
    const s = (performance.now() - t) / 1000;
    report.log(
      `end to end (demo room, offline encoder, ${result.stats.views} views, ${result.stats.crops} crops): ` +
        `${(result.stats.views / s).toFixed(2)} views/s, ${(result.stats.crops / result.timings.encodeS).toFixed(0)} crops/s encode; ` +
        `baseline (encode only, same run): ${(result.stats.views / result.timings.encodeS).toFixed(2)} views/s`,
    );
    report.compare({
      name: `end to end, demo room (offline encoder, ${result.stats.views} views, ${result.stats.crops} crops)`,
      figure: result.stats.views / s,
      unit: 'views/s',
      better: 'higher',
      baseline: {
        name: 'the encoder alone, same run (an upper bound: the ratio is the share of time spent encoding)',
        figure: result.stats.views / result.timings.encodeS,
      },
    });
    report.context(
      'end to end, encoder throughput',
      result.stats.crops / result.timings.encodeS,
      'crops/s',
    );
    const field = encodeFeatureField(result.features, result.count, result.dim, result.viewCounts);
    report.compare({
      name: `demo room field (K = ${field.components}, min cos ${field.stats.minCosine.toFixed(4)})`,
      figure: field.bytesPerPoint,
      unit: 'B/point',
      better: 'lower',
      baseline: { name: `float32 features, D = ${result.dim}`, figure: result.dim * 4 },
    });
    report.log(
      `  demo field: ${field.bytesPerPoint.toFixed(1)} B/point (K = ${field.components}, min cos ${field.stats.minCosine.toFixed(4)}); float32 = ${result.dim * 4} B/point`,
    );
    await model.encoder.dispose();
  } catch (e) {
    report.skip(`end to end: ${(e as Error).message}`);
  }
}

await syntheticScene();
fieldScoring();
await iclNuim();
await endToEnd();
clearInterval(memTimer);
sampleMemory();
report.context('peak RSS', peakRss / 2 ** 20, 'MiB');
report.finish();
