import { describe, expect, it } from 'vitest';
import type { FeatureBundle } from '../../../src/pipeline/features/bundle';
import {
  LLM3D_FEATURE_DIR,
  LLM3D_LAYOUT_META,
  LLM3D_VOXEL_DIR,
  llm3dSceneId,
  write3dLlmLoaderLayout,
} from '../../../src/pipeline/features/export-3dllm-loader';
import { readNpy } from '../../../src/pipeline/io/npy';
import { isTensor } from '../../../src/pipeline/io/torch/tensor';
import { readTorchFile } from '../../../src/pipeline/io/torch/torch-file';

/** `n` points on a line, one per 3D-LLM voxel along x, feature row i = [i, i+0.5, ...]. */
function lineBundle(n: number, dim: number, scene = 'scene0001_00') {
  const positions = new Float32Array(n * 3);
  const features = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    positions[i * 3] = i;
    for (let d = 0; d < dim; d++) features[i * dim + d] = i + d / 2;
  }
  // centroid/radius so that point i lands in voxel i on x (radius 128 → 1 voxel per metre)
  const bundle: Pick<FeatureBundle, 'meta' | 'positions' | 'features' | 'viewCounts'> = {
    meta: {
      scene,
      model: { id: 'test', dim },
      normalisation: { centroid: [0, 0, 0], radius: 128 },
    } as unknown as FeatureBundle['meta'],
    positions,
    features,
    viewCounts: new Uint16Array(n).fill(1),
  };
  return bundle;
}

describe("3D-LLM export in its loader's layout", () => {
  it('writes <scene>.pt (float32 [N, D]) and <scene>.npy (N×3) under both directory names', () => {
    const { files, meta } = write3dLlmLoaderLayout(lineBundle(100, 4));
    expect([...files.keys()].sort()).toEqual(
      [
        LLM3D_LAYOUT_META,
        `${LLM3D_FEATURE_DIR}/scene0001_00.pt`,
        `${LLM3D_VOXEL_DIR}/scene0001_00.npy`,
      ].sort(),
    );
    const feats = readTorchFile(files.get(`${LLM3D_FEATURE_DIR}/scene0001_00.pt`)!, 'f.pt');
    const voxels = readNpy(files.get(`${LLM3D_VOXEL_DIR}/scene0001_00.npy`)!, 'v.npy');
    if (!isTensor(feats)) throw new Error('not a tensor');
    expect(feats.dtype).toBe('float32');
    // points 0..99 with centroid 0, radius 128: voxel x = 128 + i (only 0..127 fit), y = z = 128
    expect(feats.shape).toEqual([100, 4]);
    expect(voxels.shape).toEqual([100, 3]);
    const v = voxels.data as Int32Array;
    const f = feats.data as Float32Array;
    for (let r = 0; r < 100; r++) {
      const i = v[r * 3] - 128;
      expect([v[r * 3 + 1], v[r * 3 + 2]]).toEqual([128, 128]);
      // no position embedding added: the row is point i's own feature
      expect(Array.from(f.subarray(r * 4, r * 4 + 4))).toEqual([i, i + 0.5, i + 1, i + 1.5]);
    }
    expect(meta).toMatchObject({ rows: 100, maxRows: 5000, featureDim: 4 });
    expect((meta as { locationTokens: { bins: number } }).locationTokens.bins).toBe(256);
  });

  it('keeps at most 5,000 rows and says so when more were asked', () => {
    // a 3-D grid of 20×20×20 = 8,000 distinct voxels
    const n = 8000;
    const b = lineBundle(n, 2);
    for (let i = 0; i < n; i++) {
      b.positions[i * 3] = i % 20;
      b.positions[i * 3 + 1] = Math.floor(i / 20) % 20;
      b.positions[i * 3 + 2] = Math.floor(i / 400);
    }
    const dflt = write3dLlmLoaderLayout(b);
    expect(dflt.meta.rows).toBe(5000);
    const asked = write3dLlmLoaderLayout(b, { maxVoxels: 7000 });
    expect(asked.meta.rows).toBe(5000);
    expect(asked.warnings.join(' ')).toMatch(/at most 5000 voxels/);
  });

  it('warns when D is not the 1408 the checkpoints expect, and names files by scene id', () => {
    const { files, warnings } = write3dLlmLoaderLayout(lineBundle(3, 4, 'my room/1'), {
      sceneId: 'room 7',
    });
    expect(warnings.join(' ')).toMatch(/4-d; .* expect 1408-d/);
    expect([...files.keys()]).toContain(`${LLM3D_FEATURE_DIR}/room_7.pt`);
    expect(llm3dSceneId('../x')).toBe('x');
    expect(() => llm3dSceneId('///')).toThrow(/no usable scene id/);
  });
});
