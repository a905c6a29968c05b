/**
 * Pure helpers for the Objects panel and the 'segment' colour mode: a stable colour per proposal
 * id, the per-level listing (objects sorted by size, structure summarised), sizes as text, and
 * the boxes a selection draws.
 */
import type { ObjectsReply, SceneObject, ViewObject } from '../../workers/pipeline-api';
import type { ViewBox } from './store';

/** The colour of points with no proposal (id −1), 0..255. */
export const NO_SEGMENT_RGB: readonly [number, number, number] = [89, 89, 89];

/** A 32-bit integer mix (lowbias32, Chris Wellons): nearby ids get unrelated hashes. */
export function hash32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A stable pseudo-random colour (0..255 RGB) for a proposal id: a hashed hue at high saturation
 * and value, so segments stand out from each other and from the grey of unsegmented points.
 */
export function segmentColor(id: number): [number, number, number] {
  if (id < 0) return [...NO_SEGMENT_RGB];
  const h = hash32(id);
  const hue = (h & 0xffff) / 0x10000;
  const sat = 0.55 + 0.4 * (((h >>> 16) & 0xff) / 255);
  const val = 0.75 + 0.25 * ((h >>> 24) / 255);
  // HSV → RGB.
  const i = Math.floor(hue * 6);
  const f = hue * 6 - i;
  const p = val * (1 - sat);
  const q = val * (1 - f * sat);
  const t = val * (1 - (1 - f) * sat);
  const rgb = [
    [val, t, p],
    [q, val, p],
    [p, val, t],
    [p, q, val],
    [t, p, val],
    [val, p, q],
  ][i % 6];
  return [Math.round(rgb[0] * 255), Math.round(rgb[1] * 255), Math.round(rgb[2] * 255)];
}

/** Writes one RGB triple per id into `out` (length ≥ 3 × ids.length). */
export function writeSegmentColors(ids: Int32Array, out: Uint8Array): void {
  const cache = new Map<number, [number, number, number]>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    let c = cache.get(id);
    if (!c) {
      c = segmentColor(id);
      cache.set(id, c);
    }
    out[i * 3] = c[0];
    out[i * 3 + 1] = c[1];
    out[i * 3 + 2] = c[2];
  }
}

export interface LevelListing {
  /** Non-structure proposals at the level, largest first (ties by id). */
  objects: SceneObject[];
  /** Structure proposals at the level (floor, walls, ceiling), largest first. */
  structure: SceneObject[];
}

/** The proposals at one level, split into objects and scene structure. */
export function listLevel(reply: ObjectsReply | undefined, level: number): LevelListing {
  const objects: SceneObject[] = [];
  const structure: SceneObject[] = [];
  for (const o of reply?.objects ?? []) {
    if (o.level !== level) continue;
    (o.structure ? structure : objects).push(o);
  }
  const bySize = (a: SceneObject, b: SceneObject) => b.pointCount - a.pointCount || a.id - b.id;
  objects.sort(bySize);
  structure.sort(bySize);
  return { objects, structure };
}

/** "floor 1, wall 4": how many structure proposals of each kind, in a fixed order. */
export function structureSummary(structure: readonly SceneObject[]): string {
  const counts = new Map<string, number>();
  for (const o of structure) counts.set(o.structure!, (counts.get(o.structure!) ?? 0) + 1);
  return ['floor', 'wall', 'ceiling']
    .filter((name) => counts.has(name))
    .map((name) => `${name} ${counts.get(name)}`)
    .join(', ');
}

/** A box's extent in metres as "x × y × z m", two decimals. */
export function formatSize(min: readonly number[], max: readonly number[]): string {
  return `${[0, 1, 2].map((a) => (max[a] - min[a]).toFixed(2)).join(' × ')} m`;
}

export const objectBoxKey = (id: number) => `object-${id}`;
export const gtBoxKey = (id: number) => `gt-${id}`;

/** The label a proposal's box and list row show. */
export function objectLabel(o: SceneObject): string {
  return o.structure ? `${o.structure} #${o.id}` : `object #${o.id}`;
}

/** A ground-truth object's label ("red sofa" when its colour is known). */
export function gtLabel(o: ViewObject): string {
  return o.colorName ? `${o.colorName} ${o.label}` : o.label;
}

export function objectViewBox(o: SceneObject): ViewBox {
  return {
    key: objectBoxKey(o.id),
    min: o.min,
    max: o.max,
    label: objectLabel(o),
    tokens: o.tokens,
    source: 'object',
  };
}

export function gtViewBox(o: ViewObject): ViewBox {
  return {
    key: gtBoxKey(o.id),
    min: o.aabb.min,
    max: o.aabb.max,
    label: gtLabel(o),
    source: 'gt',
  };
}
