import { useEffect } from 'react';
import { getState, setState, type ColorMode } from './store';

const MODES: ColorMode[] = ['rgb', 'heatmap', 'views', 'instance'];

export const SHORTCUTS: [string, string][] = [
  ['/', 'focus the query box'],
  ['x', 'extract features'],
  ['c', 'cycle colour mode'],
  ['g', 'show or hide GT boxes'],
  ['f', 'show or hide camera frusta'],
  ['h', 'fit the view to the scene'],
  ['Esc', 'close the frame view'],
];

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Global keys (ignored while typing in a field) and their help text. */
export function KeyboardShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') {
        setState({ frameImage: undefined });
        return;
      }
      if (typing(e.target)) return;
      const s = getState();
      switch (e.key) {
        case '/':
          e.preventDefault();
          document.querySelector<HTMLInputElement>('[data-testid="query-input"]')?.focus();
          break;
        case 'x':
          document.querySelector<HTMLButtonElement>('[data-shortcut="extract"]')?.click();
          break;
        case 'c': {
          const available = MODES.filter((m) => m !== 'instance' || s.cloud?.instanceIds);
          const next = available[(available.indexOf(s.colorMode) + 1) % available.length];
          setState({ colorMode: next });
          break;
        }
        case 'g':
          setState({ showGt: !s.showGt });
          break;
        case 'f':
          setState({ showFrusta: !s.showFrusta });
          break;
        case 'h':
          setState({ refitSeq: s.refitSeq + 1 });
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <details className="panel shortcuts">
      <summary>Keyboard shortcuts</summary>
      <dl>
        {SHORTCUTS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
