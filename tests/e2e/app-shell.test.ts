import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import {
  countForegroundPixels,
  hasChromium,
  launchBrowser,
  startPreview,
  type BrowserSession,
  type Preview,
} from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

const BACKGROUND: [number, number, number] = [0x14, 0x17, 0x1c];

describe.skipIf(!hasChromium)('app shell in Chromium', () => {
  let preview: Preview;
  let browser: BrowserSession;

  beforeAll(async () => {
    preview = await startPreview();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('loads isolated, pings the worker through comlink and draws the point cloud', async () => {
    const { page } = browser;
    await page.goto(preview.url);
    await page.waitForFunction(
      () => window.__app?.pointCount > 0 && window.__app.framesDrawn > 0,
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
    expect(browser.errors, browser.log.join('\n')).toEqual([]);
  });
});
