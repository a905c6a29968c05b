/**
 * The demo room's layout: a closed box room (floor, four walls, ceiling) furnished with ten
 * objects of ten categories, each a single distinct colour term, placed by seeded rejection
 * sampling so that no two solids overlap. Object ids are their index in OBJECT_SPECS, so a GT id
 * means the same object for every seed.
 */
import { FOCAL_SRGB, type ColorTerm } from '../pipeline/clip/offline/color-terms';
import type { Aabb } from '../pipeline/scene/types';
import {
  buildBed,
  buildCabinet,
  buildChair,
  buildLamp,
  buildPlant,
  buildRug,
  buildShelf,
  buildSofa,
  buildTable,
  buildTv,
  type FurnitureBuilder,
} from './furniture';
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

type PlacementRule =
  /** Back against a wall, `wallGap` metres from it. */
  | 'wall'
  /** Near the room centre. */
  | 'centre'
  /**
   * Anywhere in the middle of the room, off the rug: furniture standing on the rug makes its thin
   * legs look pink in every view, and a grounded 'pink' box then grows to the table's height.
   */
  | 'middle'
  /** At one side of the table, facing it. */
  | 'beside-table';

interface ObjectSpec {
  label: string;
  colorName: ColorTerm;
  build: FurnitureBuilder;
  rule: PlacementRule;
  wallGap?: number;
}

/** Walls, floor and ceiling are white, so the objects take the other ten terms, one each. */
export const OBJECT_SPECS: readonly ObjectSpec[] = [
  { label: 'sofa', colorName: 'red', build: buildSofa, rule: 'wall', wallGap: 0.06 },
  { label: 'chair', colorName: 'orange', build: buildChair, rule: 'beside-table' },
  { label: 'table', colorName: 'brown', build: buildTable, rule: 'middle' },
  { label: 'bed', colorName: 'blue', build: buildBed, rule: 'wall', wallGap: 0.03 },
  { label: 'lamp', colorName: 'yellow', build: buildLamp, rule: 'wall', wallGap: 0.15 },
  { label: 'shelf', colorName: 'purple', build: buildShelf, rule: 'wall', wallGap: 0.02 },
  { label: 'plant', colorName: 'green', build: buildPlant, rule: 'wall', wallGap: 0.12 },
  { label: 'tv', colorName: 'black', build: buildTv, rule: 'wall', wallGap: 0 },
  { label: 'rug', colorName: 'pink', build: buildRug, rule: 'centre' },
  { label: 'cabinet', colorName: 'grey', build: buildCabinet, rule: 'wall', wallGap: 0.03 },
];

/** Big and constrained first, so rejection sampling rarely has to start over. */
const PLACEMENT_ORDER = [
  'rug',
  'table',
  'chair',
  'bed',
  'sofa',
  'cabinet',
  'shelf',
  'tv',
  'lamp',
  'plant',
];

/** Free space kept between the footprints of objects whose heights overlap. */
const CLEARANCE_M = 0.12;
const ATTEMPTS_PER_OBJECT = 80;
const LAYOUT_ATTEMPTS = 200;

