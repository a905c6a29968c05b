/**
 * Issue 12: `ground` on a heatmap made from GT labels (one category = 1, blurred over a few cm,
 * noise added) returns one box per instance of that category with IoU ≥ 0.5, on both generated
 * rooms, for every category and several noise seeds; and the CLI command does the same.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../../src/pipeline/io/npy';
import { groundScoresOnObjects } from '../../../src/pipeline/query/ground-objects';
import { boxIoU } from '../../../src/pipeline/query/iou';
import { sceneObjects } from '../../../src/pipeline/query/scene-objects';
import { QUERY_DEFAULTS } from '../../../src/pipeline/defaults';
import { inferUp } from '../../../src/pipeline/session/scene-summary';
import {
  generatedClutteredRoom,
  generatedClutteredRoomDir,
  generatedDemoRoom,
} from '../../demo-room/generated-demo-room';
import { cli } from '../../cli/run-cli';
import { gtCategoryHeatmap } from './gt-heatmap';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gt-heatmap-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const options = { blurM: 0.05, noise: 0.1 };

describe.each([
  ['demo room', generatedDemoRoom],
  ['cluttered room', generatedClutteredRoom],
] as const)('GT heatmaps on the %s', (_name, open) => {
  it('one box per instance of every category, IoU ≥ 0.5, over three noise seeds', async () => {
    const scene = await open();
    const index = sceneObjects(scene.cloud!, inferUp(scene));
    const labels = [...new Set((scene.objects ?? []).map((o) => o.label))];
    expect(labels.length).toBeGreaterThanOrEqual(8);
    const failures: string[] = [];
    for (const seed of [1, 2, 3]) {
      for (const label of labels) {
        const scores = gtCategoryHeatmap(scene, label, { ...options, seed });
        const r = groundScoresOnObjects(scores, index, {
          topK: QUERY_DEFAULTS.topK,
        });
        const instances = scene.objects!.filter((o) => o.label === label);
        if (!r.confident) failures.push(`${label} seed ${seed}: ${r.reason}`);
        if (r.boxes.length !== instances.length) {
          failures.push(
            `${label} seed ${seed}: ${r.boxes.length} boxes for ${instances.length} instances`,
          );
        }
        for (const gt of instances) {
          const best = Math.max(0, ...r.boxes.map((b) => boxIoU(b, gt.aabb)));
          if (best < 0.5)
            failures.push(`${label} #${gt.id} seed ${seed}: best IoU ${best.toFixed(2)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('cli ground', () => {
  it('grounds a heatmap file: both chairs of the cluttered room, with tokens', async () => {
    const scene = await generatedClutteredRoom();
    const scores = gtCategoryHeatmap(scene, 'chair', { ...options, seed: 4 });
    const file = path.join(tmp, 'chair.npy');
    writeFileSync(file, writeNpy(scores, [scores.length], '<f4'));
    const r = await cli('ground', generatedClutteredRoomDir(), '--scores', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.confident).toBe(true);
    expect(out.points).toBe(scores.length);
    const chairs = scene.objects!.filter((o) => o.label === 'chair');
    expect(out.boxes).toHaveLength(chairs.length);
    for (const gt of chairs) {
      expect(
        Math.max(...out.boxes.map((b: { min: number[]; max: number[] }) => boxIoU(b, gt.aabb))),
      ).toBeGreaterThanOrEqual(0.5);
    }
    for (const b of out.boxes) expect(b.tokens).toMatch(/^(<loc\d+>){6}$/);
    const human = await cli('ground', generatedClutteredRoomDir(), '--scores', file);
    expect(human.stdout).toMatch(/^.*chair\.npy: 2 boxes on cluttered-room/);
  }, 120_000);

  it('rejects scores of the wrong length, shape or type with the file named', async () => {
    const dir = generatedClutteredRoomDir();
    const short = path.join(tmp, 'short.npy');
    writeFileSync(short, writeNpy(new Float32Array(10), [10], '<f4'));
    const r = await cli('ground', dir, '--scores', short, '--json');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/short\.npy.*10 scores/);
    const ints = path.join(tmp, 'ints.npy');
    const scene = await generatedClutteredRoom();
    const n = scene.cloud!.positions.length / 3;
    writeFileSync(ints, writeNpy(new Int32Array(n), [n], '<i4'));
    const bad = await cli('ground', dir, '--scores', ints);
    expect(bad.stderr).toMatch(/ints\.npy.*float32/);
    const garbage = path.join(tmp, 'garbage.npy');
    writeFileSync(garbage, 'not an npy file at all');
    expect((await cli('ground', dir, '--scores', garbage)).stderr).toMatch(/garbage\.npy/);
    expect((await cli('ground', dir, '--scores', path.join(tmp, 'missing.npy'))).stderr).toMatch(
      /missing\.npy/,
    );
    expect((await cli('ground', dir)).code).not.toBe(0);
  }, 120_000);
});
