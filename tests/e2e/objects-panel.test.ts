import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { hasChromium, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

const TOKENS = /^(<loc\d+>){6}$/;

const snapshot = async (page: Page) => (await page.evaluate(() => window.__app)) as AppSnapshot;

async function openScene(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    (want) => window.__app?.scene?.id === want && window.__app.status === 'ready',
    id,
    { timeout: 120_000 },
  );
}

/** How many pixels of two same-sized PNGs differ by more than `tolerance` (sum over RGB). */
async function differingPixels(a: Uint8Array, b: Uint8Array, tolerance = 40): Promise<number> {
  const { decode } = await import('fast-png');
  const x = decode(a);
  const y = decode(b);
  expect([x.width, x.height]).toEqual([y.width, y.height]);
  let n = 0;
  for (let i = 0; i < x.width * x.height; i++) {
    let d = 0;
    for (let c = 0; c < 3; c++) {
      d += Math.abs(x.data[i * x.channels + c] - y.data[i * y.channels + c]);
    }
    if (d > tolerance) n++;
  }
  return n;
}

/** A canvas screenshot taken after the next WebGL frame (the app renders on demand). */
async function canvasAfterNextFrame(page: Page, change: () => Promise<void>): Promise<Uint8Array> {
  const drawn = await page.evaluate(() => window.__app.framesDrawn);
  await change();
  await page.waitForFunction((n) => window.__app.framesDrawn > n, drawn);
  return page.locator('canvas').screenshot();
}

