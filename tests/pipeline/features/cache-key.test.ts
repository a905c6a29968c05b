import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  featureCacheKey,
  sceneFingerprint,
} from '../../../src/pipeline/features/cache-key';
import { resolveExtractOptions } from '../../../src/pipeline/features/extract';
import type { Scene } from '../../../src/pipeline/scene/types';

function scene(): Scene {
  const K = { fx: 1, fy: 1, cx: 0, cy: 0, width: 2, height: 2 };
  return {
    name: 's',
    format: 'bundle',
    cloud: { positions: Float32Array.from([0, 0, 1, 1, 1, 1]), colors: new Uint8Array(6) },
    frames: [0, 1].map((index) => ({
      index,
      name: `f${index}`,
      intrinsics: K,
      depthIntrinsics: K,
      cameraToWorld: Float64Array.from([1, 0, 0, index, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
      loadColor: async () => ({ width: 2, height: 2, data: new Uint8Array(12) }),
      loadDepth: async () => ({
        width: 2,
        height: 2,
        data: new Uint16Array(4),
        depthScale: 1000,
        invalidValues: [0],
      }),
    })),
    warnings: [],
  };
}

describe('feature cache key', () => {
  it('is stable for equal inputs and changes with any option, pose, point or model', () => {
    const base = featureCacheKey(sceneFingerprint(scene()), 'm', resolveExtractOptions({}));
    expect(featureCacheKey(sceneFingerprint(scene()), 'm', resolveExtractOptions({}))).toBe(base);
    expect(featureCacheKey(sceneFingerprint(scene()), 'm2', resolveExtractOptions({}))).not.toBe(
      base,
    );
    for (const change of [
      { frameStride: 2 },
      { cropOverlap: 0.3 },
      { cropScales: [0.5, 0.21] },
      { borderPx: 3 },
      { visibilityThreshold: 0.2 },
    ]) {
      expect(
        featureCacheKey(sceneFingerprint(scene()), 'm', resolveExtractOptions(change)),
        JSON.stringify(change),
      ).not.toBe(base);
    }
    // Batch size changes speed, not results.
    expect(
      featureCacheKey(sceneFingerprint(scene()), 'm', resolveExtractOptions({ batchSize: 4 })),
    ).toBe(base);
    const moved = scene();
    moved.frames[1].cameraToWorld[3] = 1.0000001;
    expect(sceneFingerprint(moved)).not.toBe(sceneFingerprint(scene()));
    const point = scene();
    point.cloud!.positions[0] = 1e-7;
    expect(sceneFingerprint(point)).not.toBe(sceneFingerprint(scene()));
  });
  it('canonical JSON ignores key order and undefined', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe(
      canonicalJson({ a: [1, { d: 2 }], b: 1 }),
    );
  });
});

describe('extract options', () => {
  it('resolve a detail preset to its tiling, let explicit options override it, refuse unknown ones', () => {
    const standard = resolveExtractOptions({});
    expect([standard.cropScales, standard.cropOverlap]).toEqual([[0.2, 0.1], 0.1]);
    const fine = resolveExtractOptions({ detail: 'fine' });
    expect([fine.cropScales, fine.cropOverlap]).toEqual([[0.1, 0.05], 0.5]);
    const coarse = resolveExtractOptions({ detail: 'coarse', cropOverlap: 0.3, frameStride: 2 });
    expect([coarse.cropScales, coarse.cropOverlap, coarse.frameStride]).toEqual([
      [0.5, 0.25],
      0.3,
      2,
    ]);
    // The preset is resolved away: the same tiling spelt out gives the same cache key.
    expect(featureCacheKey('s', 'm', fine)).toBe(
      featureCacheKey(
        's',
        'm',
        resolveExtractOptions({ cropScales: [0.1, 0.05], cropOverlap: 0.5 }),
      ),
    );
    expect(() => resolveExtractOptions({ detail: 'ultra' as never })).toThrow(
      /detail must be one of coarse, standard, fine, got 'ultra'/,
    );
  });
});
