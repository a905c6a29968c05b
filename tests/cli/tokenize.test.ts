/**
 * `tokenize` through the CLI in-process (runCli); the same command through `npm run --silent cli`
 * is one of the subprocess smoke tests (tests/cli/cli-process.integration.test.ts), and every
 * reference case with CLIP's real vocabulary is tokenize-reference.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClipTokenizer } from '../../src/pipeline/clip/tokenizer/load-tokenizer';
import { cli as runCli, repoRoot } from './run-cli';

const offlineTokenizer = path.join(repoRoot, 'public/models/offline-colors/tokenizer.json');
const hasOffline = existsSync(offlineTokenizer);
if (!hasOffline)
  console.warn(
    `skipping the default-vocabulary CLI test: ${offlineTokenizer} is missing (npm run models)`,
  );

const cli = (args: string[]) => runCli(...args);

describe('cli tokenize', () => {
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
