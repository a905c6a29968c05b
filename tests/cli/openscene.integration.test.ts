/**
 * OpenScene both ways, through real torch. torch writes random fused features
 * ({feat: float16 [K, D], mask_full: bool [N]}) over the demo room exported in OpenScene's layout
 * (a ScanNet-style folder with <scene>_vh_clean_2.ply); our import reads exactly torch's values
 * and `query` runs end to end on them. Our export loads in torch with the keys, dtypes and shapes
 * OpenScene reads.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeFeatureBundle } from '../../src/pipeline/features/bundle';
import type { ExtractResult } from '../../src/pipeline/features/extract';
import {
  openSceneBundle,
  readOpenSceneFeatures,
  writeOpenSceneFeatures,
} from '../../src/pipeline/features/openscene';
import { OFFLINE_EMBED_DIM } from '../../src/pipeline/clip/offline/offline-spec';
import {
  OPENSCENE_SCENE as SCENE,
  torchWritesOpenScene,
  writeOpenSceneMeshFolder,
} from '../fixtures/openscene-scene';
import { describeWithPython } from '../oracles/python';
import { cli } from './run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'openscene-'));
let sceneDir = '';
let pointCount = 0;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  ({ dir: sceneDir, pointCount } = writeOpenSceneMeshFolder(tmp, SCENE));
}, 120_000);

describeWithPython('OpenScene features both ways', ['torch'], (py) => {
  it('imports a torch-written <scene>_0.pt over the mesh and answers a query', async () => {
    const file = path.join(sceneDir, `${SCENE}_0.pt`);
    const want = torchWritesOpenScene(py, file, pointCount, OFFLINE_EMBED_DIM, 1);
    // the field our import builds holds exactly torch's values on exactly torch's points
    const imported = readOpenSceneFeatures(new Uint8Array(readFileSync(file)), file, pointCount);
    expect(Buffer.from(Uint8Array.from(imported.viewCounts)).toString('hex')).toBe(want.mask);
    expect(imported.seen).toBe(want.k);
    const bits = new Uint16Array(Buffer.from(want.feat, 'hex').buffer.slice(0));
    const { float16BitsToFloat32 } = await import('../../src/pipeline/io/float16');
    let row = 0;
    for (let i = 0; i < pointCount && row < 50; i++) {
      if (!imported.viewCounts[i]) {
        expect(imported.features[i * OFFLINE_EMBED_DIM]).toBe(0);
        continue;
      }
      for (let d = 0; d < OFFLINE_EMBED_DIM; d++)
        expect(imported.features[i * OFFLINE_EMBED_DIM + d]).toBe(
          float16BitsToFloat32(bits[row * OFFLINE_EMBED_DIM + d]),
        );
      row++;
    }

    const r = await cli('query', sceneDir, 'red', '--model', 'offline', '--json');
    expect(r.stderr).toContain(`${want.k}/${pointCount} points carry ${OFFLINE_EMBED_DIM}-d`);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      confident: boolean;
      seenPoints: number;
      reason?: string;
    };
    expect(result.seenPoints).toBe(want.k);
    expect(typeof result.confident).toBe('boolean');
    if (!result.confident) expect(result.reason).toBeTruthy();
    // the same through --features, from elsewhere
    const moved = path.join(tmp, 'elsewhere.pt');
    writeFileSync(moved, readFileSync(file));
    rmSync(file);
    const r2 = await cli(
      'query',
      sceneDir,
      'red',
      '--model',
      'offline',
      '--features',
      moved,
      '--json',
    );
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stdout).seenPoints).toBe(want.k);
  }, 300_000);

  it('a 512-d (LSeg) file queried with a 64-d model says which text space it needs', async () => {
    const file = path.join(tmp, 'lseg.pt');
    torchWritesOpenScene(py, file, pointCount, 512, 2);
    const r = await cli('query', sceneDir, 'red', '--model', 'offline', '--features', file);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/D = 64, the bundle's features D = 512; .*CLIP ViT-B\/32/);
    const noModel = await cli('query', sceneDir, 'red', '--features', file);
    expect(noModel.stderr).toMatch(/LSeg .*pass --model/);
    const wrongMesh = path.join(tmp, 'wrong.pt');
    torchWritesOpenScene(py, wrongMesh, pointCount + 1, 64, 3);
    const w = await cli('query', sceneDir, 'red', '--model', 'offline', '--features', wrongMesh);
    expect(w.stderr).toMatch(/covers \d+ points but the mesh has \d+ vertices/);
  }, 300_000);

  it('our export loads in torch with the keys, dtypes and shapes OpenScene reads', async () => {
    // a bundle over the demo room: every third point unseen
    const n = pointCount;
    const dim = 8;
    const features = new Float32Array(n * dim);
    const viewCounts = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      viewCounts[i] = i % 3 === 0 ? 0 : 2;
      if (viewCounts[i])
        for (let d = 0; d < dim; d++) features[i * dim + d] = ((i * 7 + d) % 11) / 8 - 0.5;
    }
    const positions = new Float32Array(n * 3).map((_, j) => (j % 7) * 0.1);
    const result = {
      sceneName: SCENE,
      modelId: 'test',
      dim,
      count: n,
      positions,
      colors: new Uint8Array(n * 3),
      features,
      viewCounts,
      frames: [],
      options: {},
      stats: { views: 1, crops: 1, seenPoints: viewCounts.filter((v) => v > 0).length },
      timings: { loadS: 0, encodeS: 0, fuseS: 0 },
      warnings: [],
    } as unknown as ExtractResult;
    const bundle = openSceneBundle(
      SCENE,
      { positions },
      { dim, features, viewCounts, seen: 0 },
      'x',
    );
    const bundleDir = path.join(tmp, 'bundle');
    const { files } = encodeFeatureBundle(result, bundle.field);
    mkdirSync(bundleDir, { recursive: true });
    for (const [p, b] of files) writeFileSync(path.join(bundleDir, p), b);
    const out = path.join(tmp, 'openscene-out');
    const e = await cli('export-openscene', bundleDir, '--out', out, '--json');
    expect(e.code).toBe(0);
    const got = py.run<{
      keys: string[];
      feat: string;
      featShape: number[];
      mask: string;
      maskShape: number[];
      row1: number[];
      seen: number;
    }>(
      `
import json, sys, torch
d = torch.load(json.load(sys.stdin), weights_only=True)
print(json.dumps({"keys": sorted(d.keys()), "feat": str(d["feat"].dtype), "featShape": list(d["feat"].shape),
  "mask": str(d["mask_full"].dtype), "maskShape": list(d["mask_full"].shape),
  "row1": d["feat"][0].float().tolist(), "seen": int(d["mask_full"].sum())}))
`,
      path.join(out, `${SCENE}_0.pt`),
    );
    const seen = viewCounts.filter((v) => v > 0).length;
    expect(got).toMatchObject({
      keys: ['feat', 'mask_full'],
      feat: 'torch.float16',
      featShape: [seen, dim],
      mask: 'torch.bool',
      maskShape: [n],
      seen,
    });
    // the first seen point is point 1; its values are multiples of 1/8, exact in float16
    expect(got.row1).toEqual(Array.from(features.subarray(dim, 2 * dim)));
    // and back through our reader
    const back = readOpenSceneFeatures(
      writeOpenSceneFeatures({ features, viewCounts }, dim),
      'b.pt',
      n,
    );
    expect(Array.from(back.features)).toEqual(Array.from(features));
  }, 300_000);
});
