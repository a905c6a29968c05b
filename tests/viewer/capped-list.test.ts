import { describe, expect, it } from 'vitest';
import { cappedItems, hiddenNote } from '../../src/viewer/capped-list';

describe('cappedItems', () => {
  it('shows at most the limit and counts the rest, including what upstream left out', () => {
    const items = Array.from({ length: 250 }, (_, i) => `d${i}`);
    const { shown, hidden } = cappedItems(items, 99_750, 100);
    expect(shown).toEqual(items.slice(0, 100));
    expect(hidden).toBe(150 + 99_750);
    expect(hiddenNote(hidden)).toBe('99,900 more not shown');
  });

  it('leaves short lists whole and ignores nonsense counts', () => {
    expect(cappedItems(['a', 'b'], 0, 5)).toEqual({ shown: ['a', 'b'], hidden: 0 });
    expect(cappedItems(['a'], NaN, 5).hidden).toBe(0);
    expect(cappedItems(['a', 'b', 'c'], -3, 2)).toEqual({ shown: ['a', 'b'], hidden: 1 });
  });
});
