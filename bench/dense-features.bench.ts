/**
 * Dense one-pass features vs crop tiles (issue 13), for a 100-view 640×480 scan with a full-size
 * ViT-B/32 (12 blocks, random weights, Hugging Face layout exported by torch.onnx.export: the
 * layout of the hub's files). Same run, same model, same runtime:
 *   - encoder calls per scan: crops ('standard' tiling, global included) vs dense windows
 *     (336-px short side, stride 112);
 *   - encoder seconds per call, measured on real batches (crops: image_embeds; dense: the
 *     stream output plus the rewritten last block, ClearCLIP), times the calls per scan;
 *   - native (onnxruntime-node) vs wasm (onnxruntime-web) images/s on the same model.
 * Preprocessing and fusion are not encoder time (they are the same order for both and small).
 * Whole-scan seconds are the measured per-call time times the calls: running 23,000 crops on wasm
 * would take hours. The model (~350 MB) is built once by tests/oracles/clip_vision_torch.py
 * (needs python3 with torch) into $BENCH_VIT_DIR or the temp folder.
 *
 *   npx tsx bench/dense-features.bench.ts [--quick] [--json] [--runtimes native,wasm] [--threads 2]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureOrtConfigured, ortRuntime } from '../src/pipeline/clip/encoder/ort-runtime';
import { FEATURE_DEFAULTS, FEATURE_DETAIL_PRESETS } from '../src/pipeline/defaults';
import { planDenseWindows, windowCount } from '../src/pipeline/features/dense/window-layout';
import { planCrops } from '../src/pipeline/features/pixel-features';
import { installNodePlatform, type NodeOrtRuntimeName } from '../src/hosts/node/platform';
import { loadNodeClipModel } from '../src/hosts/node/model-spec';
import { findPython } from '../tests/oracles/python';
import {
  FULL_B32,
  TORCH_CLIP_MODULES,
  torchClipFixture,
} from '../tests/pipeline/clip/dense/torch-clip-fixture';
import { BenchReporter, timeAsync, type Spread } from './report';

const VIEWS = 100;
const WIDTH = 640;
const HEIGHT = 480;
const WINDOW = 3 * 224 * 224;

interface ChildRow {
  runtime: NodeOrtRuntimeName;
  threads: number;
  /** Seconds per image, median over repeated batches, and the spread. */
  cropSeconds: number;
  cropSpread: Spread;
  denseSeconds: number;
  denseSpread: Spread;
  denseMethod: string;
  grid: [number, number];
}

function pixels(batch: number): Float32Array {
  const data = new Float32Array(batch * WINDOW);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.0007) * 1.5;
  return data;
}

async function child(folder: string, runtime: NodeOrtRuntimeName, threads: number, quick: boolean) {
  installNodePlatform({ runtime });
  if (ortRuntime().name !== runtime)
    throw new Error(ortRuntime().diagnostic ?? `${runtime} runtime not available`);
  ensureOrtConfigured({ numThreads: threads });
  const model = await loadNodeClipModel(folder, { numThreads: threads });
  const dense = model.encoder.dense;
  if (!dense) throw new Error(`no dense features: ${model.encoder.denseUnavailable}`);
  const batch = 6;
  const input = pixels(batch);
  const options = { warmup: 1, repetitions: quick ? 2 : 3, minSeconds: quick ? 1 : 4 };
  const crops = await timeAsync(() => model.encoder.embedImages(input, batch), options);
  const windows = await timeAsync(() => dense.embedPatches(input, batch), options);
  const per = (ms: number) => ms / 1000 / batch;
  const row: ChildRow = {
    runtime,
    threads,
    cropSeconds: per(crops.median),
    cropSpread: { samples: crops.samples, min: per(crops.min), max: per(crops.max) },
    denseSeconds: per(windows.median),
    denseSpread: { samples: windows.samples, min: per(windows.min), max: per(windows.max) },
    denseMethod: dense.method,
    grid: [dense.grid.rows, dense.grid.cols],
  };
  await model.encoder.dispose();
  return row;
}

