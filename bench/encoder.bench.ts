// Crops encoded per second through onnxruntime-web (wasm) and the native onnxruntime
// (onnxruntime-node, what the CLI runs by default) with 1 and 2 threads, batch 1 and 8: the
// bundled offline encoder (through OnnxClipEncoder, L2 normalisation included) and a synthetic
// ViT-B/32-shaped graph (CLIP's image-tower FLOPs, random weights, no download).
// ort-web reads the thread count once per process, so each runtime × thread count runs in a
// child process. Baseline: wasm, 1 thread, batch 1 of the same model, measured in the same run.
// The ViT runs 4 of its 12 blocks by default to keep the bench near a minute on 2 cores (the
// patch conv and projection are whole, so full-tower crops/s is a bit over a third of it);
// --full runs all 12.
// --busy n keeps n extra cores busy (a spinning child process each) while it measures: how the
// thread counts behave on a machine that is doing something else (README "Models and speed"),
// plus rows for the default thread count (cores other processes leave free, measured at start).
// Figures are medians over repeated runs (after one warm-up), in crops per second.
//   npx tsx bench/encoder.bench.ts [--quick] [--full] [--busy n] [--json]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createOrtSession,
  ensureOrtConfigured,
  ortModule,
  ortRuntime,
} from '../src/pipeline/clip/encoder/ort-runtime';
import { loadClipModel } from '../src/pipeline/clip/model-source/load-clip-model';
import { inMemoryOfflineModelSource } from '../src/pipeline/clip/model-source/offline-model-source';
import { buildSyntheticVitModel } from '../tests/pipeline/clip/onnx/synthetic-vit-graph';
import { installNodePlatform, type NodeOrtRuntimeName } from '../src/hosts/node/platform';
import { BenchReporter, rate, timeAsync, type Spread } from './report';

interface Row {
  model: string;
  runtime: NodeOrtRuntimeName;
  threads: number;
  /** The thread count was the default (not asked for). */
  auto?: boolean;
  batch: number;
  cropsPerSecond: number;
  spread: Spread;
}

const CROP = 3 * 224 * 224;
const RUNTIMES: NodeOrtRuntimeName[] = ['wasm', 'native'];

function pixels(batch: number): Float32Array {
  const data = new Float32Array(batch * CROP);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.001) * 1.5;
  return data;
}

/** Times `encode()` (one batch) for `seconds`, at least `minRuns` times, after one warm-up. */
async function measure(
  encode: () => Promise<unknown>,
  batch: number,
  seconds: number,
  minRuns: number,
) {
  const t = await timeAsync(encode, { warmup: 1, repetitions: minRuns, minSeconds: seconds });
  const r = rate(t, batch);
  return { cropsPerSecond: r.figure, spread: r.spread };
}

async function child(
  runtime: NodeOrtRuntimeName,
  threads: number | 'auto',
  quick: boolean,
  full: boolean,
): Promise<Row[]> {
  // The capabilities the CLI runs with (threads up to the cores), on the runtime asked for.
  installNodePlatform({ runtime });
  if (ortRuntime().name !== runtime)
    throw new Error(ortRuntime().diagnostic ?? `${runtime} runtime not available`);
  const settings = ensureOrtConfigured(threads === 'auto' ? {} : { numThreads: threads });
  const at = {
    runtime,
    threads: settings.numThreads,
    ...(threads === 'auto' ? { auto: true } : {}),
  };
  const rows: Row[] = [];
  const offline = await loadClipModel(inMemoryOfflineModelSource());
  for (const batch of [1, 8]) {
    const input = pixels(batch);
    const r = await measure(
      () => offline.encoder.embedImages(input, batch),
      batch,
      quick ? 0.5 : 1.5,
      3,
    );
    rows.push({ model: 'offline-colors', ...at, batch, ...r });
  }
  await offline.encoder.dispose();

  const layers = full ? 12 : quick ? 2 : 4;
  const vit = await createOrtSession(buildSyntheticVitModel({ layers }), 'synthetic_vit.onnx', {
    graphOptimizationLevel: 'all',
  });
  const { Tensor } = ortModule();
  for (const batch of [1, 8]) {
    const feed = { pixel_values: new Tensor('float32', pixels(batch), [batch, 3, 224, 224]) };
    const r = await measure(() => vit.run(feed), batch, quick ? 0.5 : 2, batch === 1 ? 2 : 1);
    const model = layers === 12 ? 'synthetic ViT-B/32' : `synthetic ViT-B/32 (${layers}/12 blocks)`;
    rows.push({ model, ...at, batch, ...r });
  }
  await vit.release();
  return rows;
}

/** `n` child processes spinning on one core each, until stopped. */
function busyCores(n: number): ChildProcess[] {
  return Array.from({ length: n }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
}

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const full = args.includes('--full');
  const childAt = args.indexOf('--child');
  if (childAt >= 0) {
    const runtime = args[childAt + 1] as NodeOrtRuntimeName;
    const threads = args[childAt + 2] === 'auto' ? 'auto' : Number(args[childAt + 2]);
    const rows = await child(runtime, threads, quick, full);
    process.stdout.write(JSON.stringify(rows) + '\n');
    process.exit(0);
  }
  const report = new BenchReporter(
    'encoder',
    'CLIP image encoder crops/s (Node): onnxruntime-web wasm vs native onnxruntime-node, 1 vs 2 threads, batch 1 vs 8',
  );
  if (full) report.option('full', true);
  const busy = Number(report.arg('busy', '0'));
  if (busy > 0) report.option('busy', busy);
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  const spinners = busyCores(busy);
  // Never leave a spinner behind, whatever ends this process.
  process.once('exit', () => spinners.forEach((s) => s.kill()));
  try {
    for (const runtime of RUNTIMES) {
      for (const threads of busy > 0 ? ['1', '2', 'auto'] : ['1', '2']) {
        report.log(`encoder bench: ${runtime}, ${threads} thread(s)...`);
        let out: string;
        try {
          out = execFileSync(
            process.execPath,
            [
              '--import',
              'tsx',
              self,
              '--child',
              runtime,
              threads,
              ...args.filter((a) => a === '--quick' || a === '--full'),
            ],
            { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
          );
        } catch (err) {
          // No onnxruntime-node on this machine: the wasm rows still stand.
          if (runtime === 'native') {
            report.skip(`native runtime: ${(err as Error).message.split('\n')[0]}`);
            break;
          }
          throw err;
        }
        rows.push(...(JSON.parse(out.trim().split('\n').at(-1)!) as Row[]));
      }
    }
  } finally {
    for (const s of spinners) s.kill();
  }
  for (const row of rows) {
    const base = rows.find(
      (r) =>
        r.model === row.model &&
        r.runtime === 'wasm' &&
        r.threads === 1 &&
        !r.auto &&
        r.batch === 1,
    )!;
    if (row === base) continue;
    report.compare({
      name: `${row.model}, ${row.runtime}, ${row.auto ? 'default: ' : ''}${row.threads} thread(s), batch ${row.batch}`,
      figure: row.cropsPerSecond,
      spread: row.spread,
      unit: 'crops/s',
      better: 'higher',
      baseline: {
        name: `${base.model}, wasm, 1 thread, batch 1`,
        figure: base.cropsPerSecond,
        spread: base.spread,
      },
    });
  }
  report.finish();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