describe.skipIf(!hasChromium)('objects panel: segments, objects, GT, confident queries', () => {
  const session = useAppSession();

  it('finds objects in the demo room, colours by segment and selects an object', async () => {
    const { page } = session.browser;
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await openScene(page, 'demo-room');

    await page.getByRole('button', { name: 'Find objects' }).click();
    await page.waitForFunction(
      () => window.__app.objects !== undefined && window.__app.status === 'ready',
      null,
      { timeout: 120_000 },
    );
    const found = await snapshot(page);
    expect(found.errors).toEqual([]);
    const objects = found.objects!;
    expect(objects.level).toBe(objects.objectLevel);
    expect(objects.count).toBeGreaterThan(0);
    expect(found.segments).toEqual({ level: objects.level, points: found.pointCount });
    const list = page.getByRole('list', { name: 'Objects at this level' });
    // The list shows every object up to a page of 200 rows.
    expect(await list.getByRole('button').count()).toBe(Math.min(200, objects.count));
    expect(await page.getByTestId('objects-summary').innerText()).toContain(
      `${objects.count.toLocaleString('en')} objects at level ${objects.level}`,
    );

    // Colour by segment: the picture changes (each segment its own colour).
    const rgb = await page.locator('canvas').screenshot();
    const segmented = await canvasAfterNextFrame(page, () =>
      page.getByLabel('Colour by segment').check(),
    );
    expect((await snapshot(page)).colorMode).toBe('segment');
    const changed = await differingPixels(rgb, segmented);
    expect(changed, 'pixels that changed colour').toBeGreaterThan(5_000);

    // Select the largest object: its box is drawn, the details show its size and tokens.
    await list.getByRole('button').first().click();
    await page.waitForFunction(() => window.__app.selectedObject !== undefined);
    const selected = await snapshot(page);
    const sel = selected.selectedObject!;
    expect(sel.kind).toBe('proposal');
    expect(sel.id).toBe(objects.ids[0]);
    expect(sel.level).toBe(objects.level);
    expect(selected.selectedBox).toBe(`object-${sel.id}`);
    expect(selected.boxes.some((b) => b.key === `object-${sel.id}` && b.source === 'object')).toBe(
      true,
    );
    expect(sel.tokens).toMatch(TOKENS);
    expect(await page.getByTestId('selected-object-size').innerText()).toBe(sel.size);
    expect(sel.size).toMatch(/^\d+\.\d\d × \d+\.\d\d × \d+\.\d\d m$/);
    expect(await page.getByTestId('selected-object-tokens').innerText()).toBe(sel.tokens);

    // Ground truth: listed with labels; selecting one draws its box and encodes its tokens.
    const gt = selected.scene!.objects;
    expect(gt.length).toBeGreaterThan(0);
    const gtList = page.getByRole('list', { name: 'Ground-truth objects' });
    expect(await gtList.getByRole('button').count()).toBe(gt.length);
    await gtList.getByRole('button').first().click();
    await page.waitForFunction(
      () => window.__app.selectedObject?.kind === 'gt' && !!window.__app.selectedObject.tokens,
    );
    const gtSel = (await snapshot(page)).selectedObject!;
    expect(gtSel.id).toBe(gt[0].id);
    expect(gtSel.tokens).toMatch(TOKENS);
    expect(await page.getByTestId('selected-object-label').innerText()).toBe(gtSel.label);
    // GT boxes in the viewport carry their labels (as text).
    await page.getByLabel('GT boxes').check();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="box-label-gt"]').length >= n,
      Math.min(gt.length, 64),
    );
    const labels = await page.getByTestId('box-label-gt').allInnerTexts();
    for (const o of gt.slice(0, 64)) {
      expect(labels.some((l) => l.includes(o.label))).toBe(true);
    }
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });

  it('grounds "orange" to both chairs in the cluttered room and says when it is not sure', async () => {
    const { page } = session.browser;
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await openScene(page, 'demo-room');
    const sceneId = (await snapshot(page)).scenes.includes('cluttered-room')
      ? 'cluttered-room'
      : 'demo-room';
    if (sceneId !== 'cluttered-room') console.warn('e2e: no cluttered-room scene; demo room used');
    await page
      .getByRole('list', { name: 'Bundled scenes' })
      .getByRole('button', { name: sceneId === 'cluttered-room' ? 'Cluttered room' : 'Demo room' })
      .click();
    await openScene(page, sceneId);

    await page.getByLabel('Source').selectOption('offline');
    await page.getByRole('button', { name: 'Load model' }).click();
    await page.waitForFunction(() => window.__app.model?.modelId !== undefined, null, {
      timeout: 60_000,
    });
    // Dense features (the default): six encoder passes per view.
    expect(await page.getByLabel('Features').inputValue()).toBe('dense');
    await page.getByLabel('Frame stride').fill('2');
    await page.getByRole('button', { name: 'Extract features' }).click();
    await page.waitForFunction(
      () => window.__app.extraction !== undefined && window.__app.status === 'ready',
      null,
      { timeout: 400_000 },
    );

    await page.getByTestId('query-input').fill('orange');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(
      () => window.__app.lastQuery?.text === 'orange' && window.__app.status === 'ready',
      null,
      { timeout: 60_000 },
    );
    const orange = await snapshot(page);
    expect(orange.errors).toEqual([]);
    expect(orange.queryConfident).toBe(true);
    if (sceneId === 'cluttered-room') expect(orange.results.length).toBeGreaterThanOrEqual(2);
    else expect(orange.results.length).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('query-not-confident').count()).toBe(0);

    await page.getByTestId('query-input').fill('chair');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(
      () => window.__app.lastQuery?.text === 'chair' && window.__app.status === 'ready',
      null,
      { timeout: 60_000 },
    );
    const chair = await snapshot(page);
    expect(chair.queryConfident).toBe(false);
    expect(chair.queryReason).toBeTruthy();
    expect(chair.results).toEqual([]);
    expect(chair.boxes.filter((b) => b.source === 'query')).toEqual([]);
    const message = await page.getByTestId('query-not-confident').innerText();
    expect(message).toBe(`No confident match: ${chair.queryReason}`);
    expect(await page.locator('body').innerText()).toContain(chair.queryReason!);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });
});
