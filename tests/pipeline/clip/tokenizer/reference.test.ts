import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseClipBpeVocab } from '../../../../src/pipeline/clip/tokenizer/load-bpe-vocab';
import { parseTokenizerJson } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer-json';
import { createClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer';
import { ClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/clip-tokenizer';
import {
  bpeVocabPath,
  extraCases,
  hasClipVocab,
  referenceCases,
  toTokenizerJson,
} from './clip-vocab';

describe.skipIf(!hasClipVocab)('CLIP tokenizer vs openai/CLIP simple_tokenizer.py', () => {
  const gz = hasClipVocab ? readFileSync(bpeVocabPath) : new Uint8Array();
  const tokenizer = hasClipVocab
    ? createClipTokenizer(gz, 'bpe_simple_vocab_16e6.txt.gz')
    : undefined!;

  it('builds the 49,408-token vocabulary with start 49406 and end 49407', () => {
    const spec = parseClipBpeVocab(gz);
    expect(spec.merges.length).toBe(48894);
    expect(tokenizer.vocabSize).toBe(49408);
    expect(tokenizer.startId).toBe(49406);
    expect(tokenizer.endId).toBe(49407);
    expect(spec.vocab.get('a</w>')).toBe(320);
  });

  it('gives identical ids for every case in reference/clip-tokenizer.json', () => {
    const cases = referenceCases();
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(tokenizer.encode(c.text), c.text).toEqual(c.ids);
  });

  it('gives identical ids on Unicode, emoji, punctuation, digits, HTML entities, long inputs', () => {
    for (const c of extraCases())
      expect(tokenizer.encode(c.text), JSON.stringify(c.text)).toEqual(c.ids);
  });

  it('reads the plain (gunzipped) merges file the same way', async () => {
    const { gunzipSync } = await import('fflate');
    const plain = createClipTokenizer(gunzipSync(gz), 'bpe_simple_vocab_16e6.txt');
    for (const c of referenceCases()) expect(plain.encode(c.text)).toEqual(c.ids);
  });

  for (const style of ['strings', 'pairs'] as const) {
    it(`a tokenizer.json built from the vocab (merges as ${style}) gives the same ids`, () => {
      const json = toTokenizerJson(parseClipBpeVocab(gz), style);
      const fromJson = createClipTokenizer(new TextEncoder().encode(json), 'tokenizer.json');
      expect(fromJson.vocabSize).toBe(49408);
      for (const c of [...referenceCases(), ...extraCases()]) {
        expect(fromJson.encode(c.text), c.text).toEqual(c.ids);
      }
    });
  }

  it("pads batches with 0 like clip.tokenize, or with tokenizer.json's pad_id", () => {
    const texts = ['a photo of a cat', 'Hello, world!'];
    const { ids, batch, contextLength } = tokenizer.encodeBatch(texts);
    expect([batch, contextLength, ids.length]).toEqual([2, 77, 154]);
    texts.forEach((t, b) => {
      const row = Array.from(ids.subarray(b * 77, (b + 1) * 77), Number);
      const expected = referenceCases().find((c) => c.text === t)!.ids;
      expect(row.slice(0, expected.length)).toEqual(expected);
      expect(row.slice(expected.length)).toEqual(new Array(77 - expected.length).fill(0));
    });
    const spec = parseTokenizerJson(
      new TextEncoder().encode(toTokenizerJson(parseClipBpeVocab(gz), 'strings', 49407)),
    );
    const padded = new ClipTokenizer(spec).encodeBatch(['a chair']).ids;
    expect(Array.from(padded.subarray(0, 5), Number)).toEqual([49406, 320, 4269, 49407, 49407]);
    expect(padded[76]).toBe(49407n);
  });

  it('truncates to 77 with the end token last and keeps the first 75 word tokens', () => {
    const words = Array.from({ length: 120 }, (_, i) => `w${i}`).join(' ');
    const ids = tokenizer.encode(words);
    expect(ids.length).toBe(77);
    expect(ids[0]).toBe(49406);
    expect(ids[76]).toBe(49407);
    const untruncated = tokenizer.encodeContent(words);
    expect(untruncated.length).toBeGreaterThan(75);
    expect(ids.slice(1, 76)).toEqual(untruncated.slice(0, 75));
    // Exactly at the limit nothing is cut.
    const exact = tokenizer.encode(Array.from({ length: 75 }, () => 'a').join(' '));
    expect(exact).toEqual([49406, ...new Array(75).fill(320), 49407]);
  });

  it('splits numbers into one token per digit', () => {
    const content = tokenizer.encodeContent('2026 and 0123456789');
    const digitId = (d: string) => tokenizer.encodeContent(d)[0];
    const and = tokenizer.encodeContent('and');
    expect(content).toEqual([
      ...'2026'.split('').map(digitId),
      ...and,
      ...'0123456789'.split('').map(digitId),
    ]);
    expect(new Set('0123456789'.split('').map(digitId)).size).toBe(10);
  });

  it('encodes the special tokens written in text as themselves, case-insensitively', () => {
    expect(tokenizer.encode('<|endoftext|>')).toEqual([49406, 49407, 49407]);
    expect(tokenizer.encode('<|StartOfText|>x')).toEqual([
      49406,
      49406,
      ...tokenizer.encodeContent('x'),
      49407,
    ]);
  });

  it('caches words in a bounded map without changing results', () => {
    const small = tokenizer.withOptions({ cacheSize: 8 });
    const uncached = tokenizer.withOptions({ cacheSize: 0 });
    const text = extraCases()
      .map((c) => c.text)
      .join(' ');
    expect(small.encode(text)).toEqual(uncached.encode(text));
    expect(small.cachedWords).toBeLessThanOrEqual(8);
    expect(small.cachedWords).toBeGreaterThan(0);
    expect(uncached.cachedWords).toBe(0);
  });
});
