// Query latency without the text embedding (scoring + threshold + clustering + boxes) at 100k
// and 1M points, D = 512, on a synthetic room whose features cluster by object, stored in the
// compact feature field (pca-q8, built directly: encoding 1M×512 floats here would take minutes).
// Baseline from the same run: full float32 features (N×512) scored with naive per-point loops
// (LERF's formula with exp, one dot product per query and negative), then the same grounding.
//   npx tsx bench/query.bench.ts [--quick] [--full]
//   (--quick: 100k only; --full: also K = 124, the largest basis the field picks below D)
import { PcaQ8FeatureField } from '../src/pipeline/features/feature-field';
import { resolveQueryOptions, groundScores } from '../src/pipeline/query/ground';
import {
  NegativeSimilarityCache,
  scorePoints,
  type NegativeSet,
} from '../src/pipeline/query/relevancy';
import { boxIoU } from '../src/pipeline/query/iou';

const DIM = 512;
const OBJECTS = 12;
const NEGATIVES = 4;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

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

function run(count: number, components: number, repeats: number) {
  const [scene, buildMs] = timeIt(() => syntheticScene(count, components, 42));
  const rand = mulberry32(7);
  const negatives = new Float32Array(NEGATIVES * DIM);
  for (let j = 0; j < NEGATIVES; j++) {
    let s = 0;
    for (let d = 0; d < DIM; d++) s += (negatives[j * DIM + d] = gaussian(rand)) ** 2;
    for (let d = 0; d < DIM; d++) negatives[j * DIM + d] /= Math.sqrt(s);
  }
  const negativeSet: NegativeSet = { key: 'bench', embeddings: negatives, count: NEGATIVES };
  const options = resolveQueryOptions({});
  const cache = new NegativeSimilarityCache();
  const target = 5;
  const query = scene.objects[target].feature;

  // Cold: the first query of a scene also scores the negatives and sizes the cluster voxel.
  const [cold, coldMs] = timeIt(() =>
    groundScores(
      scorePoints(scene.field, query, negativeSet, options, cache),
      scene.positions,
      options,
    ),
  );
  const warm: number[] = [];
  const warmCpu: number[] = [];
  const scoreOnly: number[] = [];
  let result = cold;
  for (let r = 0; r < repeats; r++) {
    const q = scene.objects[(target + r) % OBJECTS].feature;
    const c0 = cpuMs();
    const t0 = performance.now();
    const scores = scorePoints(scene.field, q, negativeSet, options, cache);
    const t1 = performance.now();
    const grounded = groundScores(scores, scene.positions, options);
    const t2 = performance.now();
    warmCpu.push(cpuMs() - c0);
    warm.push(t2 - t0);
    scoreOnly.push(t1 - t0);
    if (r === 0) result = grounded;
  }
  const baselineRuns = count >= 1_000_000 ? 1 : 2;
  const baseline: number[] = [];
  const baselineCpu: number[] = [];
  let naive = cold;
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
  let maxDiff = 0;
  for (let i = 0; i < count; i++)
    maxDiff = Math.max(maxDiff, Math.abs(result.scores[i] - naive.scores[i]));
  const iouFast = result.boxes[0] ? boxIoU(result.boxes[0], scene.objects[target]) : 0;
  const iouNaive = naive.boxes[0] ? boxIoU(naive.boxes[0], scene.objects[target]) : 0;
  const fast = median(warm);
  const slow = median(baseline);
  console.log(
    `${String(count).padStart(9)} points  K=${String(components).padEnd(3)} ` +
      `query ${fast.toFixed(1).padStart(7)} ms (score ${median(scoreOnly).toFixed(1)} ms, ` +
      `first query of the scene ${coldMs.toFixed(1)} ms)  | naive float32 baseline ` +
      `${slow.toFixed(1).padStart(8)} ms  → ${(slow / fast).toFixed(1)}× faster` +
      `  [CPU time: ${median(warmCpu).toFixed(1)} ms vs ${median(baselineCpu).toFixed(1)} ms]` +
      `  | max |Δscore| ${maxDiff.toExponential(1)}, top-box IoU ${iouFast.toFixed(3)} vs baseline ${iouNaive.toFixed(3)}` +
      `  (scene built in ${(buildMs / 1000).toFixed(1)} s)`,
  );
  return { count, components, fastMs: fast, fastCpuMs: median(warmCpu), baselineMs: slow };
}

const quick = process.argv.includes('--quick');
const full = process.argv.includes('--full');
console.log(
  `query latency, D = ${DIM}, text embedding excluded; median of warm queries (negatives cached per scene)`,
);
const rows = [run(100_000, 64, 7)];
if (!quick) {
  rows.push(run(1_000_000, 64, 5));
  if (full) rows.push(run(1_000_000, 124, 3));
}
const big = rows.filter((r) => r.count === 1_000_000);
if (big.length) {
  const worst = Math.max(...big.map((r) => r.fastMs));
  const worstCpu = Math.max(...big.map((r) => r.fastCpuMs));
  console.log(
    `target < 100 ms at 1M points: ${worst < 100 ? 'met' : 'NOT met'} (worst wall ${worst.toFixed(1)} ms, ` +
      `CPU ${worstCpu.toFixed(1)} ms; wall time includes waiting for a busy CPU)`,
  );
}
