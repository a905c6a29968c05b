import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BudgetError, ParseError } from '../../../src/pipeline/errors';
import {
  describeJsonValue,
  lineColumnAt,
  parseJsonBytes,
  parseJsonText,
} from '../../../src/pipeline/io/safe-json';

function parseError(text: string, limits = {}): ParseError {
  try {
    parseJsonText(text, 'd/f.json', limits);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('safe JSON parse', () => {
  it('gives the same value as JSON.parse for any valid JSON', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), (text) => {
        expect(parseJsonText(text, 'f.json')).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects everything JSON.parse rejects, as a ParseError', () => {
    const alphabet = fc.constantFrom(...'{}[],:"\\ 01-.eE+tfnrulasx\n'.split(''));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 24 }).map((a) => a.join('')),
        (text) => {
          let native = true;
          try {
            JSON.parse(text);
          } catch {
            native = false;
          }
          if (native) expect(parseJsonText(text, 'f.json')).toEqual(JSON.parse(text));
          else expect(() => parseJsonText(text, 'f.json')).toThrow(ParseError);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('names the line and column of a syntax error (hand-counted)', () => {
    const err = parseError('{\n  "a": 1,\n  "b": x\n}');
    expect(err.location).toEqual({ file: 'd/f.json', line: 3, column: 8 });
    expect(err.message).toMatch(/^d\/f\.json line 3 column 8: invalid JSON: unexpected 'x'/);
    expect(parseError('[1, 2').location).toMatchObject({ line: 1, column: 6 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('refuses deep nesting without overflowing the stack, and never quotes the value', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const err = parseError(deep);
    expect(err.reason).toMatch(/nesting deeper than 64 levels/);
    expect(err.location).toMatchObject({ line: 1, column: 65 });
    expect(err.message.length).toBeLessThan(200);
    expect(() => parseJsonText('[[[1]]]', 'f.json', { maxDepth: 2 })).toThrow(/deeper than 2/);
    expect(parseJsonText('[[1]]', 'f.json', { maxDepth: 2 })).toEqual([[1]]);
  });

  it('refuses documents above the size limit before parsing', () => {
    const bytes = new TextEncoder().encode('[' + '1,'.repeat(100) + '1]');
    expect(() => parseJsonBytes(bytes, 'big.json', { maxBytes: 100 })).toThrow(BudgetError);
    expect(parseJsonBytes(bytes, 'big.json')).toHaveLength(101);
  });

  it('describes values briefly', () => {
    expect(describeJsonValue('x'.repeat(1000))).toHaveLength('the string ""…'.length + 40);
    expect(describeJsonValue([[[]]])).toBe('an array of 1');
    expect(describeJsonValue(null)).toBe('null');
    expect(describeJsonValue({ a: 1 })).toBe('an object');
  });
});
