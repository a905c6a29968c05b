// Crops encoded per second through onnxruntime-web (wasm) with 1 and 2 threads, batch 1 and 8:
// the bundled offline encoder (through OnnxClipEncoder, L2 normalisation included) and a
// synthetic ViT-B/32-shaped graph (CLIP's image-tower FLOPs, random weights, no download).
// ort reads the thread count once per process, so each thread count runs in a child process.
// Baseline: 1 thread, batch 1 of the same model, measured in the same run.
// The ViT runs 4 of its 12 blocks by default to keep the bench near a minute on 2 cores (the
// patch conv and projection are whole, so full-tower crops/s is a bit over a third of it);
// --full runs all 12.
// Figures are medians over repeated runs (after one warm-up), in crops per second.
//   npx tsx bench/encoder.bench.ts [--quick] [--full] [--json]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { ensureOrtConfigured } from '../src/pipeline/clip/encoder/ort-runtime';
import { loadClipModel } from '../src/pipeline/clip/model-source/load-clip-model';
import { inMemoryOfflineModelSource } from '../src/pipeline/clip/model-source/offline-model-source';
import { buildSyntheticVitModel } from '../tests/pipeline/clip/onnx/synthetic-vit-graph';
import { installNodePlatform } from '../src/hosts/node/platform';
import { BenchReporter, rate, timeAsync, type Spread } from './report';

// The capabilities the CLI runs with (wasm threads up to the cores, Node's model cache).
installNodePlatform();

interface Row {
  model: string;
  threads: number;
  batch: number;
  cropsPerSecond: number;
  spread: Spread;
}

const CROP = 3 * 224 * 224;

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

async function child(threads: number, quick: boolean, full: boolean): Promise<Row[]> {
  const settings = ensureOrtConfigured({ numThreads: threads });
  const rows: Row[] = [];
  const offline = await loadClipModel(inMemoryOfflineModelSource(), {
    executionProviders: ['wasm'],
  });
  for (const batch of [1, 8]) {
    const input = pixels(batch);
    const r = await measure(
      () => offline.encoder.embedImages(input, batch),
      batch,
      quick ? 0.5 : 1.5,
      3,
    );
    rows.push({ model: 'offline-colors', threads: settings.numThreads, batch, ...r });
  }
  await offline.encoder.dispose();

  const layers = full ? 12 : quick ? 2 : 4;
  const vit = await ort.InferenceSession.create(buildSyntheticVitModel({ layers }), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  for (const batch of [1, 8]) {
    const feed = { pixel_values: new ort.Tensor('float32', pixels(batch), [batch, 3, 224, 224]) };
    const r = await measure(() => vit.run(feed), batch, quick ? 0.5 : 2, batch === 1 ? 2 : 1);
    const model = layers === 12 ? 'synthetic ViT-B/32' : `synthetic ViT-B/32 (${layers}/12 blocks)`;
    rows.push({ model, threads: settings.numThreads, batch, ...r });
  }
  await vit.release();
  return rows;
}

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const full = args.includes('--full');
  const childAt = args.indexOf('--child');
  if (childAt >= 0) {
    const rows = await child(Number(args[childAt + 1]), quick, full);
    process.stdout.write(JSON.stringify(rows) + '\n');
    process.exit(0);
  }
  const report = new BenchReporter(
    'encoder',
    'CLIP image encoder crops/s, onnxruntime-web wasm (Node), 1 vs 2 threads, batch 1 vs 8',
  );
  if (full) report.option('full', true);
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  for (const threads of [1, 2]) {
    report.log(`encoder bench: ${threads} thread(s)...`);
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        self,
        '--child',
        String(threads),
        ...args.filter((a) => a === '--quick' || a === '--full'),
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    rows.push(...(JSON.parse(out.trim().split('\n').at(-1)!) as Row[]));
  }
  for (const row of rows) {
    const base = rows.find((r) => r.model === row.model && r.threads === 1 && r.batch === 1)!;
    if (row === base) continue;
    report.compare({
      name: `${row.model}, ${row.threads} thread(s), batch ${row.batch}`,
      figure: row.cropsPerSecond,
      spread: row.spread,
      unit: 'crops/s',
      better: 'higher',
      baseline: {
        name: `${base.model}, 1 thread, batch 1`,
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
