/**
 * The one session the worker and the CLI drive, in Node, with a model: the generated demo room
 * opened as a built-in bundle, the bundled offline colour encoder (real ONNX graphs in
 * onnxruntime-web), a few views. Truths: the demo room's GT boxes, the bundle reader, round
 * trips. Integration tier (ONNX runtime, whole extractions); scenes and defaults without a
 * model are in pipeline-session.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../../src/hosts/node/node-file-source';
import { inMemoryOfflineModelSource } from '../../../src/pipeline/clip/model-source/offline-model-source';
import { loadClipModel } from '../../../src/pipeline/clip/model-source/load-clip-model';
import type { ClipEncoder } from '../../../src/pipeline/clip/types';
import { QUERY_DEFAULTS } from '../../../src/pipeline/defaults';
import { CancelledError, UnsupportedError } from '../../../src/pipeline/errors';
import { readFeatureBundle } from '../../../src/pipeline/features/bundle';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import { readNpy } from '../../../src/pipeline/io/npy';
import { boxIoU } from '../../../src/pipeline/query/iou';
import { MemoryFeatureCache } from '../../../src/pipeline/session/feature-cache';
import { PipelineSession, type BuiltInScene } from '../../../src/pipeline/session/pipeline-session';
import type { ExtractInput, ModelInfo } from '../../../src/pipeline/session/types';
import { generatedDemoRoomDir } from '../../demo-room/generated-demo-room';

/** Every 6th of the 24 views, coarse tiles: enough to see every object, quick to run. */
const FEW_VIEWS: ExtractInput = { detail: 'coarse', frameStride: 6 };

let demoRoom: BuiltInScene;
let encoder: ClipEncoder;
let info: ModelInfo;

beforeAll(async () => {
  const dir = generatedDemoRoomDir();
  demoRoom = {
    id: 'demo-room',
    name: 'Demo room',
    description: 'the generated bundle',
    source: () => NodeFileSource.open(dir),
  };
  const loaded = await loadClipModel(inMemoryOfflineModelSource());
  encoder = loaded.encoder;
  info = { kind: 'offline', modelId: encoder.modelId, label: 'offline', dim: encoder.dim };
});

/** The encoder shared by every session here: sessions dispose their model, this one must live. */
function sharedEncoder(): ClipEncoder {
  return {
    modelId: encoder.modelId,
    dim: encoder.dim,
    embedImages: (p, b) => encoder.embedImages(p, b),
    embedTexts: (t) => encoder.embedTexts(t),
    unknownWords: (t) => encoder.unknownWords?.(t) ?? [],
    dispose: async () => undefined,
  };
}

async function openedSession(featureCache?: MemoryFeatureCache) {
  const session = new PipelineSession({ builtInScenes: [demoRoom], featureCache });
  await session.openBuiltInScene('demo-room');
  await session.useModel(sharedEncoder(), info);
  return session;
}

