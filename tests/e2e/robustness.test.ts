import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { hasChromium, repoRoot, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

describe.skipIf(!hasChromium)('robustness and accessibility', () => {
  const session = useAppSession();
  let brokenModel: string;

  beforeAll(() => {
    // A model folder whose vision graph is truncated: the loader must say so, the worker survive.
    const offline = path.join(repoRoot, 'dist', 'models', 'offline-colors');
    brokenModel = mkdtempSync(path.join(tmpdir(), 'scene3d-broken-model-'));
    mkdirSync(path.join(brokenModel, 'onnx'));
    for (const f of ['config.json', 'tokenizer.json', 'preprocessor_config.json']) {
      copyFileSync(path.join(offline, f), path.join(brokenModel, f));
    }
    const vision = readFileSync(path.join(offline, 'onnx', 'vision_model.onnx'));
    writeFileSync(path.join(brokenModel, 'onnx', 'vision_model.onnx'), vision.subarray(0, 100));
    copyFileSync(
      path.join(offline, 'onnx', 'text_model.onnx'),
      path.join(brokenModel, 'onnx', 'text_model.onnx'),
    );
  });

  afterAll(() => {
    if (brokenModel) rmSync(brokenModel, { recursive: true, force: true });
  });

  it('labels every control and reaches the query box by keyboard', async () => {
    const { page } = session.browser;
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await page.waitForFunction(
      () => window.__app?.scene?.id === 'demo-room' && window.__app.status === 'ready',
    );
    const unlabelled = await page.evaluate(() => {
      const names: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('button, input, select, textarea')) {
        const labelled =
          (el as HTMLInputElement).labels?.length ||
          el.getAttribute('aria-label') ||
          el.getAttribute('aria-labelledby') ||
          (el.tagName === 'BUTTON' && el.textContent?.trim());
        if (!labelled) names.push(el.outerHTML.slice(0, 80));
      }
      return names;
    });
    expect(unlabelled).toEqual([]);
    // '/' focuses the query box from anywhere outside a text field.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'query-input',
    );
    // Tab moves through the side panel's controls without getting stuck.
    const visited = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      visited.add(await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 60) ?? ''));
    }
    expect(visited.size).toBeGreaterThan(20);
  });

  it('shows a broken model as a text error, keeps the worker, and restarts it on demand', async () => {
    const { page } = session.browser;
    await page.getByLabel('Source').selectOption('folder');
    await page.getByLabel(/Model folder/).setInputFiles(brokenModel);
    await page.waitForFunction(
      () => window.__app.errors.length > 0 && window.__app.status === 'ready',
    );
    const app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect(app.errors.join('\n')).toMatch(/vision_model\.onnx/);
    expect(app.errors.join('\n')).toMatch(/ModelError/);
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/vision_model\.onnx/);
    // Dismiss it; the same worker still loads the good model.
    await page.getByRole('button', { name: 'Dismiss error' }).first().click();
    await page.getByLabel('Source').selectOption('offline');
    await page.getByRole('button', { name: 'Load model' }).click();
    await page.waitForFunction(() => window.__app.model?.modelId === 'offline-colors');
    expect(((await page.evaluate(() => window.__app)) as AppSnapshot).workerGeneration).toBe(1);

    // Restart: a fresh worker answers ping and the built-in scene comes back.
    await page.getByRole('button', { name: 'Restart worker' }).click();
    await page.waitForFunction(
      () =>
        window.__app.workerGeneration === 2 &&
        window.__app.scene?.id === 'demo-room' &&
        window.__app.status === 'ready',
    );
    const after = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect(after.ping?.reply).toBe('pong');
    expect(after.pointCount).toBeGreaterThan(0);
    const consoleErrors = session.browser.errors.filter((e) => !/vision_model/.test(e));
    expect(consoleErrors, session.browser.log.join('\n')).toEqual([]);
  });

  it('cancels a running extraction without an error and stays usable', async () => {
    const { page } = session.browser;
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await page.reload();
    await page.waitForFunction(
      () => window.__app?.scene?.id === 'demo-room' && window.__app.status === 'ready',
      null,
      { timeout: 120_000 },
    );
    // All 24 views (a fresh browser profile: no cached features), cancelled after the first.
    await page.getByRole('button', { name: 'Extract features' }).click();
    await page.waitForFunction(() => window.__app.progress?.stage === 'encode', null, {
      timeout: 120_000,
    });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForFunction(() => window.__app.status === 'ready' && !window.__app.job);
    const app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect({ status: app.statusText, errors: app.errors, done: !!app.extraction }).toEqual({
      status: 'Cancelled',
      errors: [],
      done: false,
    });
    expect(app.extraction).toBeUndefined();
    expect(app.errors).toEqual([]);
    // Still responsive: tokens still decode on the same worker.
    await page
      .getByLabel('LLM output with <locK> tokens')
      .fill('x <loc1><loc2><loc3><loc9><loc9><loc9>');
    await page.getByRole('button', { name: 'Show boxes' }).click();
    await page.waitForFunction(() => window.__app.boxes.some((b) => b.source === 'tokens'));
  });

  it('opens a PLY file dropped on the scene panel', async () => {
    const { page } = session.browser;
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await page.reload();
    await page.waitForFunction(
      () => window.__app?.scene?.id === 'demo-room' && window.__app.status === 'ready',
    );
    const ply = [
      'ply',
      'format ascii 1.0',
      'element vertex 4',
      'property float x',
      'property float y',
      'property float z',
      'property uchar red',
      'property uchar green',
      'property uchar blue',
      'end_header',
      '0 0 0 255 0 0',
      '1 0 0 0 255 0',
      '0 2 0 0 0 255',
      '0 0 3 255 255 255',
      '',
    ].join('\n');
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'four-points.ply'));
      return dt;
    }, ply);
    await page.dispatchEvent('.scene-panel', 'drop', { dataTransfer });
    await page.waitForFunction(
      () => window.__app.scene?.info.name === 'four-points' && window.__app.status === 'ready',
    );
    const app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect(app.scene!.info.format).toBe('ply');
    expect(app.pointCount).toBe(4);
    expect(app.scene!.info.bounds).toEqual({ min: [0, 0, 0], max: [1, 2, 3] });
  });
});
