/**
 * Per-scene overhead of `batch` over a direct `extract` on the same scenes, same run: a generated
 * dataset (demo-room bundles and a 7-Scenes folder; tests/cli/batch-dataset.ts),
 * offline encoder, `--detail coarse`. The baseline is extract's own code path (runExtract) called
 * once per scene with one model loaded for the loop, which is what batch does per shard; batch
 * adds discovery, the shard plan, input keys, a temporary folder per scene, the status file and
 * the rename. Repetitions alternate which of the two runs first; each figure is the median
 * seconds per scene. Target: batch within 5 % of the baseline (ratio ≥ 0.95).
 * Context: a rerun of the finished dataset (every scene skipped) and `cli extract` per scene
 * (the model loaded per call, as a shell loop over extract would).
 * Run: npx tsx bench/batch.bench.ts [--quick] [--json] [--scenes n] [--reps n]
 *   (--quick: 4 scenes, 5 repetitions; default 8 scenes, 7 repetitions)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installNodePlatform } from '../src/hosts/node/platform';
import { runCli } from '../src/cli/cli';
import type { CliIo } from '../src/cli/command';
import { runExtract, type ExtractModelProvider } from '../src/cli/commands/extract';
import type { LoadedClipModel } from '../src/pipeline/clip/model-source/load-clip-model';
import { writeBatchDataset } from '../tests/cli/batch-dataset';
import { BenchReporter, summarise } from './report';

installNodePlatform();

const report = new BenchReporter('batch', 'batch: per-scene overhead over a direct extract');
const scenes = Number(report.arg('scenes', report.quick ? '4' : '8'));
const reps = Number(report.arg('reps', report.quick ? '5' : '7'));
report.option('scenes', scenes);
report.option('reps', reps);
report.option('detail', 'coarse');
report.option('model', 'offline');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'batch-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const dataset = path.join(tmp, 'dataset');
// Demo rooms of 6 views at 160×120 (about 1 s each with the offline encoder) and one small
// RGB-D folder: scenes large enough that run-to-run noise does not swamp a few milliseconds.
const names = await writeBatchDataset(dataset, {
  broken: false,
  rooms: scenes - 1,
  rgbd: 1,
  roomViews: 6,
  roomWidth: 160,
});
const FLAGS = { model: 'offline', detail: 'coarse' } as const;

const silent: CliIo = { json: true, progress: () => {}, warn: () => {} };
const quiet = { stdout: { write: () => true }, stderr: { write: () => true }, isTty: false };

class OneModel implements ExtractModelProvider {
  model?: Promise<LoadedClipModel>;
  get(load: () => Promise<LoadedClipModel>) {
    return (this.model ??= load());
  }
}

interface PerScene {
  wall: number;
  cpu: number;
}

/** Wall and CPU (user + system, all threads) seconds per scene of `fn`. */
async function perScene(fn: () => Promise<void>): Promise<PerScene> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return {
    wall: (performance.now() - t0) / 1000 / names.length,
    cpu: (c.user + c.system) / 1e6 / names.length,
  };
}

let run = 0;
/** extract's code path per scene, one model for the loop. */
async function direct(): Promise<PerScene> {
  const out = path.join(tmp, `direct-${run++}`);
  const t = await perScene(async () => {
    const provider = new OneModel();
    for (const name of names) {
      const flags = { ...FLAGS, out: path.join(out, name) };
      await runExtract({ positionals: [path.join(dataset, name)], flags }, silent, provider);
    }
    await (await provider.model)?.encoder.dispose();
  });
  rmSync(out, { recursive: true, force: true });
  return t;
}

async function batch(out: string): Promise<PerScene> {
  return perScene(async () => {
    const args = ['batch', dataset, '--out', out, '--model', 'offline', '--detail', 'coarse'];
    const code = await runCli(args, quiet);
    if (code !== 0) throw new Error(`batch exited ${code}`);
  });
}

// Warm-up: one direct run over the dataset (JIT, file cache).
await direct();
const batchRuns: PerScene[] = [];
const directRuns: PerScene[] = [];
const skipRuns: PerScene[] = [];
/** batch's own wall time per scene: its run minus the extract time inside it (status files). */
const ownMs: number[] = [];
const ownShare: number[] = [];
function batchOwnTime(out: string, run: PerScene) {
  let extractS = 0;
  for (const name of names) {
    const status = JSON.parse(readFileSync(path.join(out, name, 'batch-scene.json'), 'utf8')) as {
      extract: { timingsS: { total: number } };
    };
    extractS += status.extract.timingsS.total;
  }
  const own = run.wall * names.length - extractS;
  ownMs.push((own / names.length) * 1000);
  ownShare.push(own / extractS);
}
for (let r = 0; r < reps; r++) {
  const out = path.join(tmp, `batch-${r}`);
  if (r % 2 === 0) {
    directRuns.push(await direct());
    batchRuns.push(await batch(out));
  } else {
    batchRuns.push(await batch(out));
    directRuns.push(await direct());
  }
  batchOwnTime(out, batchRuns[r]);
  skipRuns.push(await batch(out));
  rmSync(out, { recursive: true, force: true });
  report.log(
    `rep ${r + 1}/${reps}: direct ${directRuns[r].cpu.toFixed(3)} CPU s/scene ` +
      `(${directRuns[r].wall.toFixed(3)} s wall), batch ${batchRuns[r].cpu.toFixed(3)} CPU s/scene ` +
      `(${batchRuns[r].wall.toFixed(3)} s wall)`,
  );
}

const spread = (s: ReturnType<typeof summarise>) => ({
  samples: s.samples,
  min: s.min,
  max: s.max,
});
for (const key of ['cpu', 'wall'] as const) {
  const b = summarise(batchRuns.map((x) => x[key]));
  const d = summarise(directRuns.map((x) => x[key]));
  // Paired per repetition (each pair ran back to back): less exposed to drift in the load.
  const paired = summarise(batchRuns.map((x, i) => x[key] / directRuns[i][key] - 1));
  report.compare({
    name: `batch, ${names.length} scenes in one shard (${key === 'cpu' ? 'CPU' : 'wall'} time)`,
    figure: b.median,
    spread: spread(b),
    unit: key === 'cpu' ? 'CPU s/scene' : 's/scene',
    better: 'lower',
    baseline: {
      name: 'extract code path per scene (one model for the loop)',
      figure: d.median,
      spread: spread(d),
    },
    note:
      `overhead ${((b.median / d.median - 1) * 100).toFixed(1)} % of medians, ` +
      `${(paired.median * 100).toFixed(1)} % paired (target < 5 %)`,
  });
  report.context(`batch overhead per scene, ${key}, paired median`, paired.median * 100, '%');
}
report.context(
  "batch's own time per scene (its wall time minus extract's inside it)",
  summarise(ownMs).median,
  'ms/scene',
  `${(summarise(ownShare).median * 100).toFixed(2)} % of extract's time; discovery, shard record, input keys, temp folder, status file, rename`,
);
report.context(
  'rerun, every scene finished (skip check)',
  summarise(skipRuns.map((x) => x.wall)).median * 1000,
  'ms/scene',
);

// `cli extract` per scene: the model loaded for each call.
const perCall = await perScene(async () => {
  for (const name of names) {
    const out = path.join(tmp, 'cli', name);
    const args = ['extract', path.join(dataset, name), '--model', 'offline', '--detail', 'coarse'];
    const code = await runCli([...args, '--out', out], quiet);
    if (code !== 0) throw new Error(`extract exited ${code}`);
  }
});
report.context('cli extract per scene (model loaded per call)', perCall.cpu, 'CPU s/scene');
report.finish();
