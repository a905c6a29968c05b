// Query latency without the text embedding (scoring + threshold + clustering + boxes) at 100k
// and 1M points, D = 512, on a synthetic room whose features cluster by object, stored in the
// compact feature field (pca-q8, built directly: encoding 1M×512 floats here would take minutes).
// The field's int8 scoring is timed three ways in the same run: the WebAssembly SIMD kernel with
// the query quantised to int16 (the default), the SIMD kernel in float32, and the plain JS loops.
// Baseline from the same run: full float32 features (N×512) scored with naive per-point loops
// (LERF's formula with exp, one dot product per query and negative), then the same grounding.
// Wall time on a shared machine includes waiting for a CPU; CPU time (this process, user +
// system) is the steadier figure, and ratios are taken between rows of the same run.
//   npx tsx bench/query.bench.ts [--quick] [--full] [--json]
//   (--quick: 100k only; --full: also K = 124, the largest basis the field picks below D)
import type { FieldScoringKernel } from '../src/pipeline/features/field/feature-field';
import { PcaQ8FeatureField } from '../src/pipeline/features/field/pca-q8-field';
import { resolveQueryOptions, groundScores } from '../src/pipeline/query/ground';
import {
  NegativeSimilarityCache,
  scorePoints,
  type NegativeSet,
} from '../src/pipeline/query/relevancy';
import { boxIoU } from '../src/pipeline/query/iou';
import { mulberry32 } from '../src/pipeline/random';
import { installNodePlatform } from '../src/hosts/node/platform';
import { BenchReporter, latency, summarise, type Stats } from './report';

// The capabilities the CLI runs with (wasm threads up to the cores, Node's model cache).
installNodePlatform();

const report = new BenchReporter(
  'query',
  'query latency without the text embedding (scoring + grounding), D = 512',
);

const DIM = 512;
const OBJECTS = 12;
const NEGATIVES = 4;

const gaussian = (rand: () => number) =>
  Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

interface SyntheticScene {
  positions: Float32Array;
  field: PcaQ8FeatureField;
  /** N×D float32 features (the baseline's input). */
  features: Float32Array;
  /** Per object: unit feature direction in D and its AABB. */
  objects: { feature: Float32Array; min: number[]; max: number[] }[];
}

/**
 * Points on a room's floor (6×5 m) and on the surfaces of OBJECTS boxes; each object (and the
 * floor) has a cluster centre in a K-dim code space, points get centre + noise. The field's basis
 * maps code k to a signed coordinate axis of D (orthonormal, so decoding is a scatter and the
 * float32 features are exact).
 */
function syntheticScene(count: number, components: number, seed: number): SyntheticScene {
  const rand = mulberry32(seed);
  const axes = Array.from({ length: DIM }, (_, i) => i);
  for (let i = DIM - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [axes[i], axes[j]] = [axes[j], axes[i]];
  }
  const signs = Array.from({ length: components }, () => (rand() < 0.5 ? -1 : 1));
  const basis = new Float32Array(components * DIM);
  for (let k = 0; k < components; k++) basis[k * DIM + axes[k]] = signs[k];

  const centres = Array.from({ length: OBJECTS + 1 }, () => {
    const c = new Float64Array(components);
    let s = 0;
    for (let k = 0; k < components; k++) s += (c[k] = gaussian(rand)) ** 2;
    for (let k = 0; k < components; k++) c[k] /= Math.sqrt(s);
    return c;
  });
  const boxes = Array.from({ length: OBJECTS }, (_, o) => {
    const col = o % 4;
    const row = Math.floor(o / 4);
    const size = [0.4 + rand() * 0.6, 0.4 + rand() * 0.6, 0.3 + rand() * 1.2];
    const min = [0.3 + col * 1.45, 0.3 + row * 1.6, 0];
    return { min, max: min.map((m, a) => m + size[a]) };
  });

  const positions = new Float32Array(count * 3);
  const codes = new Int8Array(count * components);
  const weights = new Float32Array(count);
  const features = new Float32Array(count * DIM);
  const code = new Float64Array(components);
  const objectPoints = Math.floor(count * 0.5);
  for (let i = 0; i < count; i++) {
    const o = i < objectPoints ? i % OBJECTS : OBJECTS;
    if (o === OBJECTS) positions.set([rand() * 6, rand() * 5, 0], i * 3);
    else {
      const { min, max } = boxes[o];
      const p = [0, 1, 2].map((a) => min[a] + rand() * (max[a] - min[a]));
      const face = Math.floor(rand() * 5);
      if (face < 4) p[face >> 1] = face & 1 ? max[face >> 1] : min[face >> 1];
      else p[2] = max[2];
      positions.set(p, i * 3);
    }
    let maxAbs = 0;
    for (let k = 0; k < components; k++) {
      // Irwin–Hall noise (sum of three uniforms, variance 1/4): cheap and bell-shaped enough.
      const noise = 2 * (rand() + rand() + rand() - 1.5);
      code[k] = centres[o][k] + (0.35 * noise) / Math.sqrt(components);
      maxAbs = Math.max(maxAbs, Math.abs(code[k]));
    }
    let sq = 0;
    for (let k = 0; k < components; k++) {
      const q = Math.round((code[k] / maxAbs) * 127);
      codes[i * components + k] = q;
      sq += q * q;
    }
    const w = 1 / Math.sqrt(sq);
    weights[i] = w;
    for (let k = 0; k < components; k++) {
      features[i * DIM + axes[k]] = signs[k] * codes[i * components + k] * w;
    }
  }
  const field = new PcaQ8FeatureField(
    count,
    DIM,
    components,
    basis,
    codes,
    weights,
    new Uint32Array(0),
    new Uint16Array(0),
    { components, identityBasis: false, exceptions: 0, unseen: 0, minCosine: 1, meanCosine: 1 },
  );
  const objects = boxes.map((b, o) => {
    const feature = new Float32Array(DIM);
    for (let k = 0; k < components; k++) feature[axes[k]] = signs[k] * centres[o][k];
    return { feature, ...b };
  });
  return { positions, field, features, objects };
}

