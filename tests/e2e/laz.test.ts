/**
 * LAZ in the browser worker: a real LASzip-compressed file (laz-perf's test data) opened through
 * the files input decodes with laz-perf's wasm, served from our own origin, into the same cloud
 * the uncompressed LAS file gives, and is drawn.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { hasChromium, repoRoot, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

const snapshot = async (page: Page) => (await page.evaluate(() => window.__app)) as AppSnapshot;
const fixture = (name: string) => path.join(repoRoot, 'tests', 'fixtures', 'laz', name);

async function open(page: Page, file: string): Promise<AppSnapshot> {
  const before = (await snapshot(page)).scene?.id;
  await page.getByTestId('files-input').setInputFiles(file);
  await page.waitForFunction(
    (was) =>
      (window.__app.scene !== undefined &&
        window.__app.scene.id !== was &&
        window.__app.status === 'ready') ||
      window.__app.errors.length > 0,
    before,
    { timeout: 120_000 },
  );
  return snapshot(page);
}

describe.skipIf(!hasChromium)('LAZ in the browser', () => {
  const session = useAppSession();

  it('opens a real .laz through laz-perf and draws the cloud the .las gives', async () => {
    const { page } = session.browser;
    await page.goto(session.preview.url);
    await page.waitForFunction(() => window.__app?.status === 'ready', null, { timeout: 120_000 });
    const las = await open(page, fixture('point-color.las'));
    expect(las.errors).toEqual([]);
    const laz = await open(page, fixture('point-color.las.laz'));
    expect(laz.errors).toEqual([]);
    expect(laz.scene!.info.format).toBe('las');
    expect(laz.scene!.info.pointCount).toBe(1065);
    expect(laz.scene!.info.bounds).toEqual(las.scene!.info.bounds);
    await page.waitForFunction(() => window.__app.drawnPoints === 1065);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  }, 300_000);
});
