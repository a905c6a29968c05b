import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError, ParseError } from '../../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { parseClipBpeVocab } from '../../../../src/pipeline/clip/tokenizer/load-bpe-vocab';
import {
  createClipTokenizer,
  loadClipTokenizer,
} from '../../../../src/pipeline/clip/tokenizer/load-tokenizer';
import { ClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/clip-tokenizer';
import { toTokenizerJson } from './clip-vocab';
import { smallMergesFile, smallMergesGz } from './small-vocab';

const enc = (s: string) => new TextEncoder().encode(s);
const smallSpec = () => parseClipBpeVocab(smallMergesGz(), 'small.txt.gz');
const smallJson = () => JSON.parse(toTokenizerJson(smallSpec(), 'strings')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function expectModelError(json: unknown, message: RegExp) {
  expect(() => createClipTokenizer(enc(JSON.stringify(json)), 'bad/tokenizer.json')).toThrow(
    ModelError,
  );
  expect(() => createClipTokenizer(enc(JSON.stringify(json)), 'bad/tokenizer.json')).toThrow(
    message,
  );
}

describe('tokenizer loaders', () => {
  const texts = ['red blue green', 'Éé 😀 &amp; 42', 'a'.repeat(300)];

  it('reads tokenizer.json, gzipped and plain merges files to the same tokenizer', async () => {
    const fromGz = createClipTokenizer(smallMergesGz(), 'v.txt.gz');
    const fromText = createClipTokenizer(smallMergesFile(), 'v.txt');
    const json = enc('\ufeff\n  ' + toTokenizerJson(smallSpec(), 'pairs'));
    const fromJson = await loadClipTokenizer(
      new MemoryFileSource({ 'm/tokenizer.json': json }),
      'm/tokenizer.json',
    );
    for (const t of texts) {
      expect(fromText.encode(t)).toEqual(fromGz.encode(t));
      expect(fromJson.encode(t)).toEqual(fromGz.encode(t));
    }
  });

  it('takes ids from the file, whatever the vocabulary size and numbering', () => {
    const spec = smallSpec();
    const shift = 1000;
    const shifted = { ...spec, vocab: new Map([...spec.vocab].map(([t, id]) => [t, id + shift])) };
    shifted.startId += shift;
    shifted.endId += shift;
    const json = JSON.parse(toTokenizerJson(shifted, 'strings'));
    const tokenizer = createClipTokenizer(enc(JSON.stringify(json)), 'shifted.json');
    expect(tokenizer.vocabSize).toBe(spec.vocab.size + shift);
    const plain = new ClipTokenizer(spec);
    for (const t of texts)
      expect(tokenizer.encode(t)).toEqual(plain.encode(t).map((id) => id + shift));
  });

  it('rejects tokenizers that are not CLIP-like with a clear ModelError', () => {
    const wordPiece = smallJson();
    wordPiece.model.type = 'WordPiece';
    expectModelError(wordPiece, /not a CLIP tokenizer.*WordPiece/);
    const noSuffix = smallJson();
    delete noSuffix.model.end_of_word_suffix;
    expectModelError(noSuffix, /end_of_word_suffix/);
    const noSpecials = smallJson();
    noSpecials.added_tokens = [];
    delete noSpecials.model.vocab['<|startoftext|>'];
    delete noSpecials.model.vocab['<|endoftext|>'];
    expectModelError(noSpecials, /<\|startoftext\|> and <\|endoftext\|>/);
    const noBytes = smallJson();
    delete noBytes.model.vocab['Ġ</w>'];
    expectModelError(noBytes, /byte 0x20/);
    const badMerge = smallJson();
    badMerge.model.merges.push('zz qq');
    expectModelError(badMerge, /merge 11 'zz qq'/);
    const hugeId = smallJson();
    hugeId.model.vocab.red = 2 ** 40;
    expectModelError(hugeId, /token id/);
    expectModelError({ model: { type: 'Unigram', vocab: [] } }, /Unigram/);
    expect(() => createClipTokenizer(enc('{"model": '), 'cut.json')).toThrow(ParseError);
  });

  it('rejects broken merges files with the line number', () => {
    const broken = enc('#version: 0.2\nr e\nthree part merge\n');
    expect(() => createClipTokenizer(broken, 'v.txt')).toThrow(/v\.txt line 3/);
    const gz = smallMergesGz();
    expect(() => createClipTokenizer(gz.subarray(0, gz.length - 10), 'cut.gz')).toThrow(ParseError);
  });

  it('fuzz: mutated tokenizer.json, .gz and text files parse or throw ParseError/ModelError', () => {
    const inputs = [
      enc(toTokenizerJson(smallSpec(), 'strings')),
      smallMergesGz(),
      smallMergesFile(),
    ];
    const mutation = fc.record({
      which: fc.integer({ min: 0, max: inputs.length - 1 }),
      kind: fc.constantFrom('truncate', 'flip', 'garbage', 'splice'),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bit: fc.integer({ min: 0, max: 7 }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    });
    let parsed = 0;
    fc.assert(
      fc.property(mutation, ({ which, kind, at, bit, bytes }) => {
        const src = inputs[which];
        const pos = Math.floor(at * src.length);
        let data: Uint8Array;
        if (kind === 'truncate') data = src.subarray(0, pos);
        else if (kind === 'flip') {
          data = src.slice();
          if (pos < data.length) data[pos] ^= 1 << bit;
        } else if (kind === 'garbage') data = bytes;
        else data = new Uint8Array([...src.subarray(0, pos), ...bytes, ...src.subarray(pos)]);
        try {
          const tokenizer = createClipTokenizer(data, 'fuzz');
          const ids = tokenizer.encode('red green 😀');
          expect(ids.every((id) => id >= 0 && id < tokenizer.vocabSize)).toBe(true);
          parsed++;
        } catch (err) {
          if (!(err instanceof ParseError || err instanceof ModelError)) throw err;
        }
      }),
      { numRuns: 1500 },
    );
    expect(parsed).toBeGreaterThan(0);
  });
});
