import { Html } from '@react-three/drei';
import { useThree, type ThreeEvent } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, LineBasicMaterial } from 'three';
import { boxColor, VERTICES_PER_BOX, writeBoxLines } from './box-lines';
import { selectBox } from './controller';
import { gtViewBox } from './objects';
import { useApp, type ViewBox } from './store';

const LABELLED = 5;
/** GT labels beyond this many would crowd the view (and cost a DOM node each per frame). */
const GT_LABELLED = 64;

/**
 * Every box (results, token boxes, objects, GT) in one LineSegments buffer; labels for the top
 * results, the selected object and the GT boxes (their class label, as text).
 */
export function Boxes() {
  const invalidate = useThree((s) => s.invalidate);
  const resultBoxes = useApp((s) => s.boxes);
  const showGt = useApp((s) => s.showGt);
  const objects = useApp((s) => s.scene?.objects);
  const selected = useApp((s) => s.selectedBox);
  const up = useApp((s) => s.scene?.up) ?? [0, 0, 1];

  const boxes: ViewBox[] = useMemo(() => {
    // A GT box the Objects panel selected is already in `resultBoxes`.
    const shown = new Set(resultBoxes.map((b) => b.key));
    const gt: ViewBox[] =
      showGt && objects ? objects.map(gtViewBox).filter((b) => !shown.has(b.key)) : [];
    return [...resultBoxes, ...gt];
  }, [resultBoxes, showGt, objects]);

  const geometry = useMemo(() => new BufferGeometry(), []);
  const material = useMemo(() => new LineBasicMaterial({ vertexColors: true }), []);
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  useEffect(() => {
    const n = boxes.length;
    const positions = new Float32Array(Math.max(1, n) * VERTICES_PER_BOX * 3);
    const colors = new Float32Array(Math.max(1, n) * VERTICES_PER_BOX * 3);
    boxes.forEach((b, i) => {
      writeBoxLines(positions, i, b.min, b.max);
      const rank = boxes.slice(0, i).filter((o) => o.source === b.source).length;
      const c = b.key === selected ? ([1, 1, 1] as const) : boxColor(b.source, rank);
      for (let v = 0; v < VERTICES_PER_BOX; v++) colors.set(c, (i * VERTICES_PER_BOX + v) * 3);
    });
    geometry.setAttribute('position', new BufferAttribute(positions, 3));
    geometry.setAttribute('color', new BufferAttribute(colors, 3));
    geometry.setDrawRange(0, n * VERTICES_PER_BOX);
    geometry.computeBoundingSphere();
    invalidate();
  }, [boxes, selected, geometry, invalidate]);

  const onClick = (e: ThreeEvent<MouseEvent>) => {
    if (e.index === undefined) return;
    const box = boxes[Math.floor(e.index / VERTICES_PER_BOX)];
    if (box) {
      e.stopPropagation();
      selectBox(box);
    }
  };

  const labelled = [
    ...boxes.filter((b) => b.source === 'query' || b.source === 'tokens').slice(0, LABELLED),
    ...boxes.filter((b) => b.source === 'object'),
    ...boxes.filter((b) => b.source === 'gt').slice(0, GT_LABELLED),
  ];
  // Labels sit on the box's top face (top along the scene's up axis).
  const labelPosition = (b: ViewBox): [number, number, number] =>
    [0, 1, 2].map((a) =>
      up[a] > 0.5 ? b.max[a] : up[a] < -0.5 ? b.min[a] : (b.min[a] + b.max[a]) / 2,
    ) as [number, number, number];
  return (
    <group>
      <lineSegments geometry={geometry} material={material} onClick={onClick} />
      {labelled.map((b) => (
        <Html key={b.key} position={labelPosition(b)} className="box-label" zIndexRange={[5, 0]}>
          <button
            type="button"
            className={`box-label-button box-label-${b.source}`}
            data-testid={`box-label-${b.source}`}
            onClick={() => selectBox(b)}
          >
            <span>{b.label}</span>
            {b.score !== undefined ? <span> {b.score.toFixed(2)}</span> : null}
            {b.tokens ? <code> {b.tokens}</code> : null}
          </button>
        </Html>
      ))}
    </group>
  );
}
