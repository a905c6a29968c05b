/**
 * Outputs never replace user data: an existing output needs --force, the input is never
 * replaced, and an extraction where no point was seen writes nothing (issue 15, items 3 and 11).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoRoom } from '../../src/demo-room/demo-room';
import { writeSceneBundle } from '../../src/pipeline/scene/bundle/bundle-writer';
import { writeFiles } from '../../src/hosts/node/write-files';
import { buildOfflineModelFiles } from '../../src/pipeline/clip/offline/offline-model-files';
import { tinyTextModel } from '../pipeline/clip/encoder/broken-models';
import { cli } from './run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'output-safety-'));
const sceneDir = path.join(tmp, 'scene');
const bundleDir = path.join(tmp, 'bundle');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const extract = (out: string, ...more: string[]) =>
  cli(
    'extract',
    sceneDir,
    '--model',
    'offline',
    '--out',
    out,
    '--detail',
    'coarse',
    '--json',
    ...more,
  );
const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]),
  );
const lastLine = (text: string) => text.split('\n').at(-1);

beforeAll(async () => {
  const room = generateDemoRoom({
    views: 3,
    width: 96,
    height: 72,
    objectPointSpacing: 0.04,
    shellPointSpacing: 0.08,
  });
  await writeFiles(sceneDir, await writeSceneBundle(room));
  const r = await extract(bundleDir);
  if (r.code !== 0) throw new Error(`extract failed: ${r.stderr}`);
}, 300_000);

describe('outputs never replace user data', () => {
  it('extract --out over an existing bundle is refused without --force, replaced with it', async () => {
    const before = snapshot(bundleDir);
    const refused = await extract(bundleDir);
    expect(refused.code).toBe(1);
    expect(lastLine(refused.stderr)).toBe(
      `error: OutputExistsError: ${bundleDir}: already exists; pass --force to replace it`,
    );
    expect(snapshot(bundleDir)).toEqual(before);
    const forced = await extract(bundleDir, '--force');
    expect(forced.code).toBe(0);
    expect(Object.keys(snapshot(bundleDir)).sort()).toEqual(Object.keys(before).sort());
    expect(readdirSync(tmp).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);

  it('export-3dllm B --out B is refused even with --force; the bundle stays readable', async () => {
    const before = snapshot(bundleDir);
    for (const force of [[], ['--force']]) {
      const r = await cli('export-3dllm', bundleDir, '--out', bundleDir, ...force);
      expect(r.code).toBe(1);
      expect(lastLine(r.stderr)).toMatch(/^error: OutputExistsError: .*the output is the input/);
    }
    expect(snapshot(bundleDir)).toEqual(before);
    const q = await cli('query', bundleDir, 'chair', '--json');
    expect(q.code).toBe(0);
  }, 120_000);

  it('extract --out the scene folder itself is refused', async () => {
    const r = await extract(sceneDir, '--force');
    expect(r.code).toBe(1);
    expect(lastLine(r.stderr)).toMatch(/^error: OutputExistsError: .*the output is the input/);
  });

  it('an extraction where no point was seen by any view writes nothing', async () => {
    // Wider than the 96×72 views: every pixel is inside the border.
    const out = path.join(tmp, 'unseen');
    const r = await extract(out, '--border', '200');
    expect(r.code).toBe(1);
    expect(lastLine(r.stderr)).toMatch(
      /^error: UnsupportedError: .*scene: no point was seen by any view \(--border 200 px\); nothing written/,
    );
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('query with a model producing NaN fails with a ModelError, not threshold null', async () => {
    const files = new Map(buildOfflineModelFiles());
    files.set('onnx/text_model.onnx', tinyTextModel({ nan: true }));
    const modelDir = path.join(tmp, 'nan-model');
    await writeFiles(modelDir, files);
    const r = await cli('query', bundleDir, 'chair', '--model', modelDir, '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lastLine(r.stderr)).toMatch(
      /^error: ModelError: .*text_model\.onnx: 'text_embeds' holds NaN/,
    );
  }, 60_000);
});
