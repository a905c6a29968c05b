import { useFrame, useThree, type ThreeEvent } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { LineMaterial } from 'three/examples/jsm/lines/LineMaterial.js';
import { LineSegments2 } from 'three/examples/jsm/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/examples/jsm/lines/LineSegmentsGeometry.js';
import { boxColor, VERTICES_PER_BOX, writeBoxLines } from './box-lines';
import { selectBox } from './controller';
import { LabelPlacer } from './LabelPlacer';
import { useShownBoxes } from './shown-boxes';
import { getState, useApp } from './store';

/** Line width in CSS pixels: visible over a bright heatmap, whatever the distance. */
const LINE_WIDTH_PX = 2.5;
const SEGMENTS_PER_BOX = VERTICES_PER_BOX / 2;

/**
 * Every box (results, token boxes, objects, GT) in one screen-space-width line buffer
 * (LineSegments2); the selected box is white. Labels are laid out by LabelPlacer.
 */
export function Boxes() {
  const invalidate = useThree((s) => s.invalidate);
  const boxes = useShownBoxes();
  const selected = useApp((s) => s.selectedBox);

  const lines = useMemo(() => {
    const material = new LineMaterial({ vertexColors: true, linewidth: LINE_WIDTH_PX });
    return new LineSegments2(new LineSegmentsGeometry(), material);
  }, []);
  useEffect(
    () => () => {
      lines.geometry.dispose();
      lines.material.dispose();
    },
    [lines],
  );

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
    // A fresh geometry per change: LineSegmentsGeometry's buffers are sized on first set.
    const old = lines.geometry;
    const geometry = new LineSegmentsGeometry();
    geometry.setPositions(positions);
    geometry.setColors(colors);
    geometry.instanceCount = n;
    lines.geometry = geometry;
    lines.visible = n > 0;
    old.dispose();
    invalidate();
  }, [boxes, selected, lines, invalidate]);

  useFrame(({ size }) => {
    lines.material.resolution.set(size.width, size.height);
  });

  const onClick = (e: ThreeEvent<MouseEvent>) => {
    // While picking or measuring, a click belongs to the point under the cursor.
    if (getState().pickMode !== 'boxes') return;
    if (e.faceIndex === undefined || e.faceIndex === null) return;
    const box = boxes[Math.floor(e.faceIndex / SEGMENTS_PER_BOX)];
    if (box) {
      e.stopPropagation();
      selectBox(box);
    }
  };

  return (
    <group>
      <primitive object={lines} onClick={onClick} />
      <LabelPlacer />
    </group>
  );
}
