/** `tokens encode|decode` through the CLI in-process (runCli), against a generated bundle meta.json. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as runCli } from './run-cli';

const cli = (args: string[]) => runCli(...args);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tokens-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// Only meta.json is needed for tokens: centroid (1, 2, 0.5), radius 4 → bins of 1/32 m.
const bundle = path.join(tmp, 'bundle');
mkdirSync(bundle, { recursive: true });
writeFileSync(
  path.join(bundle, 'meta.json'),
  JSON.stringify({ normalisation: { centroid: [1, 2, 0.5], radius: 4 } }),
);

describe('cli tokens', () => {
  it('encodes a box with the bundle normalisation (hand-computed bins)', async () => {
    // x: (0 - 1)/4·128 + 128 = 96; y: (1.5 - 2)/4·128 + 128 = 112; z: (0 - 0.5)/4·128 + 128 = 112
    // x: (2 - 1)/4·128 + 128 = 160; y: (2.75 - 2)/4·128 + 128 = 152; z: (1.3 - 0.5)/4·128 + 128 = 153.6 → 153
    const r = await cli([
      'tokens',
      'encode',
      bundle,
      '0',
      '1.5',
      '0',
      '2',
      '2.75',
      '1.3',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.locationBins).toEqual([96, 112, 112, 160, 152, 153]);
    expect(out.tokens).toBe('<loc96><loc112><loc112><loc160><loc152><loc153>');
    // bin centres: c0 + (b + 0.5 - 128)/32
    expect(out.decoded.min).toEqual(
      [1 + (96.5 - 128) / 32, 2 + (112.5 - 128) / 32, 0.5 + (112.5 - 128) / 32].map((v) =>
        Number(v.toFixed(4)),
      ),
    );
  });

  it('decodes free text into labelled boxes and diagnostics, exit 0', async () => {
    const text =
      'red sofa: <loc96><loc112><loc112><loc160><loc152><loc153>\nlamp <loc1><loc2><loc300>';
    const r = await cli(['tokens', 'decode', bundle, text, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.boxes).toHaveLength(1);
    expect(out.boxes[0].label).toBe('red sofa');
    expect(out.boxes[0].box.max[0]).toBeCloseTo(1 + (160.5 - 128) / 32, 9);
    expect(out.diagnostics.map((d: { code: string }) => d.code)).toEqual([
      'token-count',
      'bin-out-of-range',
    ]);
    const human = await cli(['tokens', 'decode', bundle, text]);
    expect(human.stdout).toContain('1. "red sofa" <loc96>');
    expect(human.stdout).toContain('error [token-count]');
  });

  it('reads only the vocabulary spelling <locK> unless --lenient', async () => {
    const text = 'chair <LOC96><loc 112><loc0112><loc+160><loc152><loc153>';
    const strict = JSON.parse((await cli(['tokens', 'decode', bundle, text, '--json'])).stdout);
    expect(strict.boxes).toEqual([]);
    expect(strict.diagnostics.map((d: { code: string }) => d.code)).toEqual(
      Array(4).fill('malformed-token'),
    );
    const r = await cli(['tokens', 'decode', bundle, text, '--lenient', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lenient = JSON.parse(r.stdout);
    expect(lenient.diagnostics).toEqual([]);
    expect(lenient.boxes.map((b: { tokens: string }) => b.tokens)).toEqual([
      '<loc96><loc112><loc112><loc160><loc152><loc153>',
    ]);
  });

  it('accepts --centroid/--radius instead of a bundle', async () => {
    const r = await cli([
      'tokens',
      'encode',
      '--centroid',
      '0,0,0',
      '--radius',
      '1',
      '-1',
      '-1',
      '-1',
      '0.999',
      '0',
      '0.5',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).locationBins).toEqual([0, 0, 0, 255, 128, 192]);
  });

  it('fails with one line and a non-zero exit on bad input', async () => {
    const [missing, fewCoords, badNumber, noAction] = await Promise.all([
      cli(['tokens', 'encode', path.join(tmp, 'absent'), '0', '0', '0', '1', '1', '1']),
      cli(['tokens', 'encode', bundle, '0', '0', '0']),
      cli(['tokens', 'encode', bundle, '0', '0', '0', '1', '1', 'x']),
      cli(['tokens', 'frobnicate', bundle]),
    ]);
    for (const r of [missing, fewCoords, badNumber, noAction]) {
      expect(r.code).not.toBe(0);
      const lines = r.stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('npm warn'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
    }
    expect(missing.stderr).toContain('absent');
  });
}, 120_000);
