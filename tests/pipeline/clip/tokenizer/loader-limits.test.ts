/** Tokenizer files that are not vocabularies are refused with a typed error and location. */
import { describe, expect, it } from 'vitest';
import { createClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer';
import { gzipSync } from 'fflate';
import { parseClipBpeVocab } from '../../../../src/pipeline/clip/tokenizer/load-bpe-vocab';
import { parseTokenizerJson } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer-json';
import { crc32 } from '../../../../src/pipeline/io/checksums';
import { ModelError, ParseError } from '../../../../src/pipeline/errors';

const enc = (s: string) => new TextEncoder().encode(s);

describe('tokenizer file limits', () => {
  it('refuses a one-line text file (a vocabulary with 0 merges)', () => {
    for (const text of ['hello world\n', 'hello', '#version: 0.2\n\n']) {
      expect(() => createClipTokenizer(enc(text), 'notes.txt')).toThrow(ParseError);
    }
    expect(() => createClipTokenizer(enc('just one line\n'), 'notes.txt')).toThrow(
      /notes\.txt line \d: no merges/,
    );
    // One merge is a (tiny) vocabulary.
    expect(
      createClipTokenizer(enc('#version: 0.2\nr e\n'), 'v.txt').encode('re').length,
    ).toBeGreaterThan(0);
  });

  it('gives tokenizer.json syntax errors a line and column and refuses deep nesting', () => {
    const err = (() => {
      try {
        createClipTokenizer(enc('{\n  "model": {\n    "type": BPE\n  }\n}'), 'm/tokenizer.json');
      } catch (e) {
        return e as ParseError;
      }
    })();
    expect(err).toBeInstanceOf(ParseError);
    expect(err!.location).toEqual({ file: 'm/tokenizer.json', line: 3, column: 13 });
    const deep = enc('{"model": ' + '['.repeat(50_000) + ']'.repeat(50_000) + '}');
    expect(() => createClipTokenizer(deep, 'd.json')).toThrow(/nesting deeper than/);
  });

  it('checks the gzip trailer: CRC-32 and size of the inflated merges', () => {
    const text = '#version: 0.2\nr e\nt h\nth e</w>\n';
    const gz = gzipSync(enc(text));
    expect(parseClipBpeVocab(gz, 'v.txt.gz').merges.length).toBe(3);
    // The trailer holds CRC-32 then ISIZE, little endian (RFC 1952).
    const n = gz.length;
    expect(new DataView(gz.buffer, gz.byteOffset).getUint32(n - 8, true)).toBe(crc32(enc(text)));
    const badCrc = gz.slice();
    badCrc[n - 8] ^= 1;
    expect(() => parseClipBpeVocab(badCrc, 'v.txt.gz')).toThrow(
      /v\.txt\.gz at byte \d+: gzip CRC-32 does not match/,
    );
    const badSize = gz.slice();
    badSize[n - 4] ^= 1;
    expect(() => parseClipBpeVocab(badSize, 'v.txt.gz')).toThrow(ParseError);
  });

  it('refuses tokenizer.json ids that are not int32-sized token ids', () => {
    const spec = (vocabId: number, addedId: number, padId: unknown) =>
      enc(
        JSON.stringify({
          model: {
            type: 'BPE',
            end_of_word_suffix: '</w>',
            vocab: { 'a</w>': vocabId, '<|startoftext|>': 1, '<|endoftext|>': 2 },
            merges: [],
          },
          added_tokens: [{ id: addedId, content: '<|startoftext|>' }],
          padding: { pad_id: padId },
        }),
      );
    expect(parseTokenizerJson(spec(0, 1, 2), 't.json').padId).toBe(2);
    for (const bad of [1.79e308, 2 ** 53 + 2, 2 ** 31, -1, 0.5]) {
      expect(() => parseTokenizerJson(spec(bad, 1, 2), 't.json')).toThrow(ModelError);
      expect(() => parseTokenizerJson(spec(0, bad, 2), 't.json')).toThrow(/added_tokens\[0\]/);
      expect(() => parseTokenizerJson(spec(0, 1, bad), 't.json')).toThrow(/pad_id/);
    }
  });
});
