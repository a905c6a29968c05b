/** `query` through the CLI in-process (runCli), on a feature bundle of a small generated demo room. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoRoom } from '../../src/demo-room/demo-room';
import { readNpy } from '../../src/pipeline/io/npy';
import { boxIoU } from '../../src/pipeline/query/iou';
import { writeSceneBundle } from '../../src/pipeline/scene/bundle/bundle-writer';
import { writeFiles } from '../../src/hosts/node/write-files';
import { parseLocationTokens } from '../../src/tokens';
import { cli } from './run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'query-cli-'));
const sceneDir = path.join(tmp, 'scene');
const bundleDir = path.join(tmp, 'bundle');
const room = generateDemoRoom({
  views: 6,
  width: 160,
  height: 120,
  objectPointSpacing: 0.03,
  shellPointSpacing: 0.06,
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await writeFiles(sceneDir, await writeSceneBundle(room));
  // Coarse tiles keep the extraction quick; this file is about the query command.
  const r = await cli(
    'extract',
    sceneDir,
    '--model',
    'offline',
    '--out',
    bundleDir,
    '--detail',
    'coarse',
    '--json',
  );
  if (r.code !== 0) throw new Error(`extract failed: ${r.stderr}`);
}, 300_000);

async function readPoints(file: string): Promise<Float32Array> {
  return readNpy(new Uint8Array(readFileSync(file)), file).data as Float32Array;
}

function countInBox(p: Float32Array, box: { min: number[]; max: number[] }): number {
  let count = 0;
  for (let i = 0; i < p.length; i += 3) {
    let inside = true;
    for (let a = 0; a < 3; a++) inside &&= p[i + a] >= box.min[a] && p[i + a] <= box.max[a];
    if (inside) count++;
  }
  return count;
}

interface QueryJson {
  text: string;
  confident: boolean;
  reason?: string;
  threshold: number;
  selectedCount: number;
  boxes: {
    rank: number;
    min: number[];
    max: number[];
    score: number;
    pointCount: number;
    tokens: string;
  }[];
}

describe('cli query', () => {
  it('prints ranked boxes with scores, point counts and location tokens', async () => {
    const r = await cli('query', bundleDir, 'red', '--top-k', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as QueryJson;
    expect(out.text).toBe('red');
    expect(out.boxes.length).toBeGreaterThan(0);
    expect(out.boxes.length).toBeLessThanOrEqual(3);
    expect(out.boxes.map((b) => b.rank)).toEqual(out.boxes.map((_, i) => i + 1));
    const meta = JSON.parse(readFileSync(path.join(bundleDir, 'meta.json'), 'utf8'));
    expect(out.confident).toBe(true);
    for (let k = 1; k < out.boxes.length; k++) {
      expect(out.boxes[k].score).toBeLessThanOrEqual(out.boxes[k - 1].score);
    }
    for (const b of out.boxes) {
      expect(b.score).toBeGreaterThan(0);
      expect(b.pointCount).toBeGreaterThan(0);
      for (let a = 0; a < 3; a++) expect(b.min[a]).toBeLessThanOrEqual(b.max[a]);
      // the tokens decode back to the box within half a bin (bundle normalisation)
      const decoded = parseLocationTokens(b.tokens, { normalisation: meta.normalisation }).boxes[0]
        .box!;
      const halfBin = meta.normalisation.radius / 256;
      for (let a = 0; a < 3; a++) {
        expect(Math.abs(decoded.min[a] - b.min[a])).toBeLessThanOrEqual(halfBin + 1e-6);
        expect(Math.abs(decoded.max[a] - b.max[a])).toBeLessThanOrEqual(halfBin + 1e-6);
      }
    }
    // The red object is the top answer.
    const red = room.objects!.find((o) => o.colorName === 'red')!;
    expect(boxIoU(out.boxes[0], red.aabb)).toBeGreaterThan(0.25);
  }, 120_000);

  it('prints a readable table without --json, and honours --mode cosine and --threshold', async () => {
    const [human, cosine] = await Promise.all([
      cli('query', bundleDir, 'red'),
      cli('query', bundleDir, 'red', '--mode', 'cosine', '--threshold', '0.5', '--json'),
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^"red": \d+ box/);
    expect(human.stdout).toMatch(
      /1\. min \(.*\) max \(.*\) m {2}score [\d.]+ {2}\d+ points {2}(<loc\d+>){6}/,
    );
    expect(cosine.code, cosine.stderr).toBe(0);
    expect(JSON.parse(cosine.stdout).threshold).toBe(0.5);
  }, 120_000);

  it('says "no confident match" for an object the six views never saw (the blue bed)', async () => {
    // Independent truth: the bundle's points inside the bed's GT box.
    const bed = room.objects!.find((o) => o.colorName === 'blue')!;
    const r = await cli('query', bundleDir, 'blue', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const inBed = countInBox(await readPoints(path.join(bundleDir, 'points.npy')), bed.aabb);
    expect(inBed).toBe(0);
    expect(out).toMatchObject({ confident: false, boxes: [] });
    expect(out.reason).toMatch(/stands out|more like the query than like the generic phrases/);
    const human = await cli('query', bundleDir, 'blue');
    expect(human.stdout).toMatch(/^"blue": no confident match: /);
  }, 120_000);

  it('grounds on voxel clusters with --grounding clusters', async () => {
    const r = await cli('query', bundleDir, 'red', '--grounding', 'clusters', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.boxes[0].mass).toBeGreaterThan(0);
    expect(out.boxes[0].objectId).toBeUndefined();
    const bad = await cli('query', bundleDir, 'red', '--grounding', 'blobs');
    expect(bad.code).toBe(2);
  }, 120_000);

  it('fails with one line on a missing bundle, bad options or a model of another dimension', async () => {
    const meta = JSON.parse(readFileSync(path.join(bundleDir, 'meta.json'), 'utf8'));
    const otherModel = path.join(tmp, 'other-model-bundle');
    await writeFiles(
      otherModel,
      new Map(
        ['points.npy', 'colors.npy', 'view_counts.npy', 'features.npy', 'features.field'].map(
          (f) => [f, new Uint8Array(readFileSync(path.join(bundleDir, f)))],
        ),
      ),
    );
    writeFileSync(
      path.join(otherModel, 'meta.json'),
      JSON.stringify({ ...meta, model: { ...meta.model, id: 'someone/else' } }),
    );
    const results = await Promise.all([
      cli('query', path.join(tmp, 'absent'), 'red'),
      cli('query', bundleDir, 'red', '--top-k', '0'),
      cli('query', bundleDir, 'red', '--mode', 'nope'),
      cli('query', otherModel, 'red'),
    ]);
    for (const r of results) {
      expect(r.code).not.toBe(0);
      const lines = r.stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('npm warn'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
    }
    expect(results[3].stderr).toContain("made with 'someone/else'");
  }, 120_000);
});