/** The baseline: LERF relevancy as written, per point, from full float32 features. */
function naiveScores(
  features: Float32Array,
  count: number,
  query: Float32Array,
  negatives: Float32Array,
): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let q = 0;
    for (let d = 0; d < DIM; d++) q += features[i * DIM + d] * query[d];
    let best = Infinity;
    for (let j = 0; j < NEGATIVES; j++) {
      let n = 0;
      for (let d = 0; d < DIM; d++) n += features[i * DIM + d] * negatives[j * DIM + d];
      const p = Math.exp(10 * q) / (Math.exp(10 * q) + Math.exp(10 * n));
      if (p < best) best = p;
    }
    out[i] = best;
  }
  return out;
}

const median = (v: number[]) => summarise(v).median;

function timeIt<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

/** CPU milliseconds of this process (user + system): less disturbed than wall time on a busy box. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Timing {
  label: string;
  /** Medians over warm queries (negatives cached): total, scoring, grounding; CPU total. */
  wallMs: number;
  cpuMs: number;
  cpu: Stats;
  scoreMs: number;
  groundMs: number;
  /** A query with the negatives not cached yet: scores 5 columns (query + 4) in one pass. */
  firstWallMs: number;
  firstCpuMs: number;
  scores: Float32Array;
  iou: number;
  /** `field.similarity` alone (CPU ms, median): 1 query, and 5 at once (query + negatives). */
  similarity1CpuMs: number;
  similarity5CpuMs: number;
}

