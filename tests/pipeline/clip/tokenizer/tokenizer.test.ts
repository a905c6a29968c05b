import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { BpeModel } from '../../../../src/pipeline/clip/tokenizer/bpe-model';
import { ClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/clip-tokenizer';
import { parseClipBpeVocab } from '../../../../src/pipeline/clip/tokenizer/load-bpe-vocab';
import { BYTE_TO_UNICODE } from '../../../../src/pipeline/clip/tokenizer/byte-unicode';
import { createClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer';
import { bpeVocabPath, hasClipVocab } from './clip-vocab';
import { SMALL_MERGES, smallMergesGz } from './small-vocab';

describe('byte-level BPE on a small vocabulary', () => {
  const spec = parseClipBpeVocab(smallMergesGz(), 'small.txt.gz');
  const tokenizer = new ClipTokenizer(spec);
  const id = (token: string) => spec.vocab.get(token)!;

  it('numbers the vocabulary like simple_tokenizer: bytes, bytes</w>, merges, start, end', () => {
    expect(tokenizer.vocabSize).toBe(512 + SMALL_MERGES.length + 2);
    expect(id('!')).toBe(0); // bytes_to_unicode starts at '!'
    expect(id('!</w>')).toBe(256);
    expect(id(BYTE_TO_UNICODE[0x20])).toBe(188 + 0x20); // space is remapped: 188 direct bytes first
    expect(id('green</w>')).toBe(515);
    expect(id('red</w>')).toBe(517);
    expect(tokenizer.startId).toBe(522);
    expect(tokenizer.endId).toBe(523);
  });

  it('applies merges by rank and marks the last symbol of each word', () => {
    expect(tokenizer.encode('red blue green')).toEqual([
      522,
      id('red</w>'),
      id('blue</w>'),
      id('green</w>'),
      523,
    ]);
    // 'r e' ranks after 'g r', so 'green' is not split as g|re|e|n.
    expect(tokenizer.encodeContent('gren')).toEqual([id('gre'), id('n</w>')]);
    // 'reds': 'r e' merges, but 'red</w>' needs the word to end at d.
    expect(tokenizer.encodeContent('reds')).toEqual([id('re'), id('d'), id('s</w>')]);
    expect(tokenizer.encodeContent('a')).toEqual([id('a</w>')]);
    // Non-ASCII goes through the UTF-8 byte symbols.
    expect(tokenizer.encodeContent('é')).toEqual([
      id(BYTE_TO_UNICODE[0xc3]),
      id(BYTE_TO_UNICODE[0xa9] + '</w>'),
    ]);
  });

  it('merges every non-overlapping occurrence left to right', () => {
    const model = new BpeModel(parseClipBpeVocab(smallMergesGz(['a a', 'aa a</w>']), 'aa.gz'));
    const v = model.spec.vocab;
    const tokens = (s: string) => {
      const bytes = new TextEncoder().encode(s);
      const reference = model.encodeWordReference(bytes);
      expect(model.encodeWordHeap(bytes)).toEqual(reference);
      return reference.map((i) => [...v].find(([, id]) => id === i)![0]);
    };
    expect(tokens('aaa')).toEqual(['aaa</w>']);
    expect(tokens('aaaa')).toEqual(['aa', 'a', 'a</w>']);
    expect(tokens('aaaaa')).toEqual(['aa', 'aaa</w>']);
  });
});

describe('tokenizer properties (fast-check)', () => {
  const small = new ClipTokenizer(parseClipBpeVocab(smallMergesGz(), 'small.txt.gz'));
  const clip = hasClipVocab
    ? createClipTokenizer(readFileSync(bpeVocabPath), 'bpe_simple_vocab_16e6.txt.gz')
    : undefined;
  const pieces = [
    '&amp;',
    '&#x1F600;',
    '&#0;',
    '&notin',
    "'S",
    '<|endoftext|>',
    ' ',
    '\u00a0',
    '42',
    'É',
  ];
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.array(fc.constantFrom(...pieces), { maxLength: 100 }).map((p) => p.join('')),
    fc.string({ unit: fc.constantFrom('a', 'b', 'r', 'e', 'd', ' ', '1'), maxLength: 500 }),
  );

  for (const [name, getTokenizer] of [
    ['small vocabulary', () => small],
    ['CLIP vocabulary', () => clip],
  ] as const) {
    it.skipIf(name === 'CLIP vocabulary' && !hasClipVocab)(
      `${name}: any string encodes without throwing, ids in range, start/end, length ≤ 77`,
      () => {
        const tokenizer = getTokenizer()!;
        fc.assert(
          fc.property(text, (s) => {
            const ids = tokenizer.encode(s);
            expect(ids.length).toBeGreaterThanOrEqual(2);
            expect(ids.length).toBeLessThanOrEqual(77);
            expect(ids[0]).toBe(tokenizer.startId);
            expect(ids[ids.length - 1]).toBe(tokenizer.endId);
            for (const id of ids) {
              expect(Number.isInteger(id) && id >= 0 && id < tokenizer.vocabSize).toBe(true);
            }
          }),
          { numRuns: 1000 },
        );
      },
    );
  }

  it.skipIf(!hasClipVocab)('the heap algorithm for long words equals the reference loop', () => {
    const model = new BpeModel(parseClipBpeVocab(readFileSync(bpeVocabPath)));
    expect(model.mergesOrdered).toBe(true);
    const word = fc.oneof(
      fc.string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
        minLength: 1,
        maxLength: 300,
      }),
      fc.string({ unit: fc.constantFrom('a', 'b', 'e', 's', 't'), minLength: 1, maxLength: 300 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }),
    );
    fc.assert(
      fc.property(word, (w) => {
        const bytes = new TextEncoder().encode(w);
        expect(model.encodeWordHeap(bytes)).toEqual(model.encodeWordReference(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it.skipIf(!hasClipVocab)('a 200,000-letter word is tokenized (no quadratic blow-up)', () => {
    let seed = 7;
    const letters = Array.from({ length: 200_000 }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return String.fromCharCode(97 + ((seed >>> 16) % 26));
    }).join('');
    const ids = clip!.encode(letters);
    expect(ids.length).toBe(77);
    expect(ids[76]).toBe(49407);
  });
});
