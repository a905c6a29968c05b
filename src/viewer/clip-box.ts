/** The clipping box's edits: sliders per axis within the scene's bounds, min never above max. */
export type Vec3 = [number, number, number];
export interface ClipBox {
  min: Vec3;
  max: Vec3;
}

/** The box with one bound of one axis moved, clamped to `bounds` and to the other bound. */
export function moveClipBound(
  box: ClipBox,
  bounds: ClipBox,
  axis: 0 | 1 | 2,
  side: 'min' | 'max',
  value: number,
): ClipBox {
  const min: Vec3 = [...box.min];
  const max: Vec3 = [...box.max];
  const v = Math.min(bounds.max[axis], Math.max(bounds.min[axis], value));
  if (side === 'min') min[axis] = Math.min(v, max[axis]);
  else max[axis] = Math.max(v, min[axis]);
  return { min, max };
}

/** Whether (x, y, z) is drawn with the box on: inside or on its faces (as the shader tests). */
export function insideClipBox(box: ClipBox, x: number, y: number, z: number): boolean {
  return (
    x >= box.min[0] &&
    x <= box.max[0] &&
    y >= box.min[1] &&
    y <= box.max[1] &&
    z >= box.min[2] &&
    z <= box.max[2]
  );
}

/** Points of `positions` (n×3) inside the box. */
export function countInsideClipBox(box: ClipBox, positions: Float32Array): number {
  let n = 0;
  for (let i = 0; i < positions.length; i += 3) {
    if (insideClipBox(box, positions[i], positions[i + 1], positions[i + 2])) n++;
  }
  return n;
}
