/**
 * The whole dense path in the browser worker with a real ViT architecture: a random-weight CLIP
 * ViT-B/32-shaped model in Hugging Face's layout (exported by torch, as the hub's files are) is
 * loaded from a local folder; its last block is found in the graph and rewritten (ClearCLIP);
 * the demo room extracts with six dense windows per view, and a query comes back with boxes or
 * an honest "no confident match" (random weights know no colours).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { findPython, REQUIRE_ORACLES } from '../oracles/python';
import {
  TINY_B32,
  TORCH_CLIP_MODULES,
  torchClipFixture,
} from '../pipeline/clip/dense/torch-clip-fixture';
import { hasChromium, useAppSession } from './harness';

const python = findPython(TORCH_CLIP_MODULES);
if (!python.oracle && !REQUIRE_ORACLES) console.warn(`e2e dense ViT: skipping (${python.reason})`);
const runnable = hasChromium && (python.oracle !== undefined || REQUIRE_ORACLES);

describe.skipIf(!runnable)('dense features from a ViT in the browser worker', () => {
  const session = useAppSession();
  let folder: string;

  beforeAll(() => {
    if (!python.oracle) throw new Error(python.reason);
    folder = torchClipFixture(python.oracle, { ...TINY_B32, opsets: [17], batch: 0 }).folders.get(
      17,
    )!;
  }, 300_000);

  it('loads a folder ViT, extracts with dense windows and answers a query', async () => {
    const { page } = session.browser;
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await page.waitForFunction(
      () => window.__app?.scene?.id === 'demo-room' && window.__app.status === 'ready',
      null,
      { timeout: 120_000 },
    );
    await page.getByLabel('Source').selectOption('folder');
    await page.getByLabel(/Model folder/).setInputFiles(folder);
    await page.waitForFunction(
      () => window.__app.model?.modelId !== undefined || window.__app.errors.length > 0,
      null,
      { timeout: 120_000 },
    );
    let app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect(app.errors).toEqual([]);
    expect(app.model?.dense).toEqual({ method: 'clearclip', grid: [7, 7] });
    await expect.poll(() => page.getByTestId('model-dense').innerText()).toMatch(/clearclip/);

    await page.getByLabel('Frame stride').fill('4');
    expect(await page.getByLabel('Features').inputValue()).toBe('dense');
    await page.getByRole('button', { name: 'Extract features' }).click();
    await page.waitForFunction(
      () =>
        (window.__app.extraction !== undefined && window.__app.status === 'ready') ||
        window.__app.errors.length > 0,
      null,
      { timeout: 400_000 },
    );
    app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect(app.errors).toEqual([]);
    const summary = app.extraction!;
    expect(summary.featureSource).toBe('dense');
    expect(summary.denseMethod).toBe('clearclip');
    expect(summary.crops).toBe(6 * summary.views);
    expect(summary.seenPoints).toBeGreaterThan(0.5 * summary.points);
    await expect
      .poll(() => page.getByTestId('extract-summary').innerText())
      .toMatch(/dense windows, clearclip/);

    await page.getByTestId('query-input').fill('red');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(() => window.__app.lastQuery?.text === 'red', null, {
      timeout: 120_000,
    });
    const queried = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect(queried.errors).toEqual([]);
    if (queried.queryConfident) {
      expect(queried.results.length).toBeGreaterThan(0);
      const b = queried.scene!.info.bounds!;
      for (const box of queried.results) {
        for (let a = 0; a < 3; a++) {
          expect(box.min[a]).toBeGreaterThanOrEqual(b.min[a] - 1e-3);
          expect(box.max[a]).toBeLessThanOrEqual(b.max[a] + 1e-3);
        }
      }
    } else {
      expect(queried.queryReason).toBeTruthy();
    }
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });
});
