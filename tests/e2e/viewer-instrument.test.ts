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

/** The front-most displayed point whose projection falls inside a window of the canvas. */
interface Target {
  index: number;
  position: [number, number, number];
  /** CSS px in the page. */
  clientX: number;
  clientY: number;
}

/**
 * Independent of the app's picking code: projects the worker's view cloud with the live camera
 * matrix and returns, per window (fractions of the canvas), its front-most point.
 */
async function frontmostPoints(page: Page, windows: [number, number, number, number][]) {
  return (await page.evaluate(async (wins) => {
    const app = window.__app;
    const view = app.view!;
    const cloud = await window.__pipeline!.getViewCloud(1_000_000);
    const rect = document.querySelector('[data-testid="viewport"] canvas')!.getBoundingClientRect();
    const m = view.viewProjection;
    const p = cloud.positions;
    return wins.map(([x0, y0, x1, y1]) => {
      let best = -1;
      let bestW = Infinity;
      let bx = 0;
      let by = 0;
      for (let i = 0; i < p.length / 3; i++) {
        const [x, y, z] = [p[3 * i], p[3 * i + 1], p[3 * i + 2]];
        const w = m[3] * x + m[7] * y + m[11] * z + m[15];
        if (w <= 0) continue;
        const sx = ((m[0] * x + m[4] * y + m[8] * z + m[12]) / w + 1) / 2;
        const sy = (1 - (m[1] * x + m[5] * y + m[9] * z + m[13]) / w) / 2;
        if (sx < x0 || sx > x1 || sy < y0 || sy > y1 || w >= bestW) continue;
        best = i;
        bestW = w;
        bx = sx;
        by = sy;
      }
      return {
        index: best,
        position: [p[3 * best], p[3 * best + 1], p[3 * best + 2]],
        clientX: rect.left + bx * view.width,
        clientY: rect.top + by * view.height,
      };
    });
  }, windows)) as Target[];
}

describe.skipIf(!hasChromium)('viewer instrument: labels, shared camera, restored features', () => {
  const session = useAppSession();

  it('picks the clicked point and measures the distance between two picks within 1 %', async () => {
    const { page } = session.browser;
    await openDemo(page, `${session.preview.url}#scene=demo-room`);
    await page.getByLabel('Pick a point').check();
    const [a, b] = await frontmostPoints(page, [
      [0.3, 0.35, 0.45, 0.65],
      [0.55, 0.35, 0.7, 0.65],
    ]);
    expect(a.index).toBeGreaterThanOrEqual(0);
    expect(b.index).toBeGreaterThanOrEqual(0);

    await page.mouse.click(a.clientX, a.clientY);
    await page.waitForFunction(() => window.__app.picks.length === 1);
    const picked = (await snapshot(page)).picks[0];
    // The point under the cursor: the front-most one there (or a neighbour on the same surface).
    const offBy = Math.hypot(...picked.position.map((v, k) => v - a.position[k]));
    expect(offBy, JSON.stringify({ picked, a })).toBeLessThan(0.02);
    const shown = await page.getByTestId('pick-info').innerText();
    expect(shown).toContain(`#${picked.index}`);
    expect(shown).toContain(picked.position.map((v) => v.toFixed(3)).join(', '));

    await page.getByLabel('Measure distance').check();
    await page.mouse.click(a.clientX, a.clientY);
    await page.mouse.click(b.clientX, b.clientY);
    await page.waitForFunction(() => window.__app.picks.length === 2);
    const truth = Math.hypot(...a.position.map((v, k) => v - b.position[k]));
    const measured = Number(await page.getByTestId('measurement').getAttribute('data-distance'));
    expect(truth).toBeGreaterThan(0.3);
    expect(Math.abs(measured - truth) / truth).toBeLessThan(0.01);
    const text = await page.getByTestId('measurement').innerText();
    expect(text).toContain(`${measured.toFixed(3)} m`);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });

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
    await page.getByLabel('Frame stride').fill('2');
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

    // Selecting a result by its label shows its tokens next to the results and links to it.
    await page.locator('.box-labels [data-testid="box-label-query"]').first().click();
    await page.waitForFunction(() => !!window.__app.selectedBox && !!window.__app.selectedTokens);
    const selected = (await snapshot(page)).selectedBox!;
    await expect.poll(() => new URL(page.url()).hash).toContain(`sel=${selected}`);
    await page.getByLabel('Colour map').selectOption('viridis');
    await expect.poll(() => new URL(page.url()).hash).toContain('map=viridis');

    // The query, its results and the selected box's tokens need no scrolling on common laptops.
    for (const [width, height] of [
      [1366, 768],
      [1400, 900],
    ]) {
      await page.setViewportSize({ width, height });
      const needed = [
        page.getByTestId('query-input'),
        page.getByRole('button', { name: 'Search' }),
        page.getByRole('list', { name: 'Ranked results' }).getByRole('button').last(),
        page.getByTestId('result-tokens'),
      ];
      for (const locator of needed) {
        const box = (await locator.boundingBox())!;
        expect(box, `${width}×${height}`).not.toBeNull();
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height, `${width}×${height}`).toBeLessThanOrEqual(height);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      }
      const pageScroll = await page.evaluate(
        () => document.scrollingElement!.scrollHeight - window.innerHeight,
      );
      expect(pageScroll).toBeLessThanOrEqual(0);
    }

    // The link restores the selection and the colour map too.
    await page.reload();
    await page.waitForFunction(
      (key) => window.__app?.selectedBox === key && window.__app.status === 'ready',
      selected,
      { timeout: 120_000 },
    );
    expect(await page.getByLabel('Colour map').inputValue()).toBe('viridis');
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });
});
