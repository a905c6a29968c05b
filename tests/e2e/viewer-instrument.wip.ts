/**
 * The viewer as an instrument: box labels laid out without overlap inside the canvas, a camera
 * pose restored from a shared link, and cached features restored by a reload (issue 17).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { hasChromium, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

const snapshot = async (page: Page) => (await page.evaluate(() => window.__app)) as AppSnapshot;

async function openDemo(page: Page, url: string) {
  // A new document each time: changing only the hash would not reload the page.
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForFunction(
    () =>
      window.__app?.scene?.id === 'demo-room' &&
      window.__app.status === 'ready' &&
      window.__app.drawnPoints > 0,
    null,
    { timeout: 120_000 },
  );
}

type Rect = { left: number; top: number; right: number; bottom: number };
const overlaps = (a: Rect, b: Rect) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe.skipIf(!hasChromium)('viewer instrument: labels, shared camera, restored features', () => {
  const session = useAppSession();

  it('lays GT box labels out without overlap, inside the canvas', async () => {
    const { page } = session.browser;
    await openDemo(page, `${session.preview.url}#scene=demo-room`);
    const gtCount = (await snapshot(page)).scene!.objects.length;
    expect(gtCount).toBeGreaterThanOrEqual(5);
    await page.getByLabel('GT boxes').check();
    await page.waitForFunction(
      () => document.querySelectorAll('.box-labels [data-placed="true"]').length >= 5,
      null,
      { timeout: 60_000 },
    );
    const { labels, canvas } = await page.evaluate(() => {
      const r = (el: Element) => {
        const b = el.getBoundingClientRect();
        return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
      };
      return {
        labels: [...document.querySelectorAll('.box-labels [data-placed="true"]')].map(r),
        canvas: r(document.querySelector('[data-testid="viewport"] canvas')!),
      };
    });
    // Every GT object's anchor is in view from the fitted camera; most labels find a spot.
    expect(labels.length).toBeGreaterThanOrEqual(Math.min(gtCount, 5));
    for (const [i, a] of labels.entries()) {
      expect(a.left).toBeGreaterThanOrEqual(canvas.left - 0.5);
      expect(a.top).toBeGreaterThanOrEqual(canvas.top - 0.5);
      expect(a.right).toBeLessThanOrEqual(canvas.right + 0.5);
      expect(a.bottom).toBeLessThanOrEqual(canvas.bottom + 0.5);
      for (const b of labels.slice(0, i))
        expect(overlaps(a, b), JSON.stringify([a, b])).toBe(false);
    }
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });

  it('restores the camera pose of a shared link', async () => {
    const { page } = session.browser;
    const pose = { position: [2.4, -1.7, 1.9], target: [0.3, 0.2, 0.6] };
    const cam = [...pose.position, ...pose.target].join(',');
    await openDemo(page, `${session.preview.url}#scene=demo-room&cam=${cam}`);
    await page.waitForFunction(() => window.__app.camera !== undefined);
    const camera = (await snapshot(page)).camera!;
    for (let k = 0; k < 3; k++) {
      expect(camera.position[k]).toBeCloseTo(pose.position[k], 3);
      expect(camera.target[k]).toBeCloseTo(pose.target[k], 3);
    }
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });

  it('says so when a linked scene came from local files', async () => {
    const { page } = session.browser;
    await openDemo(page, `${session.preview.url}#scene=files:my-scan&q=red`);
    const errors = (await snapshot(page)).errors;
    expect(
      errors.some((e) => e.includes('files:my-scan') && e.includes('open the scan folder')),
    ).toBe(true);
  });

  it('restores cached features and the last query after a reload, without Extract', async () => {
    const { page } = session.browser;
    await openDemo(page, `${session.preview.url}#scene=demo-room`);
    await page.getByLabel('Frame stride').fill('4');
    await page.getByRole('button', { name: 'Extract features' }).click();
    await page.waitForFunction(
      () => !!window.__app.extraction && window.__app.status === 'ready',
      null,
      { timeout: 400_000 },
    );
    expect((await snapshot(page)).extraction!.fromCache).toBe(false);
    await page.getByTestId('query-input').fill('red');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(
      () => window.__app.lastQuery?.text === 'red' && window.__app.status === 'ready',
    );
    const queried = await snapshot(page);
    expect(queried.results.length, JSON.stringify(queried.lastQuery)).toBeGreaterThan(0);
    expect(new URL(page.url()).hash).toContain('q=red');

    await page.reload();
    await page.waitForFunction(
      () => window.__app?.extraction !== undefined && window.__app.lastQuery?.text === 'red',
      null,
      { timeout: 120_000 },
    );
    const restored = await snapshot(page);
    expect(restored.extraction!.fromCache).toBe(true);
    expect(restored.extraction!.modelId).toBe(queried.extraction!.modelId);
    expect(restored.results.map((b) => b.tokens)).toEqual(queried.results.map((b) => b.tokens));
    // Query result labels are on screen (short: label and score, no tokens).
    await page.waitForFunction(
      () => document.querySelectorAll('.box-labels [data-testid="box-label-query"]').length > 0,
    );
    const labels = await page
      .locator('.box-labels [data-testid="box-label-query"]')
      .allInnerTexts();
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.every((l) => !l.includes('<loc'))).toBe(true);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });
});
