/**
 * Makes the README's screenshot on a real scan: opens ICL-NUIM living room 1 (../shared) in
 * Chromium through the folder input, extracts features from every 10th view with the offline
 * encoder, runs a query, and saves the viewer's own "Screenshot (.png)" export (labels and
 * legend included) as docs/screenshot.png.
 *
 *   npx tsx scripts/readme-screenshot.ts [--query white] [--out docs/screenshot.png]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppSnapshot } from '../src/viewer/app-snapshot';
import { launchBrowser, repoRoot, sharedRoot, startPreview } from '../tests/e2e/harness';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const folder = path.join(sharedRoot, 'data', 'icl-nuim-livingroom1');
if (!existsSync(path.join(folder, 'trajectory.log'))) {
  console.error(`readme-screenshot: ${folder} is missing`);
  process.exit(1);
}
const queries = flag('query', 'white,brown,black,grey').split(',');
const out = path.resolve(repoRoot, flag('out', 'docs/screenshot.png'));

const preview = await startPreview();
const browser = await launchBrowser();
try {
  const { page } = browser;
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(preview.url);
  await page.waitForFunction(() => window.__app?.status === 'ready' && window.__app.pointCount > 0);
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.waitForFunction(
    () => window.__app?.scene?.info.format === 'redwood' && window.__app.status === 'ready',
    null,
    { timeout: 600_000 },
  );
  await page.getByLabel('Frame stride').fill('10');
  await page.getByRole('button', { name: 'Extract features' }).click();
  await page.waitForFunction(
    () => window.__app.extraction !== undefined && window.__app.status === 'ready',
    null,
    { timeout: 1_200_000 },
  );
  let chosen: AppSnapshot | undefined;
  for (const q of queries) {
    await page.getByTestId('query-input').fill(q);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(
      (text) => window.__app.lastQuery?.text === text && window.__app.status === 'ready',
      q,
    );
    const app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    console.log(`query "${q}": ${app.results.length} boxes`);
    if (app.results.length >= 2) {
      chosen = app;
      break;
    }
  }
  if (!chosen) throw new Error(`none of ${queries.join(', ')} gave two boxes`);
  await page.getByLabel('Camera frusta').uncheck();
  await page.waitForFunction(
    () => document.querySelectorAll('.box-labels [data-placed="true"]').length > 0,
  );
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Screenshot (.png)' }).click();
  await (await download).saveAs(out);
  console.log(
    `wrote ${path.relative(repoRoot, out)}: "${chosen.lastQuery!.text}", ${chosen.results.length} boxes`,
  );
} finally {
  await browser.close();
  await preview.stop();
}
