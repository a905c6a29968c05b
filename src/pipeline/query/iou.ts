/** Axis-aligned 3D IoU, as ScanRefer evaluates grounding. */
export interface BoxLike {
  min: readonly number[];
  max: readonly number[];
}

export function boxVolume(box: BoxLike): number {
  let v = 1;
  for (let a = 0; a < 3; a++) v *= Math.max(0, box.max[a] - box.min[a]);
  return v;
}

export function boxIoU(a: BoxLike, b: BoxLike): number {
  let inter = 1;
  for (let axis = 0; axis < 3; axis++) {
    const lo = Math.max(a.min[axis], b.min[axis]);
    const hi = Math.min(a.max[axis], b.max[axis]);
    inter *= Math.max(0, hi - lo);
  }
  const union = boxVolume(a) + boxVolume(b) - inter;
  return union > 0 && Number.isFinite(union) ? inter / union : 0;
}
