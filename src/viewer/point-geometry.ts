/** The point cloud's BufferGeometry and in-place per-point value updates. */
import { BufferAttribute, BufferGeometry } from 'three';
import type { PointScores, ViewCloud } from '../../workers/pipeline-api';
import { NO_SEGMENT_RGB, writeSegmentColors } from './objects';

/** Writes per-point values into an attribute in place (the geometry is never rebuilt). */
export function applyValues(
  geometry: BufferGeometry,
  name: 'score' | 'views',
  values: PointScores | undefined,
): void {
  const attr = geometry.getAttribute(name) as BufferAttribute;
  const array = attr.array as Float32Array;
  if (values && values.values.length === array.length) array.set(values.values);
  else array.fill(NaN);
  attr.needsUpdate = true;
}

/**
 * Writes the per-point segment colours (one stable colour per proposal id, grey for −1) in
 * place; ids of another length (a cloud of another level) leave every point grey.
 */
export function applySegmentColors(geometry: BufferGeometry, ids: Int32Array | undefined): void {
  const attr = geometry.getAttribute('segmentRgb') as BufferAttribute;
  const array = attr.array as Uint8Array;
  if (ids && ids.length * 3 === array.length) writeSegmentColors(ids, array);
  else fillGrey(array);
  attr.needsUpdate = true;
}

/**
 * Writes per-point unit normals in place; normals of another length (another level's) or none
 * leave (0, 0, 0), which the shader shows as mid grey.
 */
export function applyNormals(geometry: BufferGeometry, normals: Float32Array | undefined): void {
  const attr = geometry.getAttribute('pointNormal') as BufferAttribute;
  const array = attr.array as Float32Array;
  if (normals && normals.length === array.length) array.set(normals);
  else array.fill(0);
  attr.needsUpdate = true;
}

/** The range of heights along `up` (min, max of position · up) over the cloud's points. */
export function heightRange(
  positions: Float32Array,
  up: readonly [number, number, number],
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < positions.length; i += 3) {
    const h = positions[i] * up[0] + positions[i + 1] * up[1] + positions[i + 2] * up[2];
    if (h < lo) lo = h;
    if (h > hi) hi = h;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function fillGrey(array: Uint8Array): void {
  for (let i = 0; i < array.length; i += 3) array.set(NO_SEGMENT_RGB, i);
}

/** Positions, normalised Uint8 colours, and the per-point value attributes the shader reads. */
export function buildGeometry(cloud: ViewCloud): BufferGeometry {
  const n = cloud.positions.length / 3;
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(cloud.positions, 3));
  geometry.setAttribute('rgb', new BufferAttribute(cloud.colors, 3, true));
  geometry.setAttribute('score', new BufferAttribute(new Float32Array(n).fill(NaN), 1));
  geometry.setAttribute('views', new BufferAttribute(new Float32Array(n).fill(NaN), 1));
  const ids = cloud.instanceIds ?? new Int32Array(n).fill(-1);
  geometry.setAttribute('instanceId', new BufferAttribute(new Float32Array(ids), 1));
  const segmentRgb = new Uint8Array(n * 3);
  fillGrey(segmentRgb);
  geometry.setAttribute('segmentRgb', new BufferAttribute(segmentRgb, 3, true));
  geometry.setAttribute('pointNormal', new BufferAttribute(new Float32Array(n * 3), 3));
  geometry.computeBoundingSphere();
  return geometry;
}
