/**
 * The native onnxruntime (onnxruntime-node, which the Node host installs) against the wasm one
 * (onnxruntime-web, what browsers run): the same embeddings from the bundled offline encoder and
 * a full synthetic ViT-B/32, the same typed arrays out, failures as OrtRuntimeError naming the
 * file and stage, and the CLI end to end (`extract` as a process, --runtime native vs wasm).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installNodePlatform, type NodeOrtRuntimeName } from '../../../src/hosts/node/platform';
import { writeFiles } from '../../../src/hosts/node/write-files';
import { generateDemoRoom } from '../../../src/demo-room/demo-room';
import { writeSceneBundle } from '../../../src/pipeline/scene/bundle/bundle-writer';
import { readNpy } from '../../../src/pipeline/io/npy';
import { OrtRuntimeError } from '../../../src/pipeline/errors';
import {
  createOrtSession,
  ensureOrtConfigured,
  ortModule,
  ortRuntime,
} from '../../../src/pipeline/clip/encoder/ort-runtime';
import { l2NormaliseRows } from '../../../src/pipeline/clip/encoder/l2-normalise';
import { loadClipModel } from '../../../src/pipeline/clip/model-source/load-clip-model';
import { inMemoryOfflineModelSource } from '../../../src/pipeline/clip/model-source/offline-model-source';
import { COLOR_TERMS, FOCAL_SRGB } from '../../../src/pipeline/clip/offline/color-terms';
import { batchOf, colorPatch } from '../../pipeline/clip/offline/color-patches';
import { buildSyntheticVitModel } from '../../pipeline/clip/onnx/synthetic-vit-graph';
import { cli, cliProcess } from '../../cli/run-cli';

const RUNTIMES: NodeOrtRuntimeName[] = ['wasm', 'native'];
const TOLERANCE = 1e-4;

function use(runtime: NodeOrtRuntimeName): void {
  installNodePlatform({ runtime });
  // A machine without onnxruntime-node would silently compare wasm with itself.
  expect(ortRuntime().name).toBe(runtime);
  ensureOrtConfigured({ numThreads: 2 });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Measured differences, printed once at the end (the report quotes them). */
const measured: Record<string, number> = {};
afterAll(() => console.log('native vs wasm, max |Δ| after L2 normalisation:', measured));
afterEach(() => installNodePlatform());

