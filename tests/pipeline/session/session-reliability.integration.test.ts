/**
 * The session's guarantees when things go wrong, with extractions (a fake encoder on a tiny
 * generated room; integration tier only for time: a few crop extractions take ~4 s here): a new
 * scene cancels the extraction in flight and no late reply is about the old scene; a file that
 * fails to load keeps the scene and its features; a corrupt feature-cache entry is dropped with a
 * warning and recomputed; cached features clear per scene or all. The fast cases (superseded
 * opens, cancelling a parse, capped token lists) are in session-reliability.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { generateDemoRoom } from '../../../src/demo-room/demo-room';
import type { ClipEncoder } from '../../../src/pipeline/clip/types';
import { CancelledError, ParseError } from '../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import { MemoryFeatureCache, type FeatureCache } from '../../../src/pipeline/session/feature-cache';
import { PipelineSession } from '../../../src/pipeline/session/pipeline-session';
import type { ExtractInput, ModelInfo } from '../../../src/pipeline/session/types';
import type { Scene } from '../../../src/pipeline/scene/types';

const FEW: ExtractInput = { features: 'crops', detail: 'coarse', views: 'captured' };
const DIM = 8;

/** A small room (2 views of 64×48, a few hundred points): cheap to crop and fuse. */
const rooms = new Map<number, Scene>();
function tinyRoom(seed: number): Scene {
  const made = rooms.get(seed);
  if (made) return made;
  const room = generateDemoRoom({
    seed,
    views: 2,
    width: 64,
    height: 48,
    objectPointSpacing: 0.15,
    shellPointSpacing: 0.3,
  });
  rooms.set(seed, room);
  return room;
}

/** Embeds an image as its mean colour mixed into DIM dimensions; `gate` holds every call. */
function fakeEncoder(gate?: { wait: Promise<void>; entered: () => void }): ClipEncoder {
  return {
    modelId: 'fake-colour',
    dim: DIM,
    async embedImages(pixels, batch) {
      gate?.entered();
      await gate?.wait;
      const side = 224 * 224;
      const out = new Float32Array(batch * DIM);
      for (let b = 0; b < batch; b++) {
        for (let d = 0; d < DIM; d++) {
          const c = d % 3;
          out[b * DIM + d] = pixels[(b * 3 + c) * side + ((d * 977) % side)] + 2 + d * 0.1;
        }
        let sq = 0;
        for (let d = 0; d < DIM; d++) sq += out[b * DIM + d] ** 2;
        for (let d = 0; d < DIM; d++) out[b * DIM + d] /= Math.sqrt(sq);
      }
      return out;
    },
    async embedTexts(texts) {
      return new Float32Array(texts.length * DIM).fill(1 / Math.sqrt(DIM));
    },
    async dispose() {},
  };
}

const info: ModelInfo = { kind: 'folder', modelId: 'fake-colour', label: 'fake', dim: DIM };

async function sessionWith(encoder: ClipEncoder, featureCache?: FeatureCache) {
  const session = new PipelineSession({ featureCache });
  await session.useModel(encoder, info);
  return session;
}

const text = (s: string) => new TextEncoder().encode(s);

describe('PipelineSession: a new scene during a job', () => {
  it('cancels the extraction in flight; the new scene has the next epoch and no features', async () => {
    let release!: () => void;
    let entered!: () => void;
    const inEncoder = new Promise<void>((r) => (entered = r));
    const gate = { wait: new Promise<void>((r) => (release = r)), entered };
    const session = await sessionWith(fakeEncoder(gate));
    const first = await session.openSceneObject('a', tinyRoom(1));
    const running = session.extract(FEW);
    await inEncoder;
    // The encoder is still busy on room a when room b is opened.
    const second = session.openSceneObject('b', tinyRoom(2));
    release();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    const opened = await second;
    expect(opened.id).toBe('b');
    expect(opened.epoch).toBe(first.epoch! + 1);
    expect(session.viewCounts()).toBeUndefined();
    expect(() => session.exportBundle()).toThrow(/Extract features first/);
  });
});

