import type { ReactNode } from 'react';

/** A side-panel section the user can fold away (open at start, so every control is reachable). */
export function Collapsible({ title, children }: { title: string; children: ReactNode }) {
  return (
    <details className="collapsible" open>
      <summary>{title}</summary>
      {children}
    </details>
  );
}
