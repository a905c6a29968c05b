import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  isDecimalNumber,
  parseMatrixText,
} from '../../../../src/pipeline/scene/readers/text-matrix';
import { ParseError } from '../../../../src/pipeline/errors';

// The grammar the scanner replaces (quadratic backtracking on long digit runs).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

describe('text-matrix number scanner', () => {
  it('accepts exactly what the decimal-number regex accepts', () => {
    const tokens = fc
      .array(fc.constantFrom(...'0123456789+-.eEx '.split('')), { maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(tokens, (t) => {
        expect(isDecimalNumber(t)).toBe(DECIMAL.test(t));
      }),
      { numRuns: 5000 },
    );
    for (const t of ['1', '-1.5', '+.5', '5.', '1e3', '1.5E-07', '0001'])
      expect(isDecimalNumber(t)).toBe(true);
    for (const t of ['', '.', 'e5', '1e', '1e+', '0x10', '1.2.3', '--1', 'NaN', 'Infinity'])
      expect(isDecimalNumber(t)).toBe(false);
  });

  it('refuses a 200 KB digit run followed by a letter (a hang with the old regex)', () => {
    const row = '1 0 0 0';
    const text = ['9'.repeat(200_000) + 'x 0 0 0', row, row, row].join('\n');
    expect(() => parseMatrixText(text, 'f/frame-000000.pose.txt', 4, 4)).toThrow(ParseError);
    expect(() => parseMatrixText(text, 'f/frame-000000.pose.txt', 4, 4)).toThrow(
      /pose\.txt line 1: matrix entry: '9{40}' is not a number/,
    );
  });
});
