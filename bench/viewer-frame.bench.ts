/**
 * Viewer frame time and heatmap updates in real Chromium (playwright-core, Debian Chromium).
 * Figure: applying a heatmap to the point cloud in place; baseline: rebuilding the geometry with
 * the new colours, measured in the same page (mean ms over --reps).
 *
 * NOTE: this machine has no GPU. WebGL runs on SwiftShader, a CPU rasteriser, so absolute frame
 * times are far slower than on any laptop GPU; the ratio between applying a heatmap in place and
 * rebuilding the geometry (the baseline, measured in the same run) is what carries over.
 * Needs a production build (built here if dist/ is missing or stale) and /usr/bin/chromium.
 *
 *   npx tsx bench/viewer-frame.bench.ts [--quick] [--json] [--points 100000,1000000]
 *     [--frames 5] [--reps 5]        (--quick: 100k points, 3 frames, 3 reps)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasChromium, launchBrowser, startPreview } from '../tests/e2e/harness';
import { BenchReporter } from './report';

const report = new BenchReporter(
  'viewer-frame',
  'viewer heatmap update vs geometry rebuild, Chromium + SwiftShader (not a GPU)',
);
const sizes = report
  .arg('points', report.quick ? '100000' : '100000,1000000')
  .split(',')
  .map(Number);
const frames = Number(report.arg('frames', report.quick ? '3' : '5'));
const reps = Number(report.arg('reps', report.quick ? '3' : '5'));
report.option('points', sizes.join(','));
report.option('frames', frames);
report.option('reps', reps);

if (!hasChromium) {
  report.skip('viewer: /usr/bin/chromium is missing');
  report.finish();
  process.exit(0);
}

// Build first in a child whose stdout goes to stderr (vite and npm print progress), so that
// stdout carries only the report; startPreview then finds dist/ up to date.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--eval',
    "import('./tests/e2e/harness.ts').then((m) => m.ensureBuilt()).catch((e) => { console.error(e); process.exit(1); })",
  ],
  { cwd: repoRoot, stdio: ['ignore', 2, 2] },
);
if (build.status !== 0) throw new Error(`building the app failed (status ${build.status})`);

const preview = await startPreview();
const browser = await launchBrowser();
try {
  const { page } = browser;
  await page.goto(`${preview.url}?bench`);
  await page.waitForFunction(
    () => !!window.__viewerBench && window.__app.status === 'ready',
    null,
    {
      timeout: 120_000,
    },
  );
  const renderer = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
  });
  report.option('renderer', renderer);
  report.log(`renderer: ${renderer}`);
  report.log('(SwiftShader is a CPU rasteriser, not a GPU: compare the ratios, not the ms)');
  report.log('Heatmap/rebuild: CPU work + upload to the GPU, excluding the draw itself.');
  for (const n of sizes) {
    await page.evaluate((count) => window.__viewerBench!.setCloud(count), n);
    const frame = await page.evaluate((k) => window.__viewerBench!.frameMs(k), frames);
    const heat = await page.evaluate((r) => window.__viewerBench!.heatmapMs(r), reps);
    const rebuild = await page.evaluate((r) => window.__viewerBench!.rebuildMs(r), reps);
    report.compare({
      name: `${n} points: heatmap applied in place`,
      figure: heat,
      unit: 'ms',
      better: 'lower',
      baseline: { name: 'rebuilding the geometry (new buffers), same scores', figure: rebuild },
      note: `mean of ${reps}`,
    });
    report.context(`${n} points: frame time (SwiftShader)`, frame, 'ms', `mean of ${frames}`);
  }
  if (browser.errors.length) report.log('browser errors:', browser.errors.join('\n'));
} finally {
  await browser.close();
  await preview.stop();
}
report.finish();
