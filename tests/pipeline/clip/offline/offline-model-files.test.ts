import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLOR_TERMS } from '../../../../src/pipeline/clip/offline/color-terms';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { OFFLINE_VOCAB_WORDS } from '../../../../src/pipeline/clip/offline/offline-spec';
import { createClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer';
import { parseClipBpeVocab } from '../../../../src/pipeline/clip/tokenizer/load-bpe-vocab';

const repoRoot = path.resolve(__dirname, '../../../..');
const sharedVocab = path.resolve(repoRoot, '../shared/data/clip/bpe_simple_vocab_16e6.txt.gz');
const hasShared = existsSync(sharedVocab);
if (!hasShared) console.warn(`skipping the CLIP vocabulary comparison: ${sharedVocab} is missing`);

const files = buildOfflineModelFiles();
const tokenizer = createClipTokenizer(files.get('tokenizer.json')!, 'tokenizer.json');

describe('offline model files', () => {
  it('has the hub model layout', () => {
    expect([...files.keys()].sort()).toEqual(
      [
        'README.md',
        'config.json',
        'onnx/text_model.onnx',
        'onnx/vision_model.onnx',
        'preprocessor_config.json',
        'tokenizer.json',
        'tokenizer_config.json',
      ].sort(),
    );
    const readme = new TextDecoder().decode(files.get('README.md'));
    expect(readme).toMatch(/cannot/i);
    for (const term of COLOR_TERMS) expect(readme).toContain(term);
  });

  it('is deterministic: a second build is byte-identical', () => {
    const again = buildOfflineModelFiles();
    for (const [name, bytes] of files)
      expect(Buffer.compare(Buffer.from(again.get(name)!), Buffer.from(bytes)), name).toBe(0);
  });

  it('`npm run models` (the script) writes exactly those bytes', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'offline-model-'));
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(repoRoot, 'scripts/make-offline-model.ts'), out],
        { cwd: repoRoot, stdio: 'pipe' },
      );
      for (const [name, bytes] of files)
        expect(Buffer.compare(readFileSync(path.join(out, name)), Buffer.from(bytes)), name).toBe(
          0,
        );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('its tokenizer spells every vocabulary word as one token', () => {
    for (const word of OFFLINE_VOCAB_WORDS) {
      const ids = tokenizer.encode(word);
      expect(ids.length, word).toBe(3);
      expect(tokenizer.encode(`A ${word.toUpperCase()}!`).length, word).toBe(5);
    }
    // Not a colour word, so not one token: byte symbols and partial merges.
    expect(tokenizer.encode('reddish').length).toBeGreaterThan(3);
  });

  it('tokenizes any text through the byte symbols (start … end, ids in range)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const ids = tokenizer.encode(text);
        expect(ids[0]).toBe(tokenizer.startId);
        expect(ids[ids.length - 1]).toBe(tokenizer.endId);
        expect(ids.length).toBeLessThanOrEqual(77);
        for (const id of ids) expect(id >= 0 && id < tokenizer.vocabSize).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.skipIf(!hasShared)(
    'lays out its 512 byte symbols exactly as the CLIP vocabulary does (ids 0..511)',
    () => {
      const clip = parseClipBpeVocab(readFileSync(sharedVocab), sharedVocab);
      const ours = createClipTokenizer(files.get('tokenizer.json')!, 'tokenizer.json');
      const oursSpec = JSON.parse(new TextDecoder().decode(files.get('tokenizer.json'))).model
        .vocab as Record<string, number>;
      const clipById = new Map([...clip.vocab].map(([token, id]) => [id, token]));
      for (const [token, id] of Object.entries(oursSpec))
        if (id < 512) expect(clipById.get(id), token).toBe(token);
      // And our colour words are not CLIP's ids (it is our own vocabulary, not a copy).
      expect(ours.encode('red')[1]).not.toBe(clip.vocab.get('red</w>'));
    },
  );
});
