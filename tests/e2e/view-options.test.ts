/**
 * Display options in the real renderer (issue 17): eye-dome lighting shades the canvas and
 * turning it off restores the plain image, colour by height and by normal give other pixels
 * than RGB, and the clipping box hides points. Few renders: SwiftShader is slow.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { countForegroundPixels, hasChromium, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

const BACKGROUND: [number, number, number] = [0x14, 0x17, 0x1c];

const snapshot = async (page: Page) => (await page.evaluate(() => window.__app)) as AppSnapshot;

/** A canvas screenshot once no new frame has been drawn for a while (render on demand). */
async function settledCanvas(page: Page): Promise<Uint8Array> {
  for (;;) {
    const before = await page.evaluate(() => window.__app.framesDrawn);
    await page.waitForTimeout(500);
    if ((await page.evaluate(() => window.__app.framesDrawn)) === before) break;
  }
  return page.locator('canvas').screenshot();
}

/** A canvas screenshot taken after the frames that `change` causes have been drawn. */
async function canvasAfter(page: Page, change: () => Promise<unknown>): Promise<Uint8Array> {
  const drawn = await page.evaluate(() => window.__app.framesDrawn);
  await change();
  await page.waitForFunction((n) => window.__app.framesDrawn > n, drawn, { timeout: 60_000 });
  return settledCanvas(page);
}

interface Diff {
  /** Mean absolute difference per RGB channel, 0..255. */
  mean: number;
  /** Fraction of pixels whose RGB differ by more than 30 (sum over channels). */
  changed: number;
  /** Mean luminance of b minus that of a. */
  brighter: number;
}

async function compare(a: Uint8Array, b: Uint8Array): Promise<Diff> {
  const { decode } = await import('fast-png');
  const x = decode(a);
  const y = decode(b);
  expect([x.width, x.height]).toEqual([y.width, y.height]);
  const n = x.width * x.height;
  let sum = 0;
  let changed = 0;
  let lum = 0;
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let c = 0; c < 3; c++) {
      const u = x.data[i * x.channels + c];
      const v = y.data[i * y.channels + c];
      d += Math.abs(u - v);
      lum += v - u;
    }
    sum += d;
    if (d > 30) changed++;
  }
  return { mean: sum / (3 * n), changed: changed / n, brighter: lum / (3 * n) };
}

describe.skipIf(!hasChromium)('view options: eye-dome lighting, colour modes, clipping', () => {
  const session = useAppSession();

  it('shades with EDL and restores, colours by height and normal, clips points', async () => {
    const { page } = session.browser;
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await page.waitForFunction(
      () =>
        window.__app?.scene?.id === 'demo-room' &&
        window.__app.status === 'ready' &&
        window.__app.drawnPoints > 0,
      null,
      { timeout: 120_000 },
    );
    const plain = await settledCanvas(page);
    const plainPixels = await countForegroundPixels(plain, BACKGROUND);
    // The demo room fills a good part of the view from the fitted camera.
    expect(plainPixels.foreground / plainPixels.total).toBeGreaterThan(0.1);

    // EDL on: every silhouette and depth step darkens. Outlines 1–2 px wide around every object
    // and the room's edges touch a few % of a 1280×800 canvas, each by tens of levels; noise-free
    // rendering gives exactly 0 otherwise, so a mean above 1 level is a real change.
    const edl = await canvasAfter(page, () => page.getByLabel('Eye-dome lighting').check());
    const withEdl = await compare(plain, edl);
    expect(withEdl.mean).toBeGreaterThan(1);
    expect(withEdl.changed).toBeGreaterThan(0.01);
    expect(withEdl.brighter, 'EDL only darkens').toBeLessThan(0);
    expect(await page.evaluate(() => location.hash)).toMatch(/(^#|&)edl=1(&|$)/);
    expect((await snapshot(page)).edl).toBe(true);

    // The screenshot export renders the frame as shown, EDL included.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Screenshot (.png)' }).click(),
    ]);
    const shotPath = path.join(mkdtempSync(path.join(tmpdir(), 'view-options-')), 'shot.png');
    await download.saveAs(shotPath);
    const shot = new Uint8Array(readFileSync(shotPath));
    expect((await compare(edl, shot)).mean).toBeLessThan(0.2);
    expect((await compare(plain, shot)).mean).toBeGreaterThan(1);

    // EDL off: the plain image again (same renderer, same pixels, up to rounding).
    const off = await canvasAfter(page, () => page.getByLabel('Eye-dome lighting').uncheck());
    const restored = await compare(plain, off);
    expect(restored.mean).toBeLessThan(0.05);
    expect(restored.changed).toBeLessThan(0.0005);
    expect(await page.evaluate(() => location.hash)).toMatch(/(^#|&)edl=0(&|$)/);

    // Colour by height: a ramp over the room's heights, not its RGB.
    const height = await canvasAfter(page, () =>
      page.getByLabel('Colour', { exact: true }).selectOption('height'),
    );
    expect((await compare(plain, height)).changed).toBeGreaterThan(0.05);
    expect((await snapshot(page)).colorMode).toBe('height');

    // Colour by normal: normals come from the worker on first use.
    const normal = await canvasAfter(page, () =>
      page.getByLabel('Colour', { exact: true }).selectOption('normal'),
    );
    expect((await compare(plain, normal)).changed).toBeGreaterThan(0.05);
    expect((await compare(height, normal)).changed).toBeGreaterThan(0.05);

    // Clipping box: on, it spans the scene's bounds and hides nothing; X max to the middle
    // hides about half of the room.
    await canvasAfter(page, () => page.getByLabel('Colour', { exact: true }).selectOption('rgb'));
    const boxed = await canvasAfter(page, () => page.getByLabel('Clipping box').check());
    const bounds = (await snapshot(page)).scene!.info.bounds!;
    expect((await snapshot(page)).clipBox).toEqual({ min: bounds.min, max: bounds.max });
    const boxedPixels = await countForegroundPixels(boxed, BACKGROUND);
    expect(boxedPixels.foreground).toBeGreaterThan(plainPixels.foreground * 0.98);
    const mid = (bounds.min[0] + bounds.max[0]) / 2;
    const clipped = await canvasAfter(page, () => page.getByLabel('X max').fill(String(mid)));
    expect((await snapshot(page)).clipBox!.max[0]).toBeCloseTo(mid, 1);
    const clippedPixels = await countForegroundPixels(clipped, BACKGROUND);
    expect(clippedPixels.foreground).toBeLessThan(plainPixels.foreground * 0.85);
    expect(clippedPixels.foreground).toBeGreaterThan(0);

    expect((await snapshot(page)).errors).toEqual([]);
    expect(session.browser.errors).toEqual([]);
  });
});
