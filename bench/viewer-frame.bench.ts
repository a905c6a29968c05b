/**
 * Viewer frame time and heatmap updates in real Chromium (playwright-core, Debian Chromium).
 *
 * NOTE: this machine has no GPU. WebGL runs on SwiftShader, a CPU rasteriser, so absolute frame
 * times are far slower than on any laptop GPU; the ratio between applying a heatmap in place and
 * rebuilding the geometry (the baseline, measured in the same run) is what carries over.
 *
 *   npx tsx bench/viewer-frame.bench.ts [--points 100000,1000000] [--frames 5] [--reps 3]
 */
import { launchBrowser, startPreview } from '../tests/e2e/harness';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sizes = arg('points', '100000,1000000').split(',').map(Number);
const frames = Number(arg('frames', '5'));
const reps = Number(arg('reps', '5'));

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
  console.log(`renderer: ${renderer}`);
  console.log('(SwiftShader is a CPU rasteriser, not a GPU: compare the ratios, not the ms)');
  console.log('Heatmap/rebuild columns: CPU work + upload to the GPU, excluding the draw itself.');
  console.log(
    'points      frame ms   heatmap in place ms   rebuild geometry ms (baseline)   speed-up',
  );
  for (const n of sizes) {
    await page.evaluate((count) => window.__viewerBench!.setCloud(count), n);
    const frame = await page.evaluate((k) => window.__viewerBench!.frameMs(k), frames);
    const heat = await page.evaluate((r) => window.__viewerBench!.heatmapMs(r), reps);
    const rebuild = await page.evaluate((r) => window.__viewerBench!.rebuildMs(r), reps);
    console.log(
      `${n.toLocaleString('en').padEnd(11)} ${frame.toFixed(1).padStart(8)}   ${heat
        .toFixed(1)
        .padStart(19)}   ${rebuild.toFixed(1).padStart(30)}   ${(rebuild / heat).toFixed(2)}x`,
    );
  }
  if (browser.errors.length) console.log('browser errors:', browser.errors);
} finally {
  await browser.close();
  await preview.stop();
}
