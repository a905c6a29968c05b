import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { encodeBoxToTokens } from '../../src/tokens';
import { countForegroundPixels, hasChromium, repoRoot, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

const BACKGROUND: [number, number, number] = [0x14, 0x17, 0x1c];

type Box = { min: number[]; max: number[] };

/** Axis-aligned 3D IoU (ScanRefer's definition), written out here as the test's own truth. */
function iou(a: Box, b: Box): number {
  let inter = 1;
  for (let k = 0; k < 3; k++) {
    inter *= Math.max(0, Math.min(a.max[k], b.max[k]) - Math.max(a.min[k], b.min[k]));
  }
  const vol = (x: Box) => (x.max[0] - x.min[0]) * (x.max[1] - x.min[1]) * (x.max[2] - x.min[2]);
  return inter / (vol(a) + vol(b) - inter);
}

/** Shape from a .npy v1/v2 header ("'shape': (N, 3)"). */
function npyShape(bytes: Uint8Array): number[] {
  const header = new TextDecoder().decode(bytes.subarray(0, 256));
  const m = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!m) throw new Error('no shape in npy header');
  return m[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
}

describe.skipIf(!hasChromium)('demo room: extract, query, tokens, export', () => {
  const session = useAppSession();

  it('grounds "red" to the red object and exports what it shows', async () => {
    const { page } = session.browser;
    const snapshot = async () => (await page.evaluate(() => window.__app)) as AppSnapshot;
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await page.waitForFunction(
      () => window.__app?.scene?.id === 'demo-room' && window.__app.status === 'ready',
      null,
      { timeout: 120_000 },
    );
    const opened = await snapshot();
    expect(opened.scene!.frameCount).toBeGreaterThanOrEqual(24);
    const red = opened.scene!.objects.find((o) => o.colorName === 'red');
    expect(red, 'the demo room has a red object').toBeDefined();

    // Extract with the offline encoder (every 2nd view keeps CI quick); sample the progress bar.
    await page.getByLabel('Frame stride').fill('2');
    await page.getByRole('button', { name: 'Extract features' }).click();
    const seen = new Set<number>();
    const deadline = Date.now() + 400_000;
    for (;;) {
      const state = await page.evaluate(() => {
        const bar = document.querySelector<HTMLProgressElement>('[data-testid="extract-progress"]');
        return {
          value: bar?.position ?? -1,
          done: !!window.__app.extraction,
          status: window.__app.status,
        };
      });
      if (state.value >= 0) seen.add(Math.round(state.value * 1000));
      if (state.done && state.status === 'ready') break;
      if (Date.now() > deadline) throw new Error('extraction did not finish in 400 s');
      await page.waitForTimeout(100);
    }
    expect(seen.size, `progress values seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(3);
    expect((await snapshot()).errors).toEqual([]);

    // Query "red" and find a box on the red object.
    await page.getByTestId('query-input').fill('red');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(
      () => window.__app.lastQuery?.text === 'red' && window.__app.status === 'ready',
    );
    const queried = await snapshot();
    const redBoxes = queried.boxes.filter((b) => b.source === 'query');
    expect(redBoxes.length).toBeGreaterThan(0);
    const best = Math.max(...redBoxes.map((b) => iou(b, red!.aabb)));
    expect(best).toBeGreaterThanOrEqual(0.5);
    expect(queried.colorMode).toBe('heatmap');
    expect(new URL(page.url()).hash).toContain('q=red');

    // Clicking the top result selects its box and shows its location tokens.
    await page.getByRole('list', { name: 'Ranked results' }).getByRole('button').first().click();
    await page.waitForFunction(() => window.__app.selectedBox !== undefined);
    const selected = await snapshot();
    expect(selected.selectedTokens).toBe(redBoxes[0].tokens);
    expect(await page.getByTestId('selected-tokens').innerText()).toBe(redBoxes[0].tokens);

    // Paste six tokens (the red object's GT box, encoded here) and see their box.
    const tokens = encodeBoxToTokens(red!.aabb, queried.normalisation ?? (await normalisation()));
    async function normalisation() {
      await page
        .getByLabel('LLM output with <locK> tokens')
        .fill('<loc0><loc0><loc0><loc1><loc1><loc1>');
      await page.getByRole('button', { name: 'Show boxes' }).click();
      await page.waitForFunction(() => window.__app.normalisation !== undefined);
      return (await snapshot()).normalisation!;
    }
    await page.getByLabel('LLM output with <locK> tokens').fill(`the red sofa ${tokens}`);
    await page.getByRole('button', { name: 'Show boxes' }).click();
    await page.waitForFunction(
      (t) => window.__app.boxes.some((b) => b.source === 'tokens' && b.tokens === t),
      tokens,
    );
    const tokenBox = (await snapshot()).boxes.find((b) => b.source === 'tokens')!;
    expect(iou(tokenBox, red!.aabb)).toBeGreaterThan(0.7);

    // Export the feature bundle: a zip with the documented files and consistent shapes.
    const outDir = path.join(tmpdir(), `scene3d-e2e-${process.pid}`);
    mkdirSync(outDir, { recursive: true });
    const [bundleDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Feature bundle (.zip)' }).click(),
    ]);
    const bundlePath = path.join(outDir, bundleDownload.suggestedFilename());
    await bundleDownload.saveAs(bundlePath);
    const zip = unzipSync(readFileSync(bundlePath));
    const byName = new Map(Object.entries(zip).map(([k, v]) => [k.split('/').pop()!, v]));
    for (const f of ['meta.json', 'points.npy', 'colors.npy', 'view_counts.npy', 'features.npy']) {
      expect(byName.has(f), f).toBe(true);
    }
    const meta = JSON.parse(new TextDecoder().decode(byName.get('meta.json')));
    const n = meta.counts.points;
    expect(npyShape(byName.get('points.npy')!)).toEqual([n, 3]);
    expect(npyShape(byName.get('features.npy')!)).toEqual([n, meta.model.dim]);
    expect(meta.model.id).toBe('offline-colors');

    // Screenshot export: a PNG of the view showing the scene.
    const [shot] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Screenshot (.png)' }).click(),
    ]);
    const shotPath = path.join(outDir, shot.suggestedFilename());
    await shot.saveAs(shotPath);
    const pixels = await countForegroundPixels(readFileSync(shotPath), BACKGROUND);
    expect(pixels.foreground / pixels.total).toBeGreaterThan(0.2);

    expect((await snapshot()).extraction!.fromCache).toBe(false);
    // The README's screenshot comes from this run (written only when asked, to keep runs clean).
    const target = process.env.UPDATE_SCREENSHOT
      ? path.join(repoRoot, 'docs', 'screenshot.png')
      : path.join(outDir, 'screenshot.png');
    writeFileSync(target, await page.screenshot());
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);

    // A reload restores the features from the browser cache instead of recomputing them.
    await page.reload();
    await page.waitForFunction(
      () => window.__app?.scene?.id === 'demo-room' && window.__app.status === 'ready',
      null,
      { timeout: 120_000 },
    );
    expect(await page.getByTestId('query-input').inputValue()).toBe('red');
    await page.getByLabel('Frame stride').fill('2');
    await page.getByRole('button', { name: 'Extract features' }).click();
    await page.waitForFunction(
      () => window.__app.extraction !== undefined && window.__app.lastQuery?.text === 'red',
      null,
      { timeout: 120_000 },
    );
    const restored = await snapshot();
    expect(restored.extraction!.fromCache).toBe(true);
    expect(Math.max(...restored.results.map((b) => iou(b, red!.aabb)))).toBeGreaterThanOrEqual(0.5);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });
});
