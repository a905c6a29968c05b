import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOR_TERMS, FOCAL_SRGB } from '../../src/pipeline/clip/offline/color-terms';
import { OFFLINE_MODEL_ID } from '../../src/pipeline/clip/offline/offline-spec';
import {
  loadClipModel,
  type LoadedClipModel,
} from '../../src/pipeline/clip/model-source/load-clip-model';
import { inMemoryOfflineModelSource } from '../../src/pipeline/clip/model-source/offline-model-source';
import { preprocessBatch } from '../../src/pipeline/clip/preprocess/clip-preprocess';
import type { AppSnapshot } from '../../src/viewer/app-snapshot';
import { batchOf, colorPatch } from '../pipeline/clip/offline/color-patches';
import { hasChromium, useAppSession } from './harness';

if (!hasChromium) console.warn('e2e: /usr/bin/chromium is missing (.ci/run installs it); skipping');

// Issue 4: the bundled offline encoder runs through onnxruntime-web in the browser worker, and
// "a <colour> object" ranks the patch of that colour first among the 11, exactly as in Node.

const SIDE = 224;
const SHADINGS = { flat: 1, 'shaded x0.6': 0.6 } as const;
const TEXTS = COLOR_TERMS.map((t) => `a ${t} object`);

/** The patch colour the unit tests' colorPatch() produces for a uniform shading factor. */
const shadedRgb = (rgb: readonly number[], s: number) =>
  rgb.map((v) => Math.min(255, Math.max(0, Math.round(v * s))));

/** Flat SIDE x SIDE RGB patches, one per colour term and shading, in that order. */
function rgbPatches(): { width: number; height: number; rgb: Uint8Array }[] {
  const patches = [];
  for (const s of Object.values(SHADINGS)) {
    for (const term of COLOR_TERMS) {
      const [r, g, b] = shadedRgb(FOCAL_SRGB[term], s);
      const rgb = new Uint8Array(SIDE * SIDE * 3);
      for (let i = 0; i < rgb.length; i += 3) {
        rgb[i] = r;
        rgb[i + 1] = g;
        rgb[i + 2] = b;
      }
      patches.push({ width: SIDE, height: SIDE, rgb });
    }
  }
  return patches;
}

/** For each text, the index (within its shading's 11 patches) of the best patch, and its margin. */
function rankings(texts: Float32Array, images: Float32Array, dim: number) {
  const out: Record<string, { best: number[]; margin: number[] }> = {};
  Object.keys(SHADINGS).forEach((name, s) => {
    const best: number[] = [];
    const margin: number[] = [];
    COLOR_TERMS.forEach((_, t) => {
      const scores = COLOR_TERMS.map((__, p) => {
        let dot = 0;
        for (let k = 0; k < dim; k++) dot += texts[t * dim + k] * images[(s * 11 + p) * dim + k];
        return dot;
      });
      const b = scores.indexOf(Math.max(...scores));
      best.push(b);
      margin.push(scores[t] - Math.max(...scores.filter((_v, p) => p !== t)));
    });
    out[name] = { best, margin };
  });
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.skipIf(!hasChromium)('offline encoder in the browser worker', () => {
  const session = useAppSession();
  let node: LoadedClipModel;

  beforeAll(async () => {
    node = await loadClipModel(inMemoryOfflineModelSource(), { numThreads: 1 });
  });

  afterAll(async () => {
    await node?.encoder.dispose();
  });

  it('ranks each colour patch first for "a <colour> object", matching Node', async () => {
    const { page } = session.browser;
    // The built-in scene only gives the page something open: this test is about the model.
    await page.goto(`${session.preview.url}#scene=demo-room`);
    await page.waitForFunction(
      () => window.__app?.scene?.id === 'demo-room' && window.__app.status === 'ready',
      null,
      { timeout: 120_000 },
    );
    // Load the offline model the way a user does: Model panel, bundled source, Load model.
    await page.getByLabel('Source').selectOption('offline');
    await page.getByRole('button', { name: 'Load model' }).click();
    await page.waitForFunction(() => window.__app.model?.modelId !== undefined, null, {
      timeout: 60_000,
    });
    const app = (await page.evaluate(() => window.__app)) as AppSnapshot;
    expect(app.model?.modelId).toBe(OFFLINE_MODEL_ID);
    expect(app.errors).toEqual([]);

    const patches = rgbPatches();
    const inBrowser = await page.evaluate(
      async ({ texts, patches }) => {
        const api = window.__pipeline;
        if (!api) throw new Error('the pipeline worker is not running');
        const t = await api.embedTexts(texts);
        const i = await api.embedImages(patches);
        return { modelId: t.modelId, dim: t.dim, texts: t.data, images: i.data, count: i.count };
      },
      { texts: TEXTS, patches },
    );
    expect(inBrowser.modelId).toBe(OFFLINE_MODEL_ID);
    expect(inBrowser.dim).toBe(node.encoder.dim);
    expect(inBrowser.count).toBe(patches.length);
    expect(inBrowser.texts).toBeInstanceOf(Float32Array);
    const dim = inBrowser.dim;

    // Node, twice: the unit tests' input (colorPatch, normalised directly) and the same RGB
    // patches through the pipeline's preprocessing, as the worker does.
    const nodeTexts = await node.encoder.embedTexts(TEXTS);
    const unitInput = batchOf(
      Object.values(SHADINGS).flatMap((s) =>
        COLOR_TERMS.map((t) => colorPatch(FOCAL_SRGB[t], () => s)),
      ),
    );
    const nodeImages = await node.encoder.embedImages(unitInput, patches.length);
    const nodePreprocessed = await node.encoder.embedImages(
      preprocessBatch(
        patches.map((p) => ({ image: { width: p.width, height: p.height, data: p.rgb } })),
      ),
      patches.length,
    );

    const browserRank = rankings(inBrowser.texts, inBrowser.images, dim);
    const nodeRank = rankings(nodeTexts, nodeImages, dim);
    const diffs = {
      texts: maxAbsDiff(inBrowser.texts, nodeTexts),
      images: maxAbsDiff(inBrowser.images, nodeImages),
      imagesViaPreprocess: maxAbsDiff(inBrowser.images, nodePreprocessed),
    };
    const minMargin = Math.min(...Object.values(browserRank).flatMap((r) => r.margin));
    console.log(
      `offline encoder, browser worker vs Node: max |Δ| texts ${diffs.texts.toExponential(2)}, ` +
        `images ${diffs.images.toExponential(2)} (via preprocessing ` +
        `${diffs.imagesViaPreprocess.toExponential(2)}); smallest winning margin ${minMargin.toFixed(4)}`,
    );

    const identity = COLOR_TERMS.map((_, i) => i);
    for (const name of Object.keys(SHADINGS)) {
      const named = (idx: number[]) => idx.map((i) => COLOR_TERMS[i]);
      expect(named(browserRank[name].best), name).toEqual(named(identity));
      expect(browserRank[name].best, name).toEqual(nodeRank[name].best);
      // The winner is clearly ahead, not a float tie (as in the unit tests).
      for (const m of browserRank[name].margin) expect(m).toBeGreaterThan(1e-3);
    }
    expect(diffs.texts).toBeLessThanOrEqual(1e-4);
    expect(diffs.images).toBeLessThanOrEqual(1e-4);
    expect(diffs.imagesViaPreprocess).toBeLessThanOrEqual(1e-4);
    expect(session.browser.errors, session.browser.log.join('\n')).toEqual([]);
  });
});
