/**
 * `extract --model vision:FILE.onnx` with a generated 1408-d vision-only graph on a small demo
 * room, then `export-3dllm`: the loader layout holds [N, 1408] float32 features (the width
 * 3D-LLM's checkpoints take); `query` on the bundle is refused with a message that says why.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoRoom } from '../../src/demo-room/demo-room';
import { writeFiles } from '../../src/hosts/node/write-files';
import { GraphBuilder } from '../../src/pipeline/clip/onnx/graph-builder';
import { isTensor } from '../../src/pipeline/io/torch/tensor';
import { readTorchFile } from '../../src/pipeline/io/torch/torch-file';
import { writeSceneBundle } from '../../src/pipeline/scene/bundle/bundle-writer';
import { mulberry32 } from '../../src/pipeline/random';
import { cli } from './run-cli';

const D = 1408;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vision-only-cli-'));
const sceneDir = path.join(tmp, 'scene');
const modelFile = path.join(tmp, 'eva-vit-g.onnx');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  const scene = generateDemoRoom({
    views: 2,
    width: 160,
    height: 120,
    objectPointSpacing: 0.04,
    shellPointSpacing: 0.08,
  });
  await writeFiles(sceneDir, await writeSceneBundle(scene));
  // pixel_values → per-channel means → ·W: colour-sensitive 1408-d embeddings
  const r = mulberry32(7);
  const g = new GraphBuilder('eva-like', 17);
  const x = g.input('pixel_values', 'float', ['batch', 3, 224, 224]);
  const mean = g.node('ReduceMean', [x], { axes: { ints: [2, 3] }, keepdims: { int: 0 } }, 'm');
  const w = g.floats(
    'W',
    [3, D],
    Float32Array.from({ length: 3 * D }, () => r() * 2 - 1),
  );
  g.output(g.node('MatMul', [mean, w], {}, 'image_features'), 'float', ['batch', D]);
  writeFileSync(modelFile, g.encode());
}, 120_000);

describe('vision-only encoder through the CLI', () => {
  it('extracts 1408-d features, exports them for 3D-LLM, and refuses text queries', async () => {
    const out = path.join(tmp, 'features');
    const r = await cli(
      'extract',
      sceneDir,
      '--model',
      `vision:${modelFile}`,
      '--out',
      out,
      '--features',
      'crops',
      '--detail',
      'coarse',
      '--json',
    );
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta.model).toEqual({ id: 'vision-only:eva-vit-g.onnx', dim: D });

    const exported = path.join(tmp, '3dllm');
    const e = await cli('export-3dllm', out, '--out', exported, '--scene-id', 'scene0000_00');
    expect(e.code).toBe(0);
    expect(e.stderr).not.toMatch(/expect 1408-d/);
    const pt = readTorchFile(
      new Uint8Array(
        readFileSync(
          path.join(exported, 'voxelized_features_sam_nonzero_preprocess', 'scene0000_00.pt'),
        ),
      ),
      'scene0000_00.pt',
    );
    expect(isTensor(pt) && pt.dtype).toBe('float32');
    expect(isTensor(pt) && pt.shape[1]).toBe(D);
    expect(isTensor(pt) && pt.shape[0]).toBeGreaterThan(0);
    expect(isTensor(pt) && pt.shape[0]).toBeLessThanOrEqual(5000);

    const q = await cli('query', out, 'red', '--model', `vision:${modelFile}`);
    expect(q.code).not.toBe(0);
    expect(q.stderr).toMatch(/vision-only encoder \(no text tower\)/);
  }, 600_000);
});
