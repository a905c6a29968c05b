/**
 * `embed-image --dense --json` against torch: a PNG through the CLI (decode, CLIP preprocessing,
 * the model folder torch exported, the rewritten last block) vs the same random-weight model in
 * torch, rebuilt from tests/oracles/clip_vision_torch.py with the fixture's seed, on the same
 * preprocessed pixels.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithPython } from '../../../oracles/python';
import { cli } from '../../../cli/run-cli';
import { encodePngRgb } from '../../../../src/pipeline/image/encode';
import { decodeColorImage } from '../../../../src/pipeline/image/decode';
import { preprocessImage } from '../../../../src/pipeline/clip/preprocess/clip-preprocess';
import { DENSE_BLOCK_METHODS } from '../../../../src/pipeline/clip/dense/types';
import {
  TINY_B32,
  TORCH_CLIP_MODULES,
  TORCH_CLIP_SCRIPT,
  torchClipFixture,
} from './torch-clip-fixture';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cli-dense-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Rebuilds the fixture's vision model (same construction order and generator as the script's
// main), checks it reproduces the fixture's image_embeds, then runs each method on our pixels.
const TORCH_DENSE = `
import importlib.util, json, sys, types
import numpy as np, torch
inp = json.load(sys.stdin)
spec = importlib.util.spec_from_file_location('cvt', inp['script'])
cvt = importlib.util.module_from_spec(spec); spec.loader.exec_module(cvt)
s = inp['spec']
a = types.SimpleNamespace(image_size=224, patch=s['patch'], width=s['width'], layers=s['layers'],
                          heads=s['heads'], mlp=s['mlp'], proj=s['proj'])
gen = torch.Generator().manual_seed(s['seed'])
vision = cvt.CLIPVisionModelWithProjection(a).eval()
cvt.randomise(vision, gen)
v64 = vision.double()
grid = 224 // s['patch']
with torch.no_grad():
    check = torch.tensor(np.load(inp['fixture_pixels'])).double()
    embeds = v64.visual_projection(v64.vision_model(check)[1]).numpy()
    same = float(np.abs(embeds - np.load(inp['fixture_embeds'])).max())
    x = torch.tensor(inp['pixels'], dtype=torch.float32).reshape(1, 3, 224, 224).double()
    _, _, states = v64.vision_model(x)
    feats = cvt.dense_features(v64, states[-2], grid, s['sigma'])
print(json.dumps({'same_model': same, 'dense': {k: v.reshape(-1).tolist() for k, v in feats.items()}}))
`;

describeWithPython('cli embed-image --dense vs torch', TORCH_CLIP_MODULES, (oracle) => {
  it('prints the grid, dim, method and L2-normalised features that torch computes', async () => {
    const fx = torchClipFixture(oracle, TINY_B32);
    const folder = fx.folders.get(17)!;
    // A non-square image with structure, so the preprocessing (resize + centre crop) matters.
    const width = 320;
    const height = 240;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        data[i] = (x * 255) / width;
        data[i + 1] = (y * 255) / height;
        data[i + 2] = ((x >> 4) + (y >> 4)) % 2 ? 220 : 30;
      }
    }
    const png = path.join(tmp, 'pattern.png');
    writeFileSync(png, encodePngRgb({ width, height, data }));
    const pixels = preprocessImage(await decodeColorImage(new Uint8Array(readFileSync(png)), png));
    const ref = fx.reference!;
    // The fixture's reference folder holds the pixels and image_embeds torch computed.
    const refDir = path.join(fx.dir, 'reference');
    const torch = oracle.run<{ same_model: number; dense: Record<string, number[]> }>(TORCH_DENSE, {
      script: TORCH_CLIP_SCRIPT,
      spec: fx.spec,
      pixels: Array.from(pixels),
      fixture_pixels: path.join(refDir, 'pixel_values.npy'),
      fixture_embeds: path.join(refDir, 'image_embeds.npy'),
    });
    // The rebuilt torch model is the exported one.
    expect(torch.same_model).toBeLessThan(
      1e-9 * (1 + Math.max(...ref.imageEmbeds.data.map(Math.abs))),
    );

    const diffs: string[] = [];
    for (const method of DENSE_BLOCK_METHODS) {
      const r = await cli(
        'embed-image',
        '--model',
        folder,
        '--dense',
        '--method',
        method,
        '--json',
        png,
      );
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.grid).toEqual([fx.grid, fx.grid]);
      expect(out.dim).toBe(fx.spec.proj);
      expect(out.method).toBe(method);
      const want = torch.dense[method];
      expect(out.features).toHaveLength(want.length);
      let max = 0;
      want.forEach((v, i) => (max = Math.max(max, Math.abs(v - out.features[i]))));
      diffs.push(`${method} ${max.toExponential(2)}`);
      expect(max, method).toBeLessThanOrEqual(1e-4);
    }
    console.log(`cli embed-image --dense vs torch (7×7): max |Δ| ${diffs.join(', ')}`);
  });

  it('rejects an unknown --method as a usage error', async () => {
    const bad = await cli('embed-image', '--dense', '--method', 'bogus', '--json', 'x.png');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--method expects clearclip\|naclip\|maskclip\|sclip, got 'bogus'/);
  });
});
