/**
 * Issue 14 in the browser: a ScanNet scene folder without `.sens` (the demo room as a coloured
 * mesh with segs and aggregation, written here to a temporary folder) opened through the folder
 * input; Extract features renders views of the mesh in the worker (no frames needed), encodes
 * and fuses them; a colour query finds its object; the rendered views appear as frusta and one
 * is shown in the frame view.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoRoom } from '../../src/demo-room/demo-room';
import { scanNetFolderFiles } from '../../src/demo-room/scan-export';
import { boxIoU } from '../../src/pipeline/query/iou';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { hasChromium, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

const snapshot = async (page: Page) => (await page.evaluate(() => window.__app)) as AppSnapshot;

describe.skipIf(!hasChromium)('a scan without frames in the browser', () => {
  const session = useAppSession();
  let root: string;
  let folder: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'scene3d-scan-'));
    folder = path.join(root, 'scene0000_00');
    mkdirSync(folder);
    for (const [name, bytes] of scanNetFolderFiles(buildDemoRoom({ seed: 7 }))) {
      writeFileSync(path.join(folder, name), bytes);
    }
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('opens the folder, extracts from rendered views, queries and shows boxes and a rendered frame', async () => {
    const { page } = session.browser;
    await page.goto(session.preview.url);
    await page.waitForFunction(() => window.__app?.status === 'ready', null, { timeout: 120_000 });
    await page.getByTestId('folder-input').setInputFiles(folder);
    await page.waitForFunction(
      () => window.__app?.scene?.info.format === 'scannet' && window.__app.status === 'ready',
      null,
      { timeout: 120_000 },
    );
    const opened = await snapshot(page);
    expect(opened.errors).toEqual([]);
    expect(opened.scene!.frameCount).toBe(0);
    expect(opened.scene!.objects.length).toBe(10);
    await expect
      .poll(() => page.getByText(/features come from views rendered/).count())
      .toBeGreaterThan(0);

    const t0 = Date.now();
    await page.getByRole('button', { name: 'Extract features' }).click();
    await page.waitForFunction(
      () => window.__app.extraction !== undefined && window.__app.status === 'ready',
      null,
      { timeout: 400_000 },
    );
    const extracted = await snapshot(page);
    expect(extracted.errors).toEqual([]);
    const x = extracted.extraction!;
    console.log(
      `browser: ${x.views} rendered views, ${x.seenPoints}/${x.points} points seen, ` +
        `${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(x.renderedFrames!.length).toBe(x.views);
    expect(x.seenPoints / x.points).toBeGreaterThanOrEqual(0.95);

    await page.getByTestId('query-input').fill('red');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(
      () => window.__app.lastQuery?.text === 'red' && window.__app.status === 'ready',
    );
    const queried = await snapshot(page);
    const boxes = queried.boxes.filter((b) => b.source === 'query');
    expect(boxes.length).toBeGreaterThan(0);
    const sofa = queried.scene!.objects.find((o) => o.label === 'sofa')!;
    expect(boxIoU(boxes[0], sofa.aabb)).toBeGreaterThanOrEqual(0.5);

    // A rendered view is shown like a captured frame (the frame picker lists them now).
    await page.getByLabel('Frame', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Show frame' }).click();
    await page.waitForFunction(() => window.__app.frameImage !== undefined);
    const shown = (await snapshot(page)).frameImage!;
    expect(shown.index).toBe(x.renderedFrames![0].index);
    expect([shown.width, shown.height]).toEqual([512, 512]);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  }, 600_000);
});
