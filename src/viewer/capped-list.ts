/** Lists rendered from user input show a bounded number of items and count the rest. */

/** Items any one list renders at most (token diagnostics, warnings, errors, objects). */
export const LIST_RENDER_LIMIT = 100;

/**
 * The first `limit` items and how many are left out: those beyond the limit plus `omitted`,
 * the ones the worker already counted without sending.
 */
export function cappedItems<T>(
  items: readonly T[],
  omitted = 0,
  limit = LIST_RENDER_LIMIT,
): { shown: readonly T[]; hidden: number } {
  const n = Math.max(0, Math.floor(limit));
  const extra = Number.isFinite(omitted) && omitted > 0 ? Math.floor(omitted) : 0;
  if (items.length <= n) return { shown: items, hidden: extra };
  return { shown: items.slice(0, n), hidden: items.length - n + extra };
}

/** "1 more not shown", "12,345 more not shown". */
export function hiddenNote(hidden: number): string {
  return `${hidden.toLocaleString('en')} more not shown`;
}
