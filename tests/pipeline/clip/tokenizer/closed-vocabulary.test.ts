import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../../src/pipeline/errors';
import {
  ClosedVocabulary,
  parseClosedVocabulary,
} from '../../../../src/pipeline/clip/tokenizer/closed-vocabulary';

describe('parseClosedVocabulary', () => {
  it('absent → open vocabulary; words are normalised like the tokenizer', () => {
    expect(parseClosedVocabulary(undefined, 'config.json')).toBeUndefined();
    expect(
      parseClosedVocabulary({ words: ['Red', ' GRAY '], ignored_words: ['The'] }, 'c'),
    ).toEqual({ words: ['red', 'gray'], ignoredWords: ['the'] });
    expect(parseClosedVocabulary({ words: ['red'] }, 'c')).toEqual({
      words: ['red'],
      ignoredWords: [],
    });
  });

  it.each([
    [true, /c\.json: closed_vocabulary must be an object/],
    [['red'], /must be an object/],
    [null, /must be an object/],
    [{ words: 'red' }, /closed_vocabulary\.words must be an array/],
    [{ words: [] }, /closed_vocabulary\.words lists no words/],
    [{ words: ['red', 3] }, /closed_vocabulary\.words\[1\] 3 is not a single word/],
    [{ words: ['red blue'] }, /words\[0\] "red blue" is not a single word/],
    [{ words: ['red'], ignored_words: ['x1'] }, /ignored_words\[0\] "x1" is not a single word/],
    [{ words: ['x'.repeat(101)] }, /words\[0\] .* is not a single word/],
    [{ words: new Array(100_001).fill('a') }, /lists 100001 words, more than 100000/],
  ])('%j → ModelError', (value, message) => {
    expect(() => parseClosedVocabulary(value, 'c.json')).toThrow(ModelError);
    expect(() => parseClosedVocabulary(value, 'c.json')).toThrow(message);
  });

  it('fuzz: any JSON value → a vocabulary, undefined or a ModelError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          const spec = parseClosedVocabulary(value, 'fuzz.json');
          if (spec) new ClosedVocabulary(spec).unknownWords('a red chair');
        } catch (err) {
          expect(err).toBeInstanceOf(ModelError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('ClosedVocabulary.unknownWords', () => {
  const vocab = new ClosedVocabulary({ words: ['red', 'blue'], ignoredWords: ['a', 'the'] });
  it('reports letter words outside both lists, once each, in order', () => {
    expect(vocab.unknownWords('The RED chair and a Blue chair, table.')).toEqual([
      'chair',
      'and',
      'table',
    ]);
  });
  it('fuzz: any string → distinct lower-case letter words, no throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const words = vocab.unknownWords(text);
        expect(new Set(words).size).toBe(words.length);
        for (const w of words) expect(w).toMatch(/^\p{L}+$/u);
      }),
      { numRuns: 1000 },
    );
  });
});
