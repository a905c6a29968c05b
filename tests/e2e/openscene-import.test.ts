/**
 * Issue 16 in the browser: a scan folder in OpenScene's layout (the demo room as
 * `<scene>_vh_clean_2.ply`) with OpenScene's fused features next to it (`<scene>_0.pt`, written
 * by real torch) opens through the folder input with those features as its extraction — no
 * Extract — and a text query answers from them with boxes and a heatmap.
 *
 * The text encoder is a random-weight CLIP with ViT-B/32's architecture and LSeg's 512-d text
 * space (exported by torch in Hugging Face's layout). Random features know nothing, so torch
 * plants one object: the sofa's rows point along the part of "red"'s embedding that no negative
 * phrase shares (everything else stays random); the query must then find the sofa.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_DEFAULTS } from '../../src/pipeline/defaults';
import { boxIoU } from '../../src/pipeline/query/iou';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import {
  OPENSCENE_SCENE,
  torchWritesOpenScene,
  writeOpenSceneMeshFolder,
  type OpenSceneMeshFolder,
} from '../fixtures/openscene-scene';
import { findPython, REQUIRE_ORACLES } from '../oracles/python';
import {
  TINY_B32,
  TORCH_CLIP_MODULES,
  torchClipFixture,
} from '../pipeline/clip/dense/torch-clip-fixture';
import { hasChromium, useAppSession } from './harness';

const LSEG_DIM = 512;
const python = findPython(TORCH_CLIP_MODULES);
if (!python.oracle && !REQUIRE_ORACLES) console.warn(`e2e OpenScene: skipping (${python.reason})`);
if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');
const runnable = hasChromium && (python.oracle !== undefined || REQUIRE_ORACLES);

const snapshot = async (page: Page) => (await page.evaluate(() => window.__app)) as AppSnapshot;

/** How many pixels of two same-sized PNGs differ by more than `tolerance` (sum over RGB). */
async function differingPixels(a: Uint8Array, b: Uint8Array, tolerance = 40): Promise<number> {
  const { decode } = await import('fast-png');
  const x = decode(a);
  const y = decode(b);
  expect([x.width, x.height]).toEqual([y.width, y.height]);
  let n = 0;
  for (let i = 0; i < x.width * x.height; i++) {
    let d = 0;
    for (let c = 0; c < 3; c++)
      d += Math.abs(x.data[i * x.channels + c] - y.data[i * y.channels + c]);
    if (d > tolerance) n++;
  }
  return n;
}

/** `q` minus its projection on the span of `negatives` (Gram–Schmidt), normalised. */
function orthogonalToNegatives(q: Float32Array, negatives: Float32Array[]): number[] {
  const basis: Float64Array[] = [];
  for (const n of negatives) {
    const v = Float64Array.from(n);
    for (const b of basis) {
      const dot = v.reduce((s, x, i) => s + x * b[i], 0);
      for (let i = 0; i < v.length; i++) v[i] -= dot * b[i];
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-6) basis.push(v.map((x) => x / norm));
  }
  const r = Float64Array.from(q);
  for (const b of basis) {
    const dot = r.reduce((s, x, i) => s + x * b[i], 0);
    for (let i = 0; i < r.length; i++) r[i] -= dot * b[i];
  }
  const norm = Math.hypot(...r);
  expect(norm, 'the query has a part no negative shares').toBeGreaterThan(1e-3);
  return Array.from(r, (x) => x / norm);
}

