/** `extract` and `export-3dllm` through the CLI in-process (runCli), on a small generated demo room. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoRoom } from '../../src/demo-room/demo-room';
import { writeSceneBundle } from '../../src/pipeline/scene/bundle/bundle-writer';
import { writeFiles } from '../../src/hosts/node/write-files';
import { readNpy } from '../../src/pipeline/io/npy';
import { deserialiseFeatureField } from '../../src/pipeline/features/field/field-format';
import { cli } from './run-cli';
import { FEATURE_DETAIL_PRESETS } from '../../src/pipeline/defaults';
import { planCrops } from '../../src/pipeline/features/pixel-features';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'extract-cli-'));
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

const npy = (dir: string, name: string) =>
  readNpy(new Uint8Array(readFileSync(path.join(dir, name))), name);

describe('cli extract', () => {
  it('--features crops --detail picks a crop tiling preset; --overlap overrides it', async () => {
    const out = path.join(tmp, 'coarse');
    const r = await cli(
      'extract',
      sceneDir,
      '--model',
      'offline',
      '--out',
      out,
      '--stride',
      '4',
      '--features',
      'crops',
      '--detail',
      'coarse',
      '--overlap',
      '0.3',
      '--json',
    );
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta.options.cropScales).toEqual([...FEATURE_DETAIL_PRESETS.coarse.cropScales]);
    expect(meta.options.cropOverlap).toBe(0.3);
    // One view: its global embedding plus one crop per tile of the coarse tiling.
    const tiles = planCrops(160, 120, { cropScales: [0.5, 0.25], cropOverlap: 0.3 }).rects.length;
    expect(JSON.parse(r.stdout).crops).toBe(1 + tiles);
    expect(JSON.parse(r.stdout).featureSource).toBe('crops');
  }, 300_000);

  it('uses dense windows by default (six per 160×120 view) and refuses a bad --features', async () => {
    const out = path.join(tmp, 'dense');
    const r = await cli(
      'extract',
      sceneDir,
      '--model',
      'offline',
      '--out',
      out,
      '--stride',
      '4',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.featureSource).toBe('dense');
    expect(summary.denseMethod).toBe('native');
    // 160×120 → 448×336 at the 336-px short side: 3 × 2 windows of 224 px.
    expect(summary.crops).toBe(6 * summary.views);
    const bad = await cli(
      'extract',
      sceneDir,
      '--model',
      'offline',
      '--out',
      out,
      '--features',
      'tiles',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--features expects dense\|crops/);
  }, 300_000);

  it('writes a feature bundle and a JSON summary with per-stage timings', async () => {
    const out = path.join(tmp, 'bundle');
    const r = await cli(
      'extract',
      sceneDir,
      '--model',
      'offline',
      '--out',
      out,
      '--stride',
      '2',
      '--json',
    );
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.views).toBe(2);
    expect(summary.dim).toBeGreaterThan(0);
    // Per-stage timings: disjoint intervals of the run, so they add up to at most the total
    // (each is rounded to 1 ms); the encoder really ran.
    const stages = ['load', 'model', 'encode', 'fuse', 'field', 'write'];
    for (const stage of [...stages, 'total']) {
      expect(Number.isFinite(summary.timingsS[stage]), stage).toBe(true);
      expect(summary.timingsS[stage], stage).toBeGreaterThanOrEqual(0);
    }
    const stageSum = stages.reduce((s, stage) => s + summary.timingsS[stage], 0);
    expect(stageSum).toBeLessThanOrEqual(summary.timingsS.total + 0.001 * (stages.length + 1));
    expect(summary.timingsS.encode).toBeGreaterThan(0);
    expect(summary.field.minCosine).toBeGreaterThanOrEqual(0.99);
    expect(summary.field.bytesPerPoint).toBeLessThanOrEqual(128);
    const n = summary.points;
    expect(npy(out, 'points.npy').shape).toEqual([n, 3]);
    expect(npy(out, 'colors.npy').dtype).toBe('|u1');
    const counts = npy(out, 'view_counts.npy');
    expect(counts.dtype).toBe('<u2');
    expect(Array.from(counts.data).filter((c) => c > 0).length).toBe(summary.seenPoints);
    expect(Math.max(...Array.from(counts.data))).toBeLessThanOrEqual(2);
    const features = npy(out, 'features.npy');
    expect(features.dtype).toBe('<f2');
    expect(features.shape).toEqual([n, summary.dim]);
    const field = deserialiseFeatureField(
      new Uint8Array(readFileSync(path.join(out, 'features.field'))),
    );
    expect(field.count).toBe(n);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta.model.id).toBe('offline-colors');
    expect(meta.normalisation.radius).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/encode \d+\/2 views/);

    const exported = path.join(tmp, 'export');
    const e = await cli('export-3dllm', out, '--out', exported, '--pe-weight', '0.5', '--json');
    expect(e.code).toBe(0);
    const voxels = npy(exported, 'voxels.npy');
    const vf = npy(exported, 'voxel_features.npy');
    const pe = npy(exported, 'voxel_features_pe.npy');
    expect(voxels.dtype).toBe('<i4');
    expect(vf.shape).toEqual([voxels.shape[0], summary.dim]);
    expect(pe.shape).toEqual(vf.shape);
    // PE at weight 0.5: channel 1 of axis x is cos(0) = 1 at x = 0, in general cos(x·1) → check one row.
    const x = (voxels.data as Int32Array)[0];
    const diff = (pe.data as Float32Array)[1] - (vf.data as Float32Array)[1];
    expect(diff).toBeCloseTo(0.5 * Math.cos(x), 5);
  }, 600_000);

  it('fails with one clear line on bad input', async () => {
    const noOut = await cli('extract', sceneDir, '--model', 'offline');
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out/);
    const missing = await cli(
      'extract',
      path.join(tmp, 'nope'),
      '--model',
      'offline',
      '--out',
      path.join(tmp, 'x'),
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.split('\n')).toHaveLength(1);
    const badStride = await cli('extract', sceneDir, '--out', path.join(tmp, 'y'), '--stride', '0');
    expect(badStride.code).not.toBe(0);
    expect(badStride.stderr).toMatch(/stride/);
    const badDetail = await cli(
      'extract',
      sceneDir,
      '--out',
      path.join(tmp, 'y'),
      '--detail',
      'max',
    );
    expect(badDetail.code).toBe(2);
    expect(badDetail.stderr).toMatch(/--detail expects coarse\|standard\|fine, got 'max'/);
    // A misspelt flag is refused, not silently ignored.
    const typo = await cli('extract', sceneDir, '--out', path.join(tmp, 'y'), '--detial', 'fine');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown flag --detial for 'extract'/);
    expect(existsSync(path.join(tmp, 'y'))).toBe(false);
    const notBundle = await cli('export-3dllm', sceneDir, '--out', path.join(tmp, 'z'));
    expect(notBundle.code).not.toBe(0);
    expect(notBundle.stderr).toMatch(/meta\.json/);
    expect(existsSync(path.join(tmp, 'z'))).toBe(false);
  }, 300_000);
});
