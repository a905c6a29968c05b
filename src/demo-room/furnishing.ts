/**
 * What the generated rooms share: the room types, the seeded box room, and the building blocks of
 * furnishing it by rejection sampling (turning furniture into room objects, placing it against a
 * wall or facing another object, the fit and clearance tests). `room-layout.ts` (the demo room)
 * and `cluttered-layout.ts` (the cluttered room) are the two layouts built from them.
 */
import { FOCAL_SRGB, type ColorTerm } from '../pipeline/clip/offline/color-terms';
import type { Aabb } from '../pipeline/scene/types';
import type { FurnitureBuilder } from './furniture';
import { placePrimitive, type Placement } from './placement';
import { primitiveAabb, unionAabb, type Primitive } from './primitives';
import { seededRng, type Rng } from './prng';

export interface RoomObject {
  id: number;
  label: string;
  colorName: ColorTerm;
  /** Base sRGB colour before shading. */
  color: [number, number, number];
  /** World-space solids, all of this object's colour. */
  primitives: Primitive[];
  /** Tight bounds of the primitives. */
  aabb: Aabb;
}

export interface RoomLayout {
  seed: number;
  /** Interior: x in [-width/2, width/2], y in [-depth/2, depth/2], z in [0, height]; z is up. */
  width: number;
  depth: number;
  height: number;
  interior: Aabb;
  /** Floor, walls and ceiling. */
  shellColorName: ColorTerm;
  shellColor: [number, number, number];
  objects: RoomObject[];
}

/** One object to place: its id is its index in the layout's list of specs. */
export interface FurnishingSpec {
  label: string;
  colorName: ColorTerm;
  build: FurnitureBuilder;
}

/** The room's interior size in metres. */
export interface RoomSize {
  width: number;
  depth: number;
}

const ATTEMPTS_PER_OBJECT = 80;
const LAYOUT_ATTEMPTS = 200;
/** Wall objects keep this far from the side walls (along the wall). */
const CORNER_GAP_M = 0.03;

/**
 * A seeded white box room (about 7 x 5.6 x 2.7 m), furnished by `furnish`, which is retried
 * until it places everything (it returns undefined to start over). `what` names the room in
 * the error that an impossible layout would raise.
 */
export function furnishedRoom(
  seed: number,
  what: string,
  furnish: (rng: Rng, size: RoomSize) => RoomObject[] | undefined,
): RoomLayout {
  const rng = seededRng(seed);
  const width = round3(rng.range(6.6, 7.4));
  const depth = round3(rng.range(5.3, 5.9));
  const height = round3(rng.range(2.6, 2.8));
  const interior: Aabb = { min: [-width / 2, -depth / 2, 0], max: [width / 2, depth / 2, height] };
  for (let attempt = 0; attempt < LAYOUT_ATTEMPTS; attempt++) {
    const objects = furnish(rng, { width, depth });
    if (objects) {
      return {
        seed,
        width,
        depth,
        height,
        interior,
        shellColorName: 'white',
        shellColor: [...FOCAL_SRGB.white],
        objects,
      };
    }
  }
  // Unreachable for the room sizes above; a plain Error because it would be a bug in our code.
  throw new Error(`${what}: could not place all objects for seed ${seed}`);
}

/**
 * Places the specs in `order` (ids, i.e. indices into `specs`): builds each one's furniture, then
 * tries placements from `choose` until one fits in the room and does not `clash` with the objects
 * placed so far. Returns the objects in spec order, or undefined when one could not be placed.
 */
export function placeObjects<S extends FurnishingSpec>(
  rng: Rng,
  size: RoomSize,
  specs: readonly S[],
  order: readonly number[],
  choose: (spec: S, local: Primitive[], placed: ReadonlyMap<number, RoomObject>) => Placement,
  clash: (candidate: RoomObject, placed: ReadonlyMap<number, RoomObject>) => boolean,
): RoomObject[] | undefined {
  const placed = new Map<number, RoomObject>();
  for (const id of order) {
    const spec = specs[id];
    const local = spec.build(rng);
    let object: RoomObject | undefined;
    for (let a = 0; a < ATTEMPTS_PER_OBJECT && !object; a++) {
      const at = choose(spec, local.primitives, placed);
      const candidate = roomObject(
        id,
        spec,
        local.primitives.map((p) => placePrimitive(p, at)),
      );
      if (fitsInRoom(candidate.aabb, size) && !clash(candidate, placed)) object = candidate;
    }
    if (!object) return undefined;
    placed.set(id, object);
  }
  return specs.map((_, id) => placed.get(id)!);
}

