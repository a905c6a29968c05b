import { describe, expect, it } from 'vitest';
import {
  basicClean,
  normaliseClipText,
  splitClipWords,
  whitespaceClean,
} from '../../../../src/pipeline/clip/tokenizer/clean';

describe("CLIP text cleaning (simple_tokenizer.py's basic_clean / whitespace_clean)", () => {
  it('NFC-normalises (our stand-in for ftfy), unescapes twice and strips', () => {
    expect(basicClean('  e\u0301cole &amp;amp; ')).toBe('\u00e9cole &');
    // str.strip() also strips U+001C..U+001F; U+FEFF is not whitespace to Python.
    expect(basicClean('\u001c x \u001f')).toBe('x');
    expect(basicClean('\ufeffx')).toBe('\ufeffx');
  });

  it('collapses every Unicode whitespace run to one space', () => {
    expect(whitespaceClean('a \t\n\r\u000b\u000c\u0085\u00a0\u2003\u3000\u2028b')).toBe('a b');
    expect(whitespaceClean('a\u200bb')).toBe('a\u200bb'); // zero-width space is not White_Space
    expect(whitespaceClean('a\u001cb')).toBe('a\u001cb'); // separators stay inside the text
  });

  it('lowercases after cleaning, including final sigma', () => {
    expect(normaliseClipText('A PHOTO of  a Cat!')).toBe('a photo of a cat!');
    expect(normaliseClipText('ΣΟΦΟΣ')).toBe('σοφος');
  });

  it('splits into special tokens, contractions, letter runs, single digits and symbol runs', () => {
    expect(splitClipWords("don't stop 42 times!!")).toEqual([
      'don',
      "'t",
      'stop',
      '4',
      '2',
      'times',
      '!!',
    ]);
    expect(splitClipWords('<|startoftext|>hi<|endoftext|>')).toEqual([
      '<|startoftext|>',
      'hi',
      '<|endoftext|>',
    ]);
    expect(splitClipWords("we're i'll he'd you've i'm")).toEqual([
      'we',
      "'re",
      'i',
      "'ll",
      'he',
      "'d",
      'you',
      "'ve",
      'i',
      "'m",
    ]);
    expect(splitClipWords('中文 😀👍 ½²')).toEqual(['中文', '😀👍', '½', '²']);
    expect(splitClipWords('a.b,c')).toEqual(['a', '.', 'b', ',', 'c']);
  });
});
