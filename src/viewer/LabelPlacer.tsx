import { useFrame } from '@react-three/fiber';
import { Vector3 } from 'three';
import { labelOverlay } from './label-overlay';
import { layoutLabels } from './label-layout';
import { labelAnchor, labelledBoxes, useShownBoxes } from './shown-boxes';
import { useApp } from './store';

const anchor = new Vector3();

/** Projects the labelled boxes' anchors each frame and lays their labels out without overlap. */
export function LabelPlacer() {
  const boxes = useShownBoxes();
  const selected = useApp((s) => s.selectedBox);
  const up = useApp((s) => s.scene?.up) ?? [0, 0, 1];
  const labelled = labelledBoxes(boxes, selected);

  useFrame(({ camera, size }) => {
    const root = labelOverlay();
    if (!root) return;
    const byKey = new Map<string, HTMLElement>();
    root.querySelectorAll<HTMLElement>('[data-label-key]').forEach((el) => {
      byKey.set(el.dataset.labelKey ?? '', el);
    });
    const items = labelled.map((b) => {
      const el = byKey.get(b.key);
      anchor.set(...labelAnchor(b, up)).project(camera);
      // Behind the camera (z > 1) or unmeasured: not placed.
      const onScreen = el && anchor.z < 1;
      return {
        el,
        request: {
          x: onScreen ? ((anchor.x + 1) / 2) * size.width : Number.NaN,
          y: onScreen ? ((1 - anchor.y) / 2) * size.height : Number.NaN,
          width: el?.offsetWidth ?? 0,
          height: el?.offsetHeight ?? 0,
        },
      };
    });
    const placed = layoutLabels(
      items.map((i) => i.request),
      size.width,
      size.height,
    );
    items.forEach(({ el }, i) => {
      if (!el) return;
      const p = placed[i];
      el.dataset.placed = String(p.visible);
      el.style.transform = `translate(${Math.round(p.left)}px, ${Math.round(p.top)}px)`;
    });
  });
  return null;
}