describe('PipelineSession: a failed load', () => {
  it('keeps the open scene and its extracted features', async () => {
    const session = await sessionWith(fakeEncoder());
    await session.openSceneObject('room', tinyRoom(5));
    const summary = await session.extract(FEW);
    const scene = session.scene;
    const counts = session.viewCounts()!.values.slice();
    const garbled = new MemoryFileSource(
      new Map([['cloud.ply', text('ply\nformat ascii 1.0\nelement vertex 3\nend_header\n1 2\n')]]),
      'garbled',
    );
    const failure = await session.openSource(garbled).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ParseError);
    expect((failure as ParseError).location.file).toMatch(/cloud\.ply/);
    expect(session.scene).toBe(scene);
    expect(Array.from(session.viewCounts()!.values)).toEqual(Array.from(counts));
    expect(session.exportBundle().files.size).toBeGreaterThan(3);
    expect(summary.sceneEpoch).toBeGreaterThan(0);
  });
});

describe('PipelineSession: the feature cache heals itself', () => {
  it('drops a corrupt entry with a warning, recomputes it and caches the good one', async () => {
    const cache = new MemoryFeatureCache();
    const session = await sessionWith(fakeEncoder(), cache);
    await session.openSceneObject('room', tinyRoom(6));
    const good = await session.extract(FEW);
    expect(good.fromCache).toBe(false);
    const saved = new Map(cache.entries.get(good.cacheKey)!);
    // Garbled meta.json: the entry no longer reads back.
    cache.entries.get(good.cacheKey)!.set('meta.json', text('{"version": 1, "model": '));
    const healed = await session.extract(FEW);
    expect(healed.fromCache).toBe(false);
    expect(healed.warnings.join('\n')).toMatch(/cached features .* could not be used.*meta\.json/s);
    expect(cache.entries.get(good.cacheKey)!.get('meta.json')).toEqual(saved.get('meta.json'));
    // And the healed entry is used next time, without a warning.
    const restored = await session.extract(FEW);
    expect(restored.fromCache).toBe(true);
    expect(restored.warnings).toEqual([]);
  });

  it('recomputes when the cache itself fails or holds a bundle of other points', async () => {
    const broken: FeatureCache = {
      load: () => Promise.reject(new Error('IndexedDB did not answer')),
      save: async () => false,
      delete: async () => undefined,
      clear: async () => 0,
    };
    const session = await sessionWith(fakeEncoder(), broken);
    await session.openSceneObject('room', tinyRoom(7));
    const summary = await session.extract(FEW);
    expect(summary.fromCache).toBe(false);
    expect(summary.warnings.join('\n')).toMatch(/did not answer/);

    // A valid bundle of another room under this room's key.
    const cache = new MemoryFeatureCache();
    const other = await sessionWith(fakeEncoder(), cache);
    await other.openSceneObject('other', tinyRoom(8));
    const otherKey = (await other.extract(FEW)).cacheKey;
    const mine = await sessionWith(fakeEncoder(), cache);
    await mine.openSceneObject('room', tinyRoom(7));
    const key = (await mine.extract(FEW)).cacheKey;
    const foreign = new Map(cache.entries.get(otherKey)!);
    const points = tinyRoom(8).cloud!.positions.length / 3;
    expect(points).not.toBe(tinyRoom(7).cloud!.positions.length / 3);
    cache.entries.set(key, foreign);
    const again = await mine.extract(FEW);
    expect(again.fromCache).toBe(false);
    expect(again.warnings.join('\n')).toMatch(new RegExp(`has ${points} points`));
  });

  it('clears one scene’s cached features or all of them', async () => {
    const cache = new MemoryFeatureCache();
    const session = await sessionWith(fakeEncoder(), cache);
    await session.openSceneObject('b', tinyRoom(10));
    await session.extract(FEW);
    await session.openSceneObject('a', tinyRoom(9));
    await session.extract(FEW);
    await session.extract({ ...FEW, frameStride: 2 });
    expect(cache.entries.size).toBe(3);
    expect(await session.clearFeatureCache('scene')).toBe(2);
    expect(cache.entries.size).toBe(1);
    expect((await session.extract(FEW)).fromCache).toBe(false);
    expect(await session.clearFeatureCache('all')).toBe(2);
    expect(cache.entries.size).toBe(0);
    expect(await new PipelineSession().clearFeatureCache('all')).toBe(0);
  });
});
