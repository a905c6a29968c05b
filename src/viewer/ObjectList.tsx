import { useState, type ReactNode } from 'react';

/** Rows shown at first and added by each "Show more" (long lists keep the page responsive). */
export const PAGE_ROWS = 200;

/** A list of selectable rows, the first PAGE_ROWS at first, more on demand. */
export function ObjectList<T>({
  label,
  items,
  keyOf,
  render,
  selected,
  onSelect,
}: {
  label: string;
  items: readonly T[];
  keyOf: (item: T) => string;
  render: (item: T) => ReactNode;
  selected?: string;
  onSelect: (item: T) => void;
}) {
  const [shown, setShown] = useState(PAGE_ROWS);
  const visible = items.slice(0, shown);
  return (
    <>
      <ol className="results object-list" aria-label={label}>
        {visible.map((item) => (
          <li key={keyOf(item)}>
            <button
              type="button"
              aria-pressed={selected === keyOf(item)}
              onClick={() => onSelect(item)}
            >
              {render(item)}
            </button>
          </li>
        ))}
      </ol>
      {items.length > shown ? (
        <button type="button" onClick={() => setShown((n) => n + PAGE_ROWS)}>
          Show more ({(items.length - shown).toLocaleString('en')} left)
        </button>
      ) : null}
    </>
  );
}