export function generateRoomLayout(seed: number): RoomLayout {
  const rng = seededRng(seed);
  const width = round3(rng.range(6.6, 7.4));
  const depth = round3(rng.range(5.3, 5.9));
  const height = round3(rng.range(2.6, 2.8));
  const interior: Aabb = { min: [-width / 2, -depth / 2, 0], max: [width / 2, depth / 2, height] };
  for (let attempt = 0; attempt < LAYOUT_ATTEMPTS; attempt++) {
    const objects = tryFurnish(rng, width, depth);
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
  throw new Error(`demo room: could not place all objects for seed ${seed}`);
}

function tryFurnish(rng: Rng, width: number, depth: number): RoomObject[] | undefined {
  const placed = new Map<string, RoomObject>();
  for (const label of PLACEMENT_ORDER) {
    const id = OBJECT_SPECS.findIndex((s) => s.label === label);
    const spec = OBJECT_SPECS[id];
    const local = spec.build(rng);
    let object: RoomObject | undefined;
    for (let a = 0; a < ATTEMPTS_PER_OBJECT && !object; a++) {
      const at = choosePlacement(rng, spec, local.primitives, placed, width, depth);
      const primitives = local.primitives.map((p) => placePrimitive(p, at));
      const candidate: RoomObject = {
        id,
        label: spec.label,
        colorName: spec.colorName,
        color: [...FOCAL_SRGB[spec.colorName]],
        primitives,
        aabb: unionAabb(primitives.map(primitiveAabb)),
      };
      if (fitsInRoom(candidate.aabb, width, depth) && !collides(candidate, placed)) {
        object = candidate;
      }
    }
    if (!object) return undefined;
    placed.set(label, object);
  }
  return OBJECT_SPECS.map((s) => placed.get(s.label)!);
}

function choosePlacement(
  rng: Rng,
  spec: ObjectSpec,
  local: Primitive[],
  placed: Map<string, RoomObject>,
  width: number,
  depth: number,
): Placement {
  switch (spec.rule) {
    case 'centre':
      return { quarterTurns: rng.int(2), x: rng.range(-0.3, 0.3), y: rng.range(-0.25, 0.25) };
    case 'middle':
      return {
        quarterTurns: rng.int(2),
        x: rng.range(-(width / 2 - 1.5), width / 2 - 1.5),
        y: rng.range(-(depth / 2 - 1.4), depth / 2 - 1.4),
      };
    case 'beside-table': {
      const table = placed.get('table')!.aabb;
      const side = rng.int(4); // the chair's back points away from the table, along this side
      const [ux, uy] = [
        [0, 1],
        [-1, 0],
        [0, -1],
        [1, 0],
      ][side];
      const own = unionAabb(local.map((p) => primitiveAabb(placePrimitive(p, at0(side)))));
      const cx = (table.min[0] + table.max[0]) / 2;
      const cy = (table.min[1] + table.max[1]) / 2;
      const gap = CLEARANCE_M + 0.03;
      const x =
        ux > 0
          ? table.max[0] + gap - own.min[0]
          : ux < 0
            ? table.min[0] - gap - own.max[0]
            : cx + rng.range(-0.2, 0.2);
      const y =
        uy > 0
          ? table.max[1] + gap - own.min[1]
          : uy < 0
            ? table.min[1] - gap - own.max[1]
            : cy + rng.range(-0.2, 0.2);
      return { quarterTurns: side, x, y };
    }
    case 'wall': {
      const wall = rng.int(4); // 0 north (+y), 1 west (-x), 2 south (-y), 3 east (+x)
      const own = unionAabb(local.map((p) => primitiveAabb(placePrimitive(p, at0(wall)))));
      const gap = spec.wallGap ?? 0.05;
      const corner = 0.03;
      const alongX = () =>
        rng.range(-width / 2 + corner - own.min[0], width / 2 - corner - own.max[0]);
      const alongY = () =>
        rng.range(-depth / 2 + corner - own.min[1], depth / 2 - corner - own.max[1]);
      switch (wall) {
        case 0:
          return { quarterTurns: 0, x: alongX(), y: depth / 2 - gap - own.max[1] };
        case 1:
          return { quarterTurns: 1, x: -width / 2 + gap - own.min[0], y: alongY() };
        case 2:
          return { quarterTurns: 2, x: alongX(), y: -depth / 2 + gap - own.min[1] };
        default:
          return { quarterTurns: 3, x: width / 2 - gap - own.max[0], y: alongY() };
      }
    }
  }
}

const at0 = (quarterTurns: number): Placement => ({ quarterTurns, x: 0, y: 0 });

function fitsInRoom(b: Aabb, width: number, depth: number): boolean {
  const eps = 1e-9;
  return (
    b.min[0] >= -width / 2 - eps &&
    b.max[0] <= width / 2 + eps &&
    b.min[1] >= -depth / 2 - eps &&
    b.max[1] <= depth / 2 + eps
  );
}

/** Objects conflict when their heights overlap and their footprints come closer than the clearance. */
function collides(candidate: RoomObject, placed: Map<string, RoomObject>): boolean {
  for (const other of placed.values()) {
    const a = candidate.aabb;
    const b = other.aabb;
    if (a.min[2] >= b.max[2] || b.min[2] >= a.max[2]) continue;
    const c = CLEARANCE_M;
    if (
      a.min[0] < b.max[0] + c &&
      b.min[0] < a.max[0] + c &&
      a.min[1] < b.max[1] + c &&
      b.min[1] < a.max[1] + c
    ) {
      return true;
    }
  }
  return false;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
