/**
 * The session's guarantees when things go wrong, without extraction (unit tier): a superseded
 * open never becomes the scene; a cancel through the host's probe lands inside a reader that
 * reports no progress; clearing one scene's cached features leaves the others; pasted token text
 * gives capped lists with counts of the rest. With extractions (a new scene cancelling one, a
 * failed load keeping features, cache healing): session-reliability.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_LIMITS } from '../../../src/pipeline/defaults';
import { CancelledError } from '../../../src/pipeline/errors';
import { sceneCacheKeyPrefix, sceneFingerprint } from '../../../src/pipeline/features/cache-key';
import type { FileSource } from '../../../src/pipeline/io/file-source';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import type { Scene } from '../../../src/pipeline/scene/types';
import { MemoryFeatureCache } from '../../../src/pipeline/session/feature-cache';
import { PipelineSession } from '../../../src/pipeline/session/pipeline-session';

const text = (s: string) => new TextEncoder().encode(s);

/** A frameless cloud of `n` points on a line (no reconstruction, no views). */
function cloudScene(name: string, n: number): Scene {
  return {
    name,
    format: 'ply',
    cloud: {
      positions: Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 0 ? i / 3 : i % 3)),
      colors: new Uint8Array(n * 3),
    },
    frames: [],
    warnings: [],
  };
}

const PLY = text(
  'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n1 1 1\n',
);

describe('PipelineSession: opening scenes', () => {
  it('a superseded open never becomes the current scene', async () => {
    const session = new PipelineSession();
    const first = await session.openSceneObject('first', cloudScene('first', 4));
    const slow = session.openSceneObject('slow', cloudScene('slow', 5));
    const fast = session.openSceneObject('fast', cloudScene('fast', 6));
    await expect(slow).rejects.toBeInstanceOf(CancelledError);
    const opened = await fast;
    expect(opened.id).toBe('fast');
    expect(session.scene!.name).toBe('fast');
    // Epochs count successful opens only.
    expect(opened.epoch).toBe(first.epoch! + 1);
  });

  it('a cancel through the probe lands inside a reader that reports no progress', async () => {
    const session = new PipelineSession();
    let flag = 0;
    session.setCancelProbe(
      () => flag === 1,
      () => (flag = 0),
    );
    const inner = new MemoryFileSource(new Map([['two.ply', PLY]]), 'two.ply');
    // The page sets the shared flag while the worker is reading the file.
    const source: FileSource = {
      name: inner.name,
      list: () => inner.list(),
      size: (p) => inner.size(p),
      exists: (p) => inner.exists(p),
      readRange: (p, o, l) => inner.readRange(p, o, l),
      read: async (p) => {
        flag = 1;
        return inner.read(p);
      },
    };
    await expect(session.openSource(source)).rejects.toBeInstanceOf(CancelledError);
    expect(session.scene).toBeUndefined();
    // The same file opens once nothing cancels it, and each file read is reported.
    const reads: string[] = [];
    const opened = await session.openSource(inner, (p) => {
      if (p.stage === 'read') reads.push(`${p.done}/${p.total} ${p.unit}`);
    });
    expect(opened.info.pointCount).toBe(2);
    expect(reads).toEqual(['1/1 files']);
  });
});

describe('PipelineSession: clearing cached features', () => {
  it('removes the open scene’s entries (any model or option) or all of them', async () => {
    const cache = new MemoryFeatureCache();
    const session = new PipelineSession({ featureCache: cache });
    const a = cloudScene('a', 4);
    const b = cloudScene('b', 4);
    const files = new Map([['meta.json', text('{}')]]);
    for (const key of ['m1:o1', 'm2:o2']) {
      await cache.save(sceneCacheKeyPrefix(sceneFingerprint(a)) + key, files);
    }
    await cache.save(sceneCacheKeyPrefix(sceneFingerprint(b)) + 'm1:o1', files);
    await session.openSceneObject('a', a);
    expect(await session.clearFeatureCache('scene')).toBe(2);
    expect([...cache.entries.keys()]).toEqual([sceneCacheKeyPrefix(sceneFingerprint(b)) + 'm1:o1']);
    expect(await session.clearFeatureCache('all')).toBe(1);
    expect(cache.entries.size).toBe(0);
    expect(await new PipelineSession().clearFeatureCache('all')).toBe(0);
  });
});

describe('PipelineSession: pasted token text', () => {
  it('sends at most the list limit of diagnostics and boxes, and counts the rest', async () => {
    const session = new PipelineSession();
    await session.openSceneObject('line', cloudScene('line', 10));
    const limit = SESSION_LIMITS.listItems;
    // ~1.1 MB of broken runs (five tokens where six belong, words between them).
    const broken = '<loc1><loc2><loc3><loc4><loc5> x '.repeat(34_000);
    expect(broken.length).toBeGreaterThan(1_100_000);
    const all = session.parseTokens(broken);
    // One diagnostic per broken run: what is sent and what is counted add up to all of them.
    expect(all.diagnostics.length).toBeGreaterThan(0);
    expect(all.diagnostics.length).toBeLessThanOrEqual(limit);
    expect(all.boxes).toEqual([]);
    expect(all.diagnostics.length + all.omitted!.diagnostics).toBe(34_000);
    const good = session.parseTokens('x <loc1><loc2><loc3><loc9><loc9><loc9> '.repeat(limit + 7));
    expect(good.boxes.length).toBe(limit);
    expect(good.omitted).toEqual({ diagnostics: 0, boxes: 7 });
    expect(session.parseTokens('x <loc1><loc2><loc3><loc9><loc9><loc9>').omitted).toBeUndefined();
  });
});
