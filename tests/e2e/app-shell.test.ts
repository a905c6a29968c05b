import { describe, expect, it } from 'vitest';
import { binSize, encodeBoxToTokens } from '../../src/tokens';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { countForegroundPixels, hasChromium, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

const BACKGROUND: [number, number, number] = [0x14, 0x17, 0x1c];

describe.skipIf(!hasChromium)('app shell in Chromium', () => {
  const session = useAppSession();

  it('loads isolated, pings the worker through comlink and draws the point cloud', async () => {
    const { page } = session.browser;
    await page.goto(session.preview.url);
    await page.waitForFunction(
      () => window.__app?.pointCount > 0 && window.__app.drawnPoints === window.__app.pointCount,
      null,
      {
        timeout: 120_000,
      },
    );
    const app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(app.ping?.reply).toBe('pong');
    expect(app.ping?.crossOriginIsolated).toBe(true);
    expect(app.status).toBe('ready');
    expect(app.pointCount).toBeGreaterThan(10_000);

    // The canvas must show the cloud: many pixels off the background, some of them saturated
    // (the coloured solids), not just a cleared canvas.
    const png = await page.locator('canvas').screenshot();
    const { foreground, total, colourful } = await countForegroundPixels(png, BACKGROUND);
    expect(foreground / total).toBeGreaterThan(0.02);
    expect(colourful).toBeGreaterThan(500);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });

  it('turns six pasted location tokens into a box at the right place', async () => {
    const { page } = session.browser;
    // Learn the normalisation the app uses from a first parse, then encode the red solid's GT box
    // here with the tokens library and paste it as LLM output.
    const input = page.getByLabel('LLM output with <locK> tokens');
    await input.fill('nothing yet <loc0><loc0><loc0><loc1><loc1><loc1>');
    await page.getByRole('button', { name: 'Show boxes' }).click();
    await page.waitForFunction(() => window.__app.normalisation !== undefined);
    const app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    const red = app.scene!.objects.find((o) => o.colorName === 'red')!;
    const norm = app.normalisation!;
    const tokens = encodeBoxToTokens(red.aabb, norm);
    await input.fill(`Sure! The red box is at ${tokens}.`);
    await page.getByRole('button', { name: 'Show boxes' }).click();
    await page.waitForFunction(
      (t) => window.__app.boxes.some((b) => b.source === 'tokens' && b.tokens === t),
      tokens,
    );
    const boxes = ((await page.evaluate(() => window.__app)) as AppSnapshot).boxes;
    expect(boxes.filter((b) => b.source === 'tokens')).toHaveLength(1);
    const box = boxes.find((b) => b.source === 'tokens')!;
    expect(box.label).toBe('Sure! The red box is at');
    const half = binSize(norm) / 2 + 1e-6;
    for (let a = 0; a < 3; a++) {
      expect(Math.abs(box.min[a] - red.aabb.min[a])).toBeLessThanOrEqual(half);
      expect(Math.abs(box.max[a] - red.aabb.max[a])).toBeLessThanOrEqual(half);
    }
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });
});
