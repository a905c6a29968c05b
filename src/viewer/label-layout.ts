/**
 * Screen-space placement of box labels: greedy, in priority order, each label tries a few
 * offsets around its anchor (leader offsets) and takes the first that stays inside the canvas
 * and overlaps no label placed before it; a label with no free spot is hidden, never stacked.
 */

export interface LabelRequest {
  /** Anchor in CSS pixels of the canvas (the box's top-face centre, projected). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedLabel {
  visible: boolean;
  /** Top-left corner in CSS pixels of the canvas. */
  left: number;
  top: number;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const GAP = 4;

export function rectsOverlap(a: Rect, b: Rect): boolean {
  return (
    a.left < b.left + b.width &&
    b.left < a.left + a.width &&
    a.top < b.top + b.height &&
    b.top < a.top + a.height
  );
}

/** Candidate top-left corners: above the anchor, below, then stepped further up and down. */
function candidates(r: LabelRequest): [number, number][] {
  const cx = r.x - r.width / 2;
  const out: [number, number][] = [];
  for (let step = 0; step < 6; step++) {
    const dy = step * (r.height + GAP);
    out.push([cx, r.y - r.height - GAP - dy], [cx, r.y + GAP + dy]);
    out.push([r.x + GAP, r.y - r.height / 2 - dy], [r.x - r.width - GAP, r.y - r.height / 2 - dy]);
  }
  return out;
}

/**
 * Places labels (earlier = more important) inside a `width`×`height` canvas. Anchors behind the
 * camera or off the canvas should be passed as non-finite x/y: they are hidden.
 */
export function layoutLabels(
  labels: readonly LabelRequest[],
  width: number,
  height: number,
): PlacedLabel[] {
  const placed: Rect[] = [];
  return labels.map((r) => {
    const hidden = { visible: false, left: 0, top: 0 };
    if (!Number.isFinite(r.x) || !Number.isFinite(r.y)) return hidden;
    if (r.x < 0 || r.y < 0 || r.x > width || r.y > height) return hidden;
    if (r.width > width || r.height > height) return hidden;
    for (const [l, t] of candidates(r)) {
      // Clamped inside the canvas: a label near the edge slides in rather than being cut off.
      const rect = {
        left: Math.min(Math.max(0, l), width - r.width),
        top: Math.min(Math.max(0, t), height - r.height),
        width: r.width,
        height: r.height,
      };
      if (placed.some((p) => rectsOverlap(p, rect))) continue;
      placed.push(rect);
      return { visible: true, left: rect.left, top: rect.top };
    }
    return hidden;
  });
}
