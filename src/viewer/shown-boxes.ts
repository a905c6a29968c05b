/** The boxes the view draws and the ones it labels, shared by the lines and the label overlay. */
import { useMemo } from 'react';
import { gtViewBox } from './objects';
import { useApp, type ViewBox } from './store';

const LABELLED = 5;
/** GT labels beyond this many would crowd the view (and cost a DOM node each per frame). */
const GT_LABELLED = 64;

/** Results and token boxes, panel selections, then GT boxes when shown. */
export function useShownBoxes(): ViewBox[] {
  const resultBoxes = useApp((s) => s.boxes);
  const showGt = useApp((s) => s.showGt);
  const objects = useApp((s) => s.scene?.objects);
  return useMemo(() => {
    // A GT box the Objects panel selected is already in `resultBoxes`.
    const shown = new Set(resultBoxes.map((b) => b.key));
    const gt: ViewBox[] =
      showGt && objects ? objects.map(gtViewBox).filter((b) => !shown.has(b.key)) : [];
    return [...resultBoxes, ...gt];
  }, [resultBoxes, showGt, objects]);
}

/** Labelled boxes, most important first (the layout gives earlier labels the free spots). */
export function labelledBoxes(boxes: readonly ViewBox[], selected?: string): ViewBox[] {
  const list = [
    ...boxes.filter((b) => b.source === 'query').slice(0, LABELLED),
    ...boxes.filter((b) => b.source === 'tokens'),
    ...boxes.filter((b) => b.source === 'object'),
    ...boxes.filter((b) => b.source === 'gt').slice(0, GT_LABELLED),
  ];
  const sel = boxes.find((b) => b.key === selected);
  return sel ? [sel, ...list.filter((b) => b !== sel)] : list;
}

/** A short label: rank and label as the pipeline named it, and the score to 3 decimals. */
export function shortLabel(b: ViewBox): string {
  return b.score !== undefined ? `${b.label} ${b.score.toFixed(3)}` : b.label;
}

/** The label's anchor: the centre of the box's top face (top along the scene's up axis). */
export function labelAnchor(b: ViewBox, up: readonly number[]): [number, number, number] {
  return [0, 1, 2].map((a) =>
    up[a] > 0.5 ? b.max[a] : up[a] < -0.5 ? b.min[a] : (b.min[a] + b.max[a]) / 2,
  ) as [number, number, number];
}