export function roomObject(id: number, spec: FurnishingSpec, primitives: Primitive[]): RoomObject {
  return {
    id,
    label: spec.label,
    colorName: spec.colorName,
    color: [...FOCAL_SRGB[spec.colorName]],
    primitives,
    aabb: unionAabb(primitives.map(primitiveAabb)),
  };
}

/** Bounds of local furniture turned by `quarterTurns`, not moved. */
export function turnedBounds(local: Primitive[], quarterTurns: number): Aabb {
  return unionAabb(
    local.map((p) => primitiveAabb(placePrimitive(p, { quarterTurns, x: 0, y: 0 }))),
  );
}

/**
 * Back against `wall` (0 north (+y), 1 west (-x), 2 south (-y), 3 east (+x); drawn when not
 * given), `gap` metres from it, anywhere along it short of the corners.
 */
export function placeAgainstWall(
  rng: Rng,
  local: Primitive[],
  size: RoomSize,
  gap: number,
  wall = rng.int(4),
): Placement {
  const own = turnedBounds(local, wall);
  const { width, depth } = size;
  const c = CORNER_GAP_M;
  const along =
    wall % 2 === 0
      ? rng.range(-width / 2 + c - own.min[0], width / 2 - c - own.max[0])
      : rng.range(-depth / 2 + c - own.min[1], depth / 2 - c - own.max[1]);
  return wallPlacement(own, size, wall, gap, along);
}

/**
 * The placement that turns furniture with bounds `own` (already turned by `wall` quarter turns)
 * to face away from `wall`, `gap` metres from it, shifted by `along` along the wall.
 */
export function wallPlacement(
  own: Aabb,
  size: RoomSize,
  wall: number,
  gap: number,
  along: number,
): Placement {
  const { width, depth } = size;
  switch (wall) {
    case 0:
      return { quarterTurns: 0, x: along, y: depth / 2 - gap - own.max[1] };
    case 1:
      return { quarterTurns: 1, x: -width / 2 + gap - own.min[0], y: along };
    case 2:
      return { quarterTurns: 2, x: along, y: -depth / 2 + gap - own.min[1] };
    default:
      return { quarterTurns: 3, x: width / 2 - gap - own.max[0], y: along };
  }
}

/** Distances from a box to the four walls, indexed like `wall` above. */
export function wallGaps(b: Aabb, size: RoomSize): number[] {
  const [hw, hd] = [size.width / 2, size.depth / 2];
  return [hd - b.max[1], b.min[0] + hw, b.min[1] + hd, hw - b.max[0]];
}

/** The wall nearest to a box (see `wall` above). */
export function nearestWall(b: Aabb, size: RoomSize): number {
  const gaps = wallGaps(b, size);
  return gaps.indexOf(Math.min(...gaps));
}

/**
 * At `side` of `target` (0 +y, 1 -x, 2 -y, 3 +x), `gap` metres off it, its back (local +y)
 * pointing away from the target, centred on that side's middle shifted by `along`.
 */
export function placeFacing(
  local: Primitive[],
  target: Aabb,
  side: number,
  gap: number,
  along: number,
): Placement {
  const [ux, uy] = [
    [0, 1],
    [-1, 0],
    [0, -1],
    [1, 0],
  ][side];
  const own = turnedBounds(local, side);
  const cx = (target.min[0] + target.max[0]) / 2;
  const cy = (target.min[1] + target.max[1]) / 2;
  const x =
    ux > 0
      ? target.max[0] + gap - own.min[0]
      : ux < 0
        ? target.min[0] - gap - own.max[0]
        : cx + along;
  const y =
    uy > 0
      ? target.max[1] + gap - own.min[1]
      : uy < 0
        ? target.min[1] - gap - own.max[1]
        : cy + along;
  return { quarterTurns: side, x, y };
}

export function fitsInRoom(b: Aabb, size: RoomSize): boolean {
  const eps = 1e-9;
  const [hw, hd] = [size.width / 2, size.depth / 2];
  return (
    b.min[0] >= -hw - eps && b.max[0] <= hw + eps && b.min[1] >= -hd - eps && b.max[1] <= hd + eps
  );
}

/**
 * Two boxes conflict when their heights overlap and their footprints come closer than
 * `clearance` (a clearance of 0 lets them touch; below 0 they may overlap that much).
 */
export function boxesClash(a: Aabb, b: Aabb, clearance: number): boolean {
  if (a.min[2] >= b.max[2] || b.min[2] >= a.max[2]) return false;
  const c = clearance;
  return (
    a.min[0] < b.max[0] + c &&
    b.min[0] < a.max[0] + c &&
    a.min[1] < b.max[1] + c &&
    b.min[1] < a.max[1] + c
  );
}

export const round3 = (v: number) => Math.round(v * 1000) / 1000;
