/**
 * Python oracle: our 3D-LLM loader-layout export read the way 3D-LLM's dataset code reads a scene
 * (3DLLM_BLIP2-base/lavis/datasets/datasets/threedvqa_datasets.py, __getitem__): torch.load of
 * voxelized_features_sam_nonzero_preprocess/<id>.pt on the CPU, np.load of
 * voxelized_voxels_sam_nonzero_preprocess/<id>.npy, the 5,000-row cap and the zero padding to
 * [5000, 1408] / [5000, 3]; and the way inference.py reads them (.long() voxels, (1, N, 3)).
 */
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { FeatureBundle } from '../../../src/pipeline/features/bundle';
import { write3dLlmLoaderLayout } from '../../../src/pipeline/features/export-3dllm-loader';
import { mulberry32 } from '../../../src/pipeline/random';
import { describeWithPython } from '../../oracles/python';

const tmp = mkdtempSync(path.join(os.tmpdir(), '3dllm-layout-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DIM = 1408;

/** `voxels` points in distinct voxels of a 30³ grid, random 1408-d features. */
function gridBundle(points: number, scene: string) {
  const r = mulberry32(points);
  const positions = new Float32Array(points * 3);
  for (let i = 0; i < points; i++) {
    positions[i * 3] = i % 30;
    positions[i * 3 + 1] = Math.floor(i / 30) % 30;
    positions[i * 3 + 2] = Math.floor(i / 900);
  }
  const features = Float32Array.from({ length: points * DIM }, () => r() * 2 - 1);
  return {
    meta: {
      scene,
      model: { id: 'eva-vit-g-test', dim: DIM },
      normalisation: { centroid: [15, 15, 15], radius: 100 },
    } as unknown as FeatureBundle['meta'],
    positions,
    features,
    viewCounts: new Uint16Array(points).fill(1),
  };
}

function writeOut(dir: string, files: Map<string, Uint8Array>) {
  for (const [rel, bytes] of files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), bytes);
  }
}

/** The dataset's __getitem__ steps for one scene id, reported as shapes and checks. */
const LOADER = `
import json, os, sys, numpy as np, torch
root, scene_id = json.load(sys.stdin)
feat_root = os.path.join(root, "voxelized_features_sam_nonzero_preprocess")
voxel_root = os.path.join(root, "voxelized_voxels_sam_nonzero_preprocess")
pc_feat = torch.load(os.path.join(feat_root, f"{scene_id}.pt"), map_location="cpu")
pc = torch.tensor(np.load(os.path.join(voxel_root, f"{scene_id}.npy"))).float().cpu()
raw = {"feat": list(pc_feat.shape), "feat_dtype": str(pc_feat.dtype), "pc": list(pc.shape),
       "pc_min": pc.min().item(), "pc_max": pc.max().item(),
       "row0": pc_feat[0, :3].tolist(), "sum": pc_feat.double().sum().item()}
if pc_feat.shape[0] > 5000:
    idx = torch.sort(torch.randperm(pc_feat.shape[0])[:5000])[1]
    pc_feat, pc = pc_feat[idx], pc[idx]
else:
    pc_feat = torch.cat([pc_feat, torch.zeros(5000 - pc_feat.shape[0], 1408)], dim=0)
    pc = torch.cat([pc, torch.zeros(5000 - pc.shape[0], 3)], dim=0)
pts = torch.from_numpy(np.load(os.path.join(voxel_root, f"{scene_id}.npy"))).long().unsqueeze(0)
print(json.dumps({**raw, "batch_feat": list(pc_feat.shape), "batch_pc": list(pc.shape),
                  "inference_pc": list(pts.shape), "inference_dtype": str(pts.dtype)}))
`;

interface Loaded {
  feat: number[];
  feat_dtype: string;
  pc: number[];
  pc_min: number;
  pc_max: number;
  row0: number[];
  sum: number;
  batch_feat: number[];
  batch_pc: number[];
  inference_pc: number[];
  inference_dtype: string;
}

describeWithPython('3D-LLM loader reading our export', ['torch', 'numpy'], (py) => {
  it('a scene with more than 5,000 voxels: 5,000 rows, [5000, 1408] batches', () => {
    const dir = path.join(tmp, 'big');
    const b = gridBundle(6000, 'scene0100_00');
    const { files, meta } = write3dLlmLoaderLayout(b, { maxVoxels: 6000 });
    writeOut(dir, files);
    const got = py.run<Loaded>(LOADER, [dir, 'scene0100_00']);
    expect(got.feat).toEqual([5000, DIM]);
    expect(got.feat_dtype).toBe('torch.float32');
    expect(got.pc).toEqual([5000, 3]);
    expect(got.batch_feat).toEqual([5000, DIM]);
    expect(got.batch_pc).toEqual([5000, 3]);
    expect(got.inference_pc).toEqual([1, 5000, 3]);
    expect(got.inference_dtype).toBe('torch.int64');
    expect(got.pc_min).toBeGreaterThanOrEqual(0);
    expect(got.pc_max).toBeLessThanOrEqual(255);
    expect(meta.rows).toBe(5000);
  });

  it('a small scene: its rows as written, zero-padded to 5,000 by the loader', () => {
    const dir = path.join(tmp, 'small');
    const b = gridBundle(700, 'scene0200_00');
    const { files } = write3dLlmLoaderLayout(b);
    writeOut(dir, files);
    const got = py.run<Loaded>(LOADER, [dir, 'scene0200_00']);
    expect(got.feat).toEqual([700, DIM]);
    expect(got.batch_feat).toEqual([5000, DIM]);
    expect(got.batch_pc).toEqual([5000, 3]);
    // each point is its own voxel, so row 0 is the feature of the first voxel in (x, y, z) order:
    // point 0 (grid 0, 0, 0)
    expect(got.row0[0]).toBeCloseTo(b.features[0], 6);
    expect(got.row0[2]).toBeCloseTo(b.features[2], 6);
    let sum = 0;
    for (const v of b.features) sum += v;
    expect(got.sum).toBeCloseTo(sum, 2);
  });
});