function buildModel(report: BenchReporter): string | undefined {
  const dir = process.env.BENCH_VIT_DIR ?? path.join(os.tmpdir(), 'scene3d-bench-vit-b32');
  const folder = path.join(dir, 'opset17');
  if (existsSync(path.join(folder, 'onnx', 'vision_model.onnx'))) return folder;
  const { oracle, reason } = findPython(TORCH_CLIP_MODULES);
  if (!oracle) {
    report.skip(`no torch to build the ViT-B/32 (${reason})`);
    return undefined;
  }
  report.log(`building a random-weight ViT-B/32 in ${dir} (once)...`);
  const fixture = torchClipFixture(oracle, FULL_B32, dir);
  return fixture.folders.get(17);
}

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const childAt = args.indexOf('--child');
  if (childAt >= 0) {
    const [folder, runtime, threads] = args.slice(childAt + 1, childAt + 4);
    const row = await child(folder, runtime as NodeOrtRuntimeName, Number(threads), quick);
    process.stdout.write(JSON.stringify(row) + '\n');
    process.exit(0);
  }
  const report = new BenchReporter(
    'dense-features',
    `encoder cost of a ${VIEWS}-view ${WIDTH}×${HEIGHT} scan, full ViT-B/32: dense one-pass windows vs 'standard' crops`,
  );
  const threads = Number(report.arg('threads', '2'));
  const runtimes = report.arg('runtimes', 'native,wasm').split(',') as NodeOrtRuntimeName[];
  report.option('threads', threads);
  const folder = buildModel(report);
  if (!folder) return report.finish();

  const cropsPerView = 1 + planCrops(WIDTH, HEIGHT, FEATURE_DETAIL_PRESETS.standard).rects.length;
  const self = fileURLToPath(import.meta.url);
  const rows: ChildRow[] = [];
  for (const runtime of runtimes) {
    report.log(`dense-features bench: ${runtime}, ${threads} thread(s)...`);
    try {
      const out = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          self,
          '--child',
          folder,
          runtime,
          String(threads),
          ...(quick ? ['--quick'] : []),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
      );
      rows.push(JSON.parse(out.trim().split('\n').at(-1)!) as ChildRow);
    } catch (err) {
      if (runtime === 'native') {
        report.skip(`native runtime: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
      throw err;
    }
  }
  for (const row of rows) {
    const grid = { rows: row.grid[0], cols: row.grid[1], patch: 224 / row.grid[0] };
    const windowsPerView = windowCount(
      planDenseWindows(WIDTH, HEIGHT, grid, {
        shortSide: FEATURE_DEFAULTS.denseShortSide,
        stride: FEATURE_DEFAULTS.denseStride,
      }),
    );
    const at = `${row.runtime}, ${row.threads} thread(s)`;
    report.compare({
      name: `encoder calls per view, dense (${row.denseMethod})`,
      figure: windowsPerView,
      unit: 'calls/view',
      better: 'lower',
      baseline: { name: "crops ('standard' tiling)", figure: cropsPerView },
    });
    const scale = (s: Spread, calls: number): Spread => ({
      samples: s.samples,
      min: s.min * calls,
      max: s.max * calls,
    });
    const denseCalls = windowsPerView * VIEWS;
    const cropCalls = cropsPerView * VIEWS;
    report.compare({
      name: `encoder seconds per scan, dense, ${at} (${denseCalls} calls × ${row.denseSeconds.toFixed(4)} s)`,
      figure: row.denseSeconds * denseCalls,
      spread: scale(row.denseSpread, denseCalls),
      unit: 's/scan',
      better: 'lower',
      baseline: {
        name: `crops, ${at} (${cropCalls} calls × ${row.cropSeconds.toFixed(4)} s)`,
        figure: row.cropSeconds * cropCalls,
        spread: scale(row.cropSpread, cropCalls),
      },
    });
  }
  const wasm = rows.find((r) => r.runtime === 'wasm');
  const native = rows.find((r) => r.runtime === 'native');
  if (wasm && native) {
    for (const kind of ['crop', 'dense'] as const) {
      const s = (r: ChildRow) => (kind === 'crop' ? r.cropSeconds : r.denseSeconds);
      report.compare({
        name: `${kind === 'crop' ? 'crop images' : 'dense windows'}/s, native, ${threads} thread(s)`,
        figure: 1 / s(native),
        unit: 'images/s',
        better: 'higher',
        baseline: { name: `wasm, ${threads} thread(s)`, figure: 1 / s(wasm) },
      });
    }
  }
  report.finish();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