describe('native vs wasm onnxruntime', () => {
  it('the offline encoder: the same image and text embeddings, as Float32Arrays', async () => {
    const images = batchOf(COLOR_TERMS.map((term) => colorPatch(FOCAL_SRGB[term], () => 0.8)));
    const texts = [...COLOR_TERMS.map((t) => `a ${t} object`), 'where can I sleep'];
    const out: Record<string, { images: Float32Array; texts: Float32Array }> = {};
    for (const runtime of RUNTIMES) {
      use(runtime);
      const model = await loadClipModel(inMemoryOfflineModelSource());
      try {
        expect(model.encoder.executionProviders).toEqual(runtime === 'native' ? ['cpu'] : ['wasm']);
        out[runtime] = {
          images: await model.encoder.embedImages(images, COLOR_TERMS.length),
          texts: await model.encoder.embedTexts(texts),
        };
      } finally {
        await model.encoder.dispose();
      }
    }
    for (const runtime of RUNTIMES) {
      expect(out[runtime].images).toBeInstanceOf(Float32Array);
      expect(out[runtime].texts).toBeInstanceOf(Float32Array);
    }
    measured['offline images'] = maxAbsDiff(out.native.images, out.wasm.images);
    measured['offline texts'] = maxAbsDiff(out.native.texts, out.wasm.texts);
    expect(measured['offline images']).toBeLessThanOrEqual(TOLERANCE);
    expect(measured['offline texts']).toBeLessThanOrEqual(TOLERANCE);
  }, 120_000);

  it('a full synthetic ViT-B/32 (12 blocks): the same normalised embeddings', async () => {
    const graph = buildSyntheticVitModel({ layers: 12 });
    const batch = 2;
    const pixels = new Float32Array(batch * 3 * 224 * 224);
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.sin(i * 0.001) * 1.5;
    const out: Record<string, Float32Array> = {};
    for (const runtime of RUNTIMES) {
      use(runtime);
      const session = await createOrtSession(graph, 'synthetic_vit.onnx', {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
      try {
        const feed = new (ortModule().Tensor)('float32', pixels, [batch, 3, 224, 224]);
        const result = await session.run({ pixel_values: feed });
        const embeds = result.image_embeds;
        expect(embeds.type).toBe('float32');
        expect(embeds.dims).toEqual([batch, 512]);
        expect(embeds.data).toBeInstanceOf(Float32Array);
        out[runtime] = Float32Array.from(embeds.data as Float32Array);
        l2NormaliseRows(out[runtime], 512);
      } finally {
        await session.release();
      }
    }
    measured['synthetic ViT-B/32'] = maxAbsDiff(out.native, out.wasm);
    expect(measured['synthetic ViT-B/32']).toBeLessThanOrEqual(TOLERANCE);
  }, 300_000);

  it('native failures name the model file and the stage', async () => {
    use('native');
    const garbage = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const created = createOrtSession(garbage, 'models/broken.onnx');
    await expect(created).rejects.toBeInstanceOf(OrtRuntimeError);
    await expect(created).rejects.toMatchObject({
      file: 'models/broken.onnx',
      stage: 'create-session',
      runtime: 'native',
      kind: 'model',
      message: expect.stringMatching(
        /^models\/broken\.onnx: could not create a session on the native/,
      ),
    });
    const graph = buildSyntheticVitModel({ layers: 1 });
    const session = await createOrtSession(graph, 'models/vit.onnx');
    try {
      const wrong = new (ortModule().Tensor)('float32', new Float32Array(3 * 8 * 8), [1, 3, 8, 8]);
      await expect(session.run({ pixel_values: wrong })).rejects.toMatchObject({
        name: 'OrtRuntimeError',
        file: 'models/vit.onnx',
        stage: 'run',
        message: expect.stringMatching(/^models\/vit\.onnx: inference failed on the native/),
      });
    } finally {
      await session.release();
    }
  }, 120_000);
});

describe('the CLI on both runtimes', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'native-runtime-'));
  const sceneDir = path.join(tmp, 'scene');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  beforeAll(async () => {
    const scene = generateDemoRoom({
      views: 4,
      width: 160,
      height: 120,
      objectPointSpacing: 0.03,
      shellPointSpacing: 0.06,
    });
    await writeFiles(sceneDir, await writeSceneBundle(scene));
  }, 120_000);

  it('extract (as a process) writes the same features with --runtime native and wasm', async () => {
    const runs = await Promise.all(
      RUNTIMES.map((runtime) => {
        const out = path.join(tmp, runtime);
        const args = ['extract', sceneDir, '--model', 'offline', '--out', out, '--stride', '2'];
        return cliProcess([...args, '--features-dtype', 'f4', '--runtime', runtime, '--json']);
      }),
    );
    const features: Record<string, Float32Array> = {};
    RUNTIMES.forEach((runtime, i) => {
      const r = runs[i];
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).runtime).toMatchObject({ runtime });
      const file = path.join(tmp, runtime, 'features.npy');
      const npy = readNpy(new Uint8Array(readFileSync(file)), 'features.npy');
      features[runtime] = npy.data as Float32Array;
    });
    measured['cli extract features.npy'] = maxAbsDiff(features.native, features.wasm);
    expect(measured['cli extract features.npy']).toBeLessThanOrEqual(TOLERANCE);
  }, 300_000);

  it('embed-image/embed-text --json and info say which runtime ran; --runtime is per command', async () => {
    installNodePlatform({ runtime: 'native' });
    const wasm = await cli('embed-text', 'red', '--runtime', 'wasm', '--json');
    expect(wasm.code, wasm.stderr).toBe(0);
    expect(JSON.parse(wasm.stdout).runtime).toMatchObject({ runtime: 'wasm' });
    expect(ortRuntime().name).toBe('native');
    const native = await cli('embed-text', 'red', '--json');
    expect(JSON.parse(native.stdout).runtime).toMatchObject({ runtime: 'native' });
    expect(maxAbsDiff(JSON.parse(native.stdout).first, JSON.parse(wasm.stdout).first)).toBeLessThan(
      TOLERANCE,
    );
    const png = path.join(tmp, 'red.png');
    const rgb = new Uint8Array(32 * 32 * 3).map((_, i) => (i % 3 === 0 ? 200 : 30));
    writeFileSync(png, encodePng({ width: 32, height: 32, data: rgb, channels: 3 }));
    // One after the other: --runtime swaps the process's platform for the command's duration.
    const imageWasm = JSON.parse(
      (await cli('embed-image', png, '--runtime', 'wasm', '--json')).stdout,
    );
    const imageNative = JSON.parse((await cli('embed-image', png, '--json')).stdout);
    expect(imageWasm.runtime).toMatchObject({ runtime: 'wasm' });
    expect(imageNative.runtime).toMatchObject({ runtime: 'native' });
    expect(maxAbsDiff(imageNative.first, imageWasm.first)).toBeLessThan(TOLERANCE);
    const bad = await cli('embed-text', 'red', '--runtime', 'gpu');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: usage error: --runtime expects native or wasm, got 'gpu'$/);
    const info = await cli('info', sceneDir, '--runtime', 'wasm', '--json');
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).onnxRuntime).toEqual({ runtime: 'wasm' });
  }, 120_000);
});
