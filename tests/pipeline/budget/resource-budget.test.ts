import { describe, expect, it } from 'vitest';
import {
  checkAllocation,
  checkFrameCount,
  checkInflatedSize,
  checkPixels,
  checkPointCount,
  resourceBudget,
} from '../../../src/pipeline/budget/resource-budget';
import { RESOURCE_BUDGET } from '../../../src/pipeline/defaults';
import { BudgetError, ParseError } from '../../../src/pipeline/errors';

const at = { file: 'scan/x.bin', byteOffset: 40 };

describe('resource budget', () => {
  it('refuses pixel counts above the limit with a BudgetError naming the file and offset', () => {
    expect(() => checkPixels(10_000, 10_000, at)).not.toThrow(); // exactly 100 MP
    const err = (() => {
      try {
        checkPixels(16_384, 16_384, at, 'depth image', 2);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BudgetError);
    expect((err as BudgetError).location).toEqual(at);
    expect((err as Error).message).toMatch(
      /^scan\/x\.bin at byte 40: depth image 16384x16384 \(268435456 pixels\)/,
    );
  });

  it('treats malformed sizes as the file being corrupt (ParseError)', () => {
    for (const [w, h] of [
      [0, 10],
      [10, -1],
      [1.5, 2],
      [NaN, 4],
      [Infinity, 1],
    ]) {
      expect(() => checkPixels(w, h, at)).toThrow(ParseError);
    }
    expect(() => checkPointCount(-1, at)).toThrow(ParseError);
    expect(() => checkFrameCount(2 ** 60, at)).toThrow(ParseError); // not a safe integer
  });

  it('counts and allocations against their limits, overridable per call', () => {
    expect(checkPointCount(RESOURCE_BUDGET.maxPoints, at)).toBe(RESOURCE_BUDGET.maxPoints);
    expect(() => checkPointCount(RESOURCE_BUDGET.maxPoints + 1, at)).toThrow(BudgetError);
    expect(() => checkFrameCount(RESOURCE_BUDGET.maxFrames + 1, at)).toThrow(/frame limit/);
    const small = resourceBudget({ maxAllocationBytes: 1000 });
    expect(() => checkAllocation(1000, at, 'buffer', small)).not.toThrow();
    expect(() => checkAllocation(1001, at, 'buffer', small)).toThrow(BudgetError);
    // 100 MP of 4-byte pixels is 400 MB: within the default 1 GiB allocation budget.
    expect(() => checkPixels(10_000, 10_000, at, 'map', 16)).toThrow(/bytes, more than/);
  });

  it('refuses inflated sizes that the deflate ratio makes impossible', () => {
    expect(() => checkInflatedSize(1032 * 100, 100, at, 'depth')).not.toThrow();
    expect(() => checkInflatedSize(1032 * 100 + 65, 100, at, 'depth')).toThrow(ParseError);
  });
});