describe('PipelineSession: extract, query, tokens, export', () => {
  let session: PipelineSession;
  const cache = new MemoryFeatureCache();

  beforeAll(async () => {
    session = await openedSession(cache);
  });

  it('extracts, then grounds each colour in its object (GT boxes of the demo room)', async () => {
    const summary = await session.extract(FEW_VIEWS);
    expect(summary.fromCache).toBe(false);
    expect(summary.views).toBe(4);
    expect(summary.points).toBe(session.scene!.cloud!.positions.length / 3);
    // 4 of the 24 views, each a close look at one or two objects: well over a quarter is seen.
    expect(summary.seenPoints).toBeGreaterThan(summary.points / 4);
    expect(cache.entries.has(summary.cacheKey)).toBe(true);

    const counts = session.viewCounts()!;
    expect(counts.max).toBeLessThanOrEqual(4);
    expect(counts.min).toBeGreaterThanOrEqual(1);

    const gt = session.scene!.objects!.find((o) => o.colorName === 'red')!;
    const reply = await session.query({ text: 'red' });
    expect(reply.boxes.length).toBeGreaterThan(0);
    expect(boxIoU(reply.boxes[0], gt.aabb)).toBeGreaterThan(0.5);
    expect(reply.boxes[0].tokens).toMatch(/^(<loc\d+>){6}$/);
    expect(reply.scores.values.length).toBe(session.viewCloud(400_000).positions.length / 3);
    expect(reply.confident).toBe(true);
    expect(reply.boxes[0].objectId).toBeGreaterThanOrEqual(0);
    // A word the colour-only model does not know: no box, and the reply says why.
    const chair = await session.query({ text: 'chair' });
    expect(chair).toMatchObject({ confident: false, boxes: [] });
    expect(chair.reason).toMatch(/does not know 'chair'/);
    // Voxel blobs on request.
    const blobs = await session.query({ text: 'red', grounding: 'clusters' });
    expect(blobs.confident).toBe(true);
    expect(blobs.boxes[0].objectId).toBeUndefined();
  });

  it('decodes the location tokens of a box back to it (within one bin)', () => {
    const min: [number, number, number] = [-1, 0.5, 0.1];
    const max: [number, number, number] = [0.4, 1.5, 0.9];
    const tokens = session.encodeTokens(min, max);
    const parsed = session.parseTokens(`the sofa ${tokens}.`);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.boxes).toHaveLength(1);
    const bin = (2 * parsed.normalisation.radius) / QUERY_DEFAULTS.locationBins;
    for (let a = 0; a < 3; a++) {
      expect(Math.abs(parsed.boxes[0].min[a] - min[a])).toBeLessThanOrEqual(bin);
      expect(Math.abs(parsed.boxes[0].max[a] - max[a])).toBeLessThanOrEqual(bin);
    }
  });

  it('exports a bundle the reader accepts and the 3D-LLM files', async () => {
    const exported = session.exportBundle();
    expect(exported.name).toMatch(/-features$/);
    const bundle = await readFeatureBundle(new MemoryFileSource(exported.files, 'export'));
    expect(bundle.meta.counts.views).toBe(4);
    const llm = session.export3dLlm(0.5);
    const voxels = readNpy(llm.files.get('voxels.npy')!, 'voxels.npy');
    const features = readNpy(llm.files.get('voxel_features.npy')!, 'voxel_features.npy');
    expect(voxels.shape[1]).toBe(3);
    expect(features.shape).toEqual([voxels.shape[0], bundle.meta.model.dim]);
  });

  it('restores from the cache with identical answers, and heals an unreadable entry', async () => {
    const first = await session.query({ text: 'blue', topK: 3 });
    const again = await openedSession(cache);
    const restored = await again.extract(FEW_VIEWS);
    expect(restored.fromCache).toBe(true);
    const second = await again.query({ text: 'blue', topK: 3 });
    expect(second.boxes).toEqual(first.boxes);

    // Truncate the cached field: the entry is dropped, features recomputed and cached again.
    const files = cache.entries.get(restored.cacheKey)!;
    const field = files.get('features.field')!;
    files.set('features.field', field.subarray(0, field.length >> 1));
    const third = await openedSession(cache);
    const healed = await third.extract(FEW_VIEWS);
    expect(healed.fromCache).toBe(false);
    expect(cache.entries.get(healed.cacheKey)!.get('features.field')!.length).toBe(field.length);
    expect((await third.query({ text: 'blue', topK: 3 })).boxes).toEqual(first.boxes);
  });

  it('refuses a query with another model than the features were made with', async () => {
    const other = await openedSession();
    await expect(other.query({ text: 'red' })).rejects.toThrow(/Extract features first/);
    await other.extract(FEW_VIEWS);
    await other.useModel({ ...sharedEncoder(), modelId: 'someone-else' }, { ...info });
    await expect(other.query({ text: 'red' })).rejects.toThrow(/extracted with offline-colors/);
    await expect(session.query({ text: '   ' })).rejects.toBeInstanceOf(UnsupportedError);
  });
});

describe('PipelineSession: jobs', () => {
  it('cancels an extraction from its progress and keeps no half result', async () => {
    const session = await openedSession();
    const run = session.extract(FEW_VIEWS, (p) => {
      if (p.stage === 'encode') session.cancel();
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    await expect(session.query({ text: 'red' })).rejects.toThrow(/Extract features first/);
  });

  it('cancels through the host probe and resets it when the next job starts', async () => {
    const session = await openedSession();
    let flag = 1;
    let resets = 0;
    session.setCancelProbe(
      () => flag === 1,
      () => {
        resets++;
      },
    );
    await expect(session.extract(FEW_VIEWS)).rejects.toBeInstanceOf(CancelledError);
    expect(resets).toBe(1);
    flag = 0;
    await expect(session.extract(FEW_VIEWS)).resolves.toMatchObject({ views: 4 });
    expect(resets).toBe(2);
  });

  it('a new scene aborts the extraction in flight', async () => {
    const session = await openedSession();
    let reopened: Promise<unknown> | undefined;
    const run = session.extract(FEW_VIEWS, (p) => {
      if (p.stage === 'encode' && !reopened) reopened = session.openBuiltInScene('demo-room');
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    await expect(reopened).resolves.toMatchObject({ id: 'demo-room' });
  });

  it('checks images before embedding them', async () => {
    const session = await openedSession();
    await expect(
      session.embedImages([{ width: 2, height: 2, rgb: new Uint8Array(5) }]),
    ).rejects.toThrow(/image 0: expected 12 RGB bytes/);
    await expect(
      session.embedImages([{ width: 1e6, height: 1e6, rgb: new Uint8Array(3) }]),
    ).rejects.toThrow(/too large/);
    const red = { width: 4, height: 4, rgb: new Uint8Array(48).fill(0) };
    for (let i = 0; i < 48; i += 3) red.rgb[i] = 230;
    const images = await session.embedImages([red]);
    const texts = await session.embedTexts(['a red object', 'a blue object']);
    expect({ count: images.count, dim: images.dim }).toEqual({ count: 1, dim: encoder.dim });
    const dot = (a: Float32Array, off: number) => {
      let s = 0;
      for (let i = 0; i < encoder.dim; i++) s += images.data[i] * a[off + i];
      return s;
    };
    expect(dot(texts.data, 0)).toBeGreaterThan(dot(texts.data, encoder.dim));
  });
});
