import type { ReactNode } from 'react';
import { cappedItems, hiddenNote, LIST_RENDER_LIMIT } from './capped-list';

interface CappedListProps<T> {
  items: readonly T[];
  /** Items already left out upstream (counted, not sent). */
  omitted?: number;
  limit?: number;
  label: string;
  className?: string;
  render: (item: T, index: number) => ReactNode;
}

/** A list of at most `limit` items (as text) and a "N more not shown" line for the rest. */
export function CappedList<T>({
  items,
  omitted,
  limit = LIST_RENDER_LIMIT,
  label,
  className,
  render,
}: CappedListProps<T>) {
  const { shown, hidden } = cappedItems(items, omitted, limit);
  if (shown.length === 0 && hidden === 0) return null;
  return (
    <ul className={className} aria-label={label}>
      {shown.map((item, i) => (
        <li key={i}>{render(item, i)}</li>
      ))}
      {hidden > 0 ? (
        <li className="hidden-count" data-testid="hidden-count">
          {hiddenNote(hidden)}
        </li>
      ) : null}
    </ul>
  );
}
