/**
 * The demo room's layout: a closed box room (floor, four walls, ceiling) furnished with ten
 * objects of ten categories, each a single distinct colour term, placed by seeded rejection
 * sampling so that no two solids overlap. Object ids are their index in OBJECT_SPECS, so a GT id
 * means the same object for every seed.
 */
import type { ColorTerm } from '../pipeline/clip/offline/color-terms';
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
import {
  boxesClash,
  furnishedRoom,
  placeAgainstWall,
  placeFacing,
  placeObjects,
  type RoomLayout,
  type RoomObject,
  type RoomSize,
} from './furnishing';
import type { Placement } from './placement';
import type { Primitive } from './primitives';
import type { Rng } from './prng';

export type { RoomLayout, RoomObject } from './furnishing';

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

const idOf = (label: string) => OBJECT_SPECS.findIndex((s) => s.label === label);
const TABLE_ID = idOf('table');

export function generateRoomLayout(seed: number): RoomLayout {
  return furnishedRoom(seed, 'demo room', (rng, size) =>
    placeObjects(
      rng,
      size,
      OBJECT_SPECS,
      PLACEMENT_ORDER.map(idOf),
      (spec, local, placed) => choosePlacement(rng, spec, local, placed, size),
      (candidate, placed) =>
        [...placed.values()].some((o) => boxesClash(candidate.aabb, o.aabb, CLEARANCE_M)),
    ),
  );
}

function choosePlacement(
  rng: Rng,
  spec: ObjectSpec,
  local: Primitive[],
  placed: ReadonlyMap<number, RoomObject>,
  size: RoomSize,
): Placement {
  const { width, depth } = size;
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
      const side = rng.int(4); // the chair's back points away from the table, along this side
      const gap = CLEARANCE_M + 0.03;
      return placeFacing(local, placed.get(TABLE_ID)!.aabb, side, gap, rng.range(-0.2, 0.2));
    }
    case 'wall':
      return placeAgainstWall(rng, local, size, spec.wallGap ?? 0.05);
  }
}