describe.skipIf(!runnable)('OpenScene features imported in the browser', () => {
  const session = useAppSession();
  let root: string;
  let mesh: OpenSceneMeshFolder;
  let modelFolder: string;

  beforeAll(() => {
    if (!python.oracle) throw new Error(python.reason);
    root = mkdtempSync(path.join(tmpdir(), 'scene3d-openscene-'));
    mesh = writeOpenSceneMeshFolder(root);
    modelFolder = torchClipFixture(python.oracle, {
      ...TINY_B32,
      proj: LSEG_DIM,
      opsets: [17],
      batch: 0,
    }).folders.get(17)!;
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('opens mesh + torch-written .pt, shows the imported features and answers a query', async () => {
    const { page } = session.browser;
    await page.goto(session.preview.url);
    await page.waitForFunction(() => window.__app?.status === 'ready', null, { timeout: 120_000 });

    // The text encoder, loaded the way a user does (Model panel, a model folder).
    await page.getByLabel('Source').selectOption('folder');
    await page.getByLabel(/Model folder/).setInputFiles(modelFolder);
    await page.waitForFunction(
      () => window.__app.model?.modelId !== undefined || window.__app.errors.length > 0,
      null,
      { timeout: 120_000 },
    );
    expect((await snapshot(page)).model?.dim).toBe(LSEG_DIM);

    // torch writes the sofa's rows along "red" minus what the negatives share, in this model.
    const texts = ['red', ...QUERY_DEFAULTS.negatives];
    const embedded = await page.evaluate(async (t) => {
      const e = await window.__pipeline!.embedTexts(t);
      return { dim: e.dim, data: Array.from(e.data) };
    }, texts);
    const rows = texts.map((_, i) =>
      Float32Array.from(embedded.data.slice(i * embedded.dim, (i + 1) * embedded.dim)),
    );
    const sofa = mesh.objects.find((o) => o.label === 'sofa')!;
    const file = `${OPENSCENE_SCENE}_0.pt`;
    const torch = torchWritesOpenScene(
      python.oracle!,
      path.join(mesh.dir, file),
      mesh.pointCount,
      LSEG_DIM,
      5,
      {
        points: sofa.pointIds!,
        direction: orthogonalToNegatives(rows[0], rows.slice(1)),
      },
    );

    await page.getByTestId('folder-input').setInputFiles(mesh.dir);
    await page.waitForFunction(
      () =>
        (window.__app.extraction !== undefined && window.__app.status === 'ready') ||
        window.__app.errors.length > 0,
      null,
      { timeout: 120_000 },
    );
    const opened = await snapshot(page);
    expect(opened.errors).toEqual([]);
    expect(opened.scene!.info.pointCount).toBe(mesh.pointCount);
    // The whole cloud is drawn (it is under the point budget).
    expect(opened.totalPointCount).toBe(mesh.pointCount);
    expect(opened.pointCount).toBe(mesh.pointCount);
    await page.waitForFunction((n) => window.__app.drawnPoints === n, mesh.pointCount);
    // The imported features are the extraction: torch's mask, torch's width, no views encoded.
    const x = opened.extraction!;
    expect(x.importedFrom).toMatchObject({ format: 'openscene', file });
    expect(x.importedFrom!.textSpace).toMatch(/CLIP ViT-B\/32/);
    expect([x.points, x.seenPoints, x.dim, x.views]).toEqual([
      mesh.pointCount,
      torch.k,
      LSEG_DIM,
      0,
    ]);
    const summary = await page.getByTestId('extract-summary').innerText();
    expect(summary).toContain(`imported from ${file}`);
    expect(summary).toContain('OpenScene');
    expect(summary).toContain(
      `${torch.k.toLocaleString('en')} of ${mesh.pointCount.toLocaleString('en')}`,
    );

    // A query typed into the box: boxes come back on the planted sofa and the heatmap is drawn.
    const before = await page.locator('canvas').screenshot();
    const drawn = opened.framesDrawn;
    await page.getByTestId('query-input').fill('red');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(
      () =>
        (window.__app.lastQuery?.text === 'red' && window.__app.status === 'ready') ||
        window.__app.errors.length > 0,
      null,
      { timeout: 120_000 },
    );
    await page.waitForFunction((n) => window.__app.framesDrawn > n, drawn);
    const queried = await snapshot(page);
    expect(queried.errors).toEqual([]);
    expect(queried.colorMode).toBe('heatmap');
    expect(queried.queryConfident, queried.queryReason).toBe(true);
    const boxes = queried.boxes.filter((b) => b.source === 'query');
    expect(boxes.length).toBeGreaterThan(0);
    const iou = boxIoU(boxes[0], sofa.aabb);
    const recoloured = await differingPixels(before, await page.locator('canvas').screenshot());
    console.log(
      `OpenScene in the browser: ${torch.k}/${mesh.pointCount} points with ${LSEG_DIM}-d features, ` +
        `"red" → ${boxes.length} boxes, best IoU with the sofa ${iou.toFixed(2)}, ` +
        `${recoloured} pixels recoloured by the heatmap`,
    );
    expect(iou).toBeGreaterThanOrEqual(0.5);
    expect(recoloured, 'pixels the heatmap recoloured').toBeGreaterThan(2_000);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  }, 600_000);
});
