/**
 * `extract` and `export-3dllm` through the real CLI process on the real ICL-NUIM living room, all
 * 211 views (stride 1). The coarse detail preset (`--detail coarse`: crop scales 0.5, 0.25) keeps
 * the encoder-bound run bounded; the standard tiling takes ~17 min on a loaded 2-core machine.
 * Integration tier (about 75 s), and one of the few tests that start the CLI as a process.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpy } from '../../src/pipeline/io/npy';
import { cliProcess, repoRoot } from './run-cli';

const cli = (...args: string[]) => cliProcess(args);

const iclDir = path.resolve(repoRoot, '..', 'shared/data/icl-nuim-livingroom1');
const hasIcl = existsSync(path.join(iclDir, 'trajectory.log'));
if (!hasIcl) console.warn(`skipping the ICL-NUIM CLI extract test: ${iclDir} is missing`);

const VIEWS = 211;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'extract-icl-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const npy = (dir: string, name: string) =>
  readNpy(new Uint8Array(readFileSync(path.join(dir, name))), name);

describe.skipIf(!hasIcl)('cli extract on ICL-NUIM (all 211 views)', () => {
  it('fuses every view at coarse crop scales and exports 3D-LLM scene tokens', async () => {
    const out = path.join(tmp, 'bundle');
    const t0 = performance.now();
    const r = await cli(
      'extract',
      iclDir,
      '--model',
      'offline',
      '--out',
      out,
      '--stride',
      '1',
      // The cloud from every 10th frame (as before reconstruction defaulted to every frame): the
      // features still come from all 211 views.
      '--cloud-stride',
      '10',
      '--detail',
      'coarse',
      '--json',
    );
    const extractWallS = (performance.now() - t0) / 1000;
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    console.log(
      `ICL-NUIM extract (${summary.views} views, ${summary.points} points, ` +
        `${summary.crops} crops): wall ${extractWallS.toFixed(1)} s, ` +
        `timings ${JSON.stringify(summary.timingsS)}, throughput ${JSON.stringify(summary.throughput)}`,
    );

    expect(summary.format).toBe('redwood');
    expect(summary.views).toBe(VIEWS);
    expect(summary.crops).toBeGreaterThan(VIEWS);
    const n: number = summary.points;
    expect(n).toBeGreaterThan(20_000);
    expect(summary.seenPoints).toBeGreaterThan(0.5 * n);
    expect(summary.seenPoints).toBeLessThanOrEqual(n);
    const stages = ['load', 'model', 'encode', 'fuse', 'field', 'write'];
    for (const stage of [...stages, 'total']) {
      expect(typeof summary.timingsS[stage], stage).toBe('number');
      expect(summary.timingsS[stage], stage).toBeGreaterThanOrEqual(0);
    }
    // Disjoint stages (each rounded to 1 ms) add up to at most the total, which is at most the
    // wall time seen from outside the process.
    const stageSum = stages.reduce((s, stage) => s + summary.timingsS[stage], 0);
    expect(stageSum).toBeLessThanOrEqual(summary.timingsS.total + 0.001 * (stages.length + 1));
    expect(summary.timingsS.total).toBeLessThanOrEqual(extractWallS);
    expect(summary.timingsS.encode).toBeGreaterThan(0);
    expect(summary.timingsS.fuse).toBeGreaterThan(0);
    expect(summary.field.minCosine).toBeGreaterThanOrEqual(0.99);
    expect(summary.field.bytesPerPoint).toBeLessThanOrEqual(128);
    // Progress went to stderr and reached the last view.
    expect(r.stderr).toMatch(new RegExp(`encode ${VIEWS}/${VIEWS} views`));

    expect(npy(out, 'points.npy').shape).toEqual([n, 3]);
    const counts = npy(out, 'view_counts.npy');
    expect(counts.dtype).toBe('<u2');
    expect(counts.shape).toEqual([n]);
    let maxCount = 0;
    let nonzero = 0;
    for (const c of counts.data as Uint16Array) {
      if (c > maxCount) maxCount = c;
      if (c > 0) nonzero++;
    }
    expect(maxCount).toBeLessThanOrEqual(VIEWS);
    // Real multi-view fusion: some points are seen from many views, not just one.
    expect(maxCount).toBeGreaterThan(10);
    expect(nonzero).toBe(summary.seenPoints);
    const features = npy(out, 'features.npy');
    expect(features.dtype).toBe('<f2');
    expect(features.shape).toEqual([n, summary.dim]);
    const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(meta.model.id).toBe('offline-colors');
    expect(meta.model.dim).toBe(summary.dim);
    expect(meta.counts).toEqual({
      points: n,
      seenPoints: summary.seenPoints,
      views: VIEWS,
      crops: summary.crops,
    });
    expect(meta.frames).toHaveLength(VIEWS);

    const exported = path.join(tmp, 'export');
    const t1 = performance.now();
    const e = await cli('export-3dllm', out, '--out', exported, '--json');
    const exportWallS = (performance.now() - t1) / 1000;
    expect(e.code, e.stderr).toBe(0);
    const exportSummary = JSON.parse(e.stdout);
    console.log(
      `ICL-NUIM export-3dllm (${exportSummary.voxels} voxels): wall ${exportWallS.toFixed(1)} s, ` +
        `in-process ${exportSummary.seconds} s`,
    );
    const voxels = npy(exported, 'voxels.npy');
    expect(voxels.dtype).toBe('<i4');
    const m = voxels.shape[0];
    expect(voxels.shape).toEqual([m, 3]);
    expect(m).toBeGreaterThan(0);
    expect(m).toBeLessThanOrEqual(5000);
    expect(exportSummary.voxels).toBe(m);
    let vmin = Infinity;
    let vmax = -Infinity;
    for (const v of voxels.data as Int32Array) {
      if (v < vmin) vmin = v;
      if (v > vmax) vmax = v;
    }
    expect(vmin).toBeGreaterThanOrEqual(0);
    expect(vmax).toBeLessThanOrEqual(255);
    const vf = npy(exported, 'voxel_features.npy');
    expect(vf.shape).toEqual([m, summary.dim]);
    expect(npy(exported, 'voxel_features_pe.npy').shape).toEqual([m, summary.dim]);
  }, 900_000);
});