function measureKernel(
  scene: SyntheticScene,
  kernel: FieldScoringKernel,
  label: string,
  negativeSet: NegativeSet,
  repeats: number,
  target: number,
): Timing {
  scene.field.scoringKernel = kernel;
  const options = resolveQueryOptions({});
  const cache = new NegativeSimilarityCache();
  const query = scene.objects[target].feature;
  const c0 = cpuMs();
  const [first, firstWallMs] = timeIt(() =>
    groundScores(
      scorePoints(scene.field, query, negativeSet, options, cache),
      scene.positions,
      options,
    ),
  );
  const firstCpuMs = cpuMs() - c0;
  const wall: number[] = [];
  const cpu: number[] = [];
  const score: number[] = [];
  const ground: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const q = scene.objects[(target + r) % OBJECTS].feature;
    const c = cpuMs();
    const t0 = performance.now();
    const scores = scorePoints(scene.field, q, negativeSet, options, cache);
    const t1 = performance.now();
    groundScores(scores, scene.positions, options);
    const t2 = performance.now();
    cpu.push(cpuMs() - c);
    wall.push(t2 - t0);
    score.push(t1 - t0);
    ground.push(t2 - t1);
  }
  const all = new Float32Array((1 + NEGATIVES) * DIM);
  all.set(query, 0);
  all.set(negativeSet.embeddings.subarray(0, NEGATIVES * DIM), DIM);
  const similarityCpu = (columns: number) => {
    const v: number[] = [];
    for (let r = 0; r < 3; r++) {
      const c = cpuMs();
      scene.field.similarity(all, columns);
      v.push(cpuMs() - c);
    }
    return median(v);
  };
  return {
    similarity1CpuMs: similarityCpu(1),
    similarity5CpuMs: similarityCpu(1 + NEGATIVES),
    label,
    wallMs: median(wall),
    cpuMs: median(cpu),
    cpu: summarise(cpu),
    scoreMs: median(score),
    groundMs: median(ground),
    firstWallMs,
    firstCpuMs,
    scores: first.scores,
    iou: first.boxes[0] ? boxIoU(first.boxes[0], scene.objects[target]) : 0,
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function makeNegatives(): NegativeSet {
  const rand = mulberry32(7);
  const negatives = new Float32Array(NEGATIVES * DIM);
  for (let j = 0; j < NEGATIVES; j++) {
    let s = 0;
    for (let d = 0; d < DIM; d++) s += (negatives[j * DIM + d] = gaussian(rand)) ** 2;
    for (let d = 0; d < DIM; d++) negatives[j * DIM + d] /= Math.sqrt(s);
  }
  return { key: 'bench', embeddings: negatives, count: NEGATIVES };
}

/** Runs every path once on a small scene, so no row pays for compiling the shared JS code. */
function warmUp(): void {
  const scene = syntheticScene(40_000, 64, 1);
  const negativeSet = makeNegatives();
  for (const kernel of ['wasm-i16', 'wasm-f32', 'js'] as const)
    measureKernel(scene, kernel, kernel, negativeSet, 2, 0);
}

function run(count: number, components: number, repeats: number) {
  const [scene, buildMs] = timeIt(() => syntheticScene(count, components, 42));
  const negativeSet = makeNegatives();
  const negatives = negativeSet.embeddings;
  const options = resolveQueryOptions({});
  const target = 5;
  const query = scene.objects[target].feature;

  // One-time per point cloud (cached on the positions array): the cluster voxel size. Paid
  // here, untimed, so it does not land on whichever row happens to run first.
  groundScores(new Float32Array(count), scene.positions, options);
  // One-time per field: the codes into WebAssembly memory (prepareScoring; otherwise the first
  // query pays it), timed apart from the queries.
  const prepareCpu = cpuMs();
  const [ready, prepareMs] = timeIt(() => scene.field.prepareScoring());
  const prepareCpuMs = cpuMs() - prepareCpu;
  // And one untimed query, so the collection of the scene build's garbage and other one-time
  // costs do not land on the first row either.
  groundScores(
    scorePoints(scene.field, query, negativeSet, options, new NegativeSimilarityCache()),
    scene.positions,
    options,
  );
  const jsRepeats = Math.max(3, Math.ceil(repeats / 2));
  const rows = [
    measureKernel(
      scene,
      'wasm-i16',
      'wasm SIMD, int16 query (default)',
      negativeSet,
      repeats,
      target,
    ),
    measureKernel(scene, 'wasm-f32', 'wasm SIMD, float32', negativeSet, repeats, target),
    measureKernel(scene, 'js', 'JS path', negativeSet, jsRepeats, target),
  ];

  const baselineRuns = count >= 1_000_000 ? 1 : 2;
  const baseline: number[] = [];
  const baselineCpu: number[] = [];
  let naive = groundScores(new Float32Array(count), scene.positions, options);
  for (let r = 0; r < baselineRuns; r++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    naive = groundScores(
      naiveScores(scene.features, count, query, negatives),
      scene.positions,
      options,
    );
    baseline.push(performance.now() - t0);
    baselineCpu.push(cpuMs() - c0);
  }
  const naiveWall = median(baseline);
  const naiveCpu = median(baselineCpu);
  const js = rows[2];
  const naiveIou = naive.boxes[0] ? boxIoU(naive.boxes[0], scene.objects[target]) : 0;
  const f = (v: number, w = 7) => v.toFixed(1).padStart(w);
  report.log(
    `\n${count} points, K=${components} (scene built in ${(buildMs / 1000).toFixed(1)} s)` +
      `  — per warm query: wall ms [CPU ms] = scoring + grounding; first query` +
      ` with the negatives not yet cached (5 columns: query + ${NEGATIVES} negatives)`,
  );
  report.log(
    `  codes copied into WebAssembly memory once per field: ${prepareMs.toFixed(1)} ms ` +
      `[CPU ${prepareCpuMs.toFixed(1)}]${ready ? '' : ' — WebAssembly SIMD unavailable: wasm rows ran the JS path'}`,
  );
  for (const r of rows) {
    report.log(
      `  ${r.label.padEnd(34)} ${f(r.wallMs)} ms [CPU ${f(r.cpuMs)}] = ${f(r.scoreMs, 6)} + ` +
        `${f(r.groundMs, 5)}; first ${f(r.firstWallMs)} ms [CPU ${f(r.firstCpuMs)}]` +
        `  | vs JS ${(js.cpuMs / r.cpuMs).toFixed(1)}× CPU (${(js.wallMs / r.wallMs).toFixed(1)}× wall),` +
        ` first ${(js.firstCpuMs / r.firstCpuMs).toFixed(1)}× CPU` +
        `  | vs naive ${(naiveCpu / r.cpuMs).toFixed(0)}× CPU (${(naiveWall / r.wallMs).toFixed(0)}× wall)` +
        `  | similarity() alone: 1 query ${r.similarity1CpuMs.toFixed(1)} ms, 5 at once ` +
        `${r.similarity5CpuMs.toFixed(1)} ms CPU (JS ${(js.similarity1CpuMs / r.similarity1CpuMs).toFixed(1)}×, ` +
        `${(js.similarity5CpuMs / r.similarity5CpuMs).toFixed(1)}×)` +
        `  | max |Δscore| vs naive ${maxAbsDiff(r.scores, naive.scores).toExponential(1)}, top-box IoU ${r.iou.toFixed(3)}`,
    );
  }
  report.log(
    `  ${'naive float32 baseline'.padEnd(34)} ${f(naiveWall)} ms [CPU ${f(naiveCpu)}]` +
      `  | top-box IoU ${naiveIou.toFixed(3)}`,
  );
  const naiveStats = summarise(baselineCpu);
  const naiveBaseline = {
    name: 'naive per-point loops over float32 N×512 features (CPU ms)',
    ...latency(naiveStats),
  };
  const jsBaseline = { name: 'plain-JS int8 kernel, same field (CPU ms)', ...latency(js.cpu) };
  for (const r of rows) {
    report.compare({
      name: `${count} points, K=${components}: ${r.label}, warm query CPU`,
      ...latency(r.cpu),
      unit: 'ms',
      better: 'lower',
      baseline: naiveBaseline,
    });
  }
  for (const r of rows.slice(0, 2)) {
    report.compare({
      name: `${count} points, K=${components}: ${r.label}, warm query CPU`,
      ...latency(r.cpu),
      unit: 'ms',
      better: 'lower',
      baseline: jsBaseline,
    });
  }
  const wasm = rows[0];
  report.context(`${count} points: default kernel, warm query wall`, wasm.wallMs, 'ms');
  report.context(
    `${count} points: default kernel, first query (negatives not cached) CPU`,
    wasm.firstCpuMs,
    'ms',
  );
  report.context(`${count} points: codes into WebAssembly memory, once per field`, prepareMs, 'ms');
  report.context(
    `${count} points: default kernel top-box IoU`,
    wasm.iou,
    '',
    `naive ${naiveIou.toFixed(3)}`,
  );
  return { count, components, fastMs: wasm.wallMs, fastCpuMs: wasm.cpuMs, baselineMs: naiveWall };
}

const quick = report.quick;
const full = report.flag('full');
if (full) report.option('full', true);
report.log(
  `query latency, D = ${DIM}, text embedding excluded; median of warm queries (negatives cached per scene)`,
);
warmUp();
const results = [run(100_000, 64, 7)];
if (!quick) {
  results.push(run(1_000_000, 64, 5));
  if (full) results.push(run(1_000_000, 124, 3));
}
const big = results.filter((r) => r.count === 1_000_000);
if (big.length) {
  const worst = Math.max(...big.map((r) => r.fastMs));
  const worstCpu = Math.max(...big.map((r) => r.fastCpuMs));
  report.log(
    `\ntarget < 100 ms at 1M points (default kernel): ${worstCpu < 100 ? 'met' : 'NOT met'} ` +
      `(worst CPU ${worstCpu.toFixed(1)} ms, wall ${worst.toFixed(1)} ms; wall includes waiting for a busy CPU)`,
  );
}
report.finish();
