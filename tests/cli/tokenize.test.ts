import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClipTokenizer } from '../../src/pipeline/clip/tokenizer/load-tokenizer';
import { bpeVocabPath, hasClipVocab, referenceCases } from '../pipeline/clip/tokenizer/clip-vocab';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../..');
const offlineTokenizer = path.join(repoRoot, 'public/models/offline-colors/tokenizer.json');
const hasOffline = existsSync(offlineTokenizer);
if (!hasOffline)
  console.warn(
    `skipping the default-vocabulary CLI test: ${offlineTokenizer} is missing (npm run models)`,
  );

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], viaNpm = false): Promise<CliResult> {
  const [cmd, argv] = viaNpm
    ? ['npm', ['run', '--silent', 'cli', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]];
  try {
    const { stdout, stderr } = await run(cmd, argv, { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs jobs a few at a time (each is a Node process; the machine is shared). */
async function inBatches<T, R>(
  items: T[],
  size: number,
  job: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(job))));
  return out;
}

describe('cli tokenize', () => {
  it.skipIf(!hasClipVocab)(
    'prints the reference ids for every case (npm run --silent cli -- tokenize)',
    async () => {
      const cases = referenceCases();
      const first = await cli(['tokenize', '--vocab', bpeVocabPath, cases[0].text], true);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual(cases[0].ids);
      const results = await inBatches(cases.slice(1), 4, (c) =>
        cli(['tokenize', '--vocab', bpeVocabPath, c.text]),
      );
      results.forEach((r, i) => {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout.trim().split('\n')).toHaveLength(1);
        expect(JSON.parse(r.stdout), cases[i + 1].text).toEqual(cases[i + 1].ids);
      });
    },
    240_000,
  ); // one Node process per case on a shared 2-core machine

  it.skipIf(!hasOffline)('without --vocab uses the offline model tokenizer', async () => {
    const text = 'a GREY lamp & a red sofa';
    const r = await cli(['tokenize', text]);
    expect(r.code, r.stderr).toBe(0);
    const expected = createClipTokenizer(
      new Uint8Array(readFileSync(offlineTokenizer)),
      'tokenizer.json',
    ).encode(text);
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  it('fails with one line and a non-zero exit on a missing or non-CLIP vocabulary, or no text', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tokenize-cli-'));
    const notClip = path.join(dir, 'tokenizer.json');
    writeFileSync(notClip, JSON.stringify({ model: { type: 'WordPiece', vocab: {} } }));
    const [missing, wrong, folder, noText] = await Promise.all([
      cli(['tokenize', '--vocab', path.join(dir, 'absent.txt.gz'), 'hi']),
      cli(['tokenize', '--vocab', notClip, 'hi']),
      cli(['tokenize', '--vocab', dir, 'hi']),
      cli(['tokenize', '--vocab', notClip]),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/absent\.txt\.gz/);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/ModelError: .*not a CLIP tokenizer/);
    expect(folder.stderr).toMatch(/not a CLIP tokenizer/); // a model folder reads its tokenizer.json
    expect(noText.code).toBe(2);
    expect(wrong.stdout + missing.stdout).toBe('');
  });
});
