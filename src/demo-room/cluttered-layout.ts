/**
 * The cluttered room: the demo room's box room and furniture, arranged the way segmentation finds
 * hard. Two chairs of the same colour touch the table's long edges (their boxes meet the table's
 * with zero gap), the television stands on the cabinet's top, everything that goes against a
 * wall touches it, and a 2 cm rug lies just in front of the sofa. Every object is still its own
 * GT instance (ids are indices in CLUTTERED_SPECS, the same object for every seed) and no two
 * solids overlap.
 */
import type { ColorTerm } from '../pipeline/clip/offline/color-terms';
import {
  buildBed,
  buildCabinet,
  buildChair,
  buildFlatRug,
  buildLamp,
  buildPlant,
  buildShelf,
  buildSofa,
  buildStandingTv,
  buildTable,
  type FurnitureBuilder,
} from './furniture';
import {
  boxesClash,
  furnishedRoom,
  nearestWall,
  placeAgainstWall,
  placeFacing,
  placeObjects,
  turnedBounds,
  wallPlacement,
  type RoomLayout,
  type RoomObject,
  type RoomSize,
} from './furnishing';
import type { Placement } from './placement';
import type { Primitive } from './primitives';
import type { Rng } from './prng';

export type ClutteredRule =
  /** Back touching a wall (zero gap). */
  | 'wall'
  /** Anywhere in the middle of the room. */
  | 'middle'
  /** Touching one long edge of the table (`side` 0) or the opposite one (1), facing it. */
  | 'at-table'
  /** On the floor in front of the sofa, RUG_GAP_M from it. */
  | 'before-sofa'
  /** Standing on the cabinet's top, back against the cabinet's wall. */
  | 'on-cabinet';

export interface ClutteredSpec {
  label: string;
  colorName: ColorTerm;
  build: FurnitureBuilder;
  rule: ClutteredRule;
  side?: number;
}

/** Eleven objects: the two chairs share 'orange', the others take the remaining nine terms. */
export const CLUTTERED_SPECS: readonly ClutteredSpec[] = [
  { label: 'sofa', colorName: 'red', build: buildSofa, rule: 'wall' },
  { label: 'chair', colorName: 'orange', build: buildChair, rule: 'at-table', side: 0 },
  { label: 'chair', colorName: 'orange', build: buildChair, rule: 'at-table', side: 1 },
  { label: 'table', colorName: 'brown', build: buildTable, rule: 'middle' },
  { label: 'bed', colorName: 'blue', build: buildBed, rule: 'wall' },
  { label: 'lamp', colorName: 'yellow', build: buildLamp, rule: 'wall' },
  { label: 'shelf', colorName: 'purple', build: buildShelf, rule: 'wall' },
  { label: 'plant', colorName: 'green', build: buildPlant, rule: 'wall' },
  { label: 'tv', colorName: 'black', build: buildStandingTv, rule: 'on-cabinet' },
  { label: 'rug', colorName: 'pink', build: buildFlatRug, rule: 'before-sofa' },
  { label: 'cabinet', colorName: 'grey', build: buildCabinet, rule: 'wall' },
];

const SOFA_ID = 0;
const TABLE_ID = 3;
const CABINET_ID = 10;
/** Pairs of ids allowed to touch (their boxes meet; their solids do not overlap). */
export const CLUTTERED_CONTACTS: readonly (readonly [number, number])[] = [
  [1, TABLE_ID],
  [2, TABLE_ID],
];
/** [standing object, its support]: the first's bottom is the second's top. */
export const CLUTTERED_STACKS: readonly (readonly [number, number])[] = [[8, CABINET_ID]];

/** Big and constrained first; each object after what it is placed against. */
const PLACEMENT_ORDER = [0, 9, 3, 1, 2, 4, 10, 8, 6, 5, 7];

/** Free space between footprints of other objects whose heights overlap (the demo room keeps 12 cm). */
const CLEARANCE_M = 0.06;
/** Between the rug and the front of the sofa: near, not under it. */
export const RUG_GAP_M = 0.08;
/** How far a touching pair's boxes may overlap from rounding. */
const TOUCH_EPS_M = 1e-9;

export function generateClutteredLayout(seed: number): RoomLayout {
  return furnishedRoom(seed, 'cluttered room', (rng, size) =>
    placeObjects(
      rng,
      size,
      CLUTTERED_SPECS,
      PLACEMENT_ORDER,
      (spec, local, placed) => choosePlacement(rng, spec, local, placed, size),
      clashes,
    ),
  );
}

function clashes(candidate: RoomObject, placed: ReadonlyMap<number, RoomObject>): boolean {
  for (const other of placed.values()) {
    const touching = CLUTTERED_CONTACTS.some(
      ([a, b]) => (a === candidate.id && b === other.id) || (b === candidate.id && a === other.id),
    );
    if (boxesClash(candidate.aabb, other.aabb, touching ? -TOUCH_EPS_M : CLEARANCE_M)) return true;
  }
  return false;
}

function choosePlacement(
  rng: Rng,
  spec: ClutteredSpec,
  local: Primitive[],
  placed: ReadonlyMap<number, RoomObject>,
  size: RoomSize,
): Placement {
  const { width, depth } = size;
  switch (spec.rule) {
    case 'wall':
      return placeAgainstWall(rng, local, size, 0);
    case 'middle':
      return {
        quarterTurns: rng.int(2),
        x: rng.range(-(width / 2 - 1.5), width / 2 - 1.5),
        y: rng.range(-(depth / 2 - 1.5), depth / 2 - 1.5),
      };
    case 'at-table': {
      const table = placed.get(TABLE_ID)!.aabb;
      // The long edges: ±y when the table runs along x, else ±x.
      const alongX = table.max[0] - table.min[0] >= table.max[1] - table.min[1];
      const side = (alongX ? 0 : 1) + 2 * (spec.side ?? 0);
      return placeFacing(local, table, side, 0, rng.range(-0.25, 0.25));
    }
    case 'before-sofa': {
      const sofa = placed.get(SOFA_ID)!.aabb;
      const side = (nearestWall(sofa, size) + 2) % 4;
      return placeFacing(local, sofa, side, RUG_GAP_M, rng.range(-0.2, 0.2));
    }
    case 'on-cabinet': {
      const cabinet = placed.get(CABINET_ID)!.aabb;
      const wall = nearestWall(cabinet, size);
      const own = turnedBounds(local, wall);
      const k = wall % 2 === 0 ? 0 : 1; // the axis along the wall
      const centre = (cabinet.min[k] + cabinet.max[k]) / 2 - (own.min[k] + own.max[k]) / 2;
      const slack = Math.max(
        0,
        (cabinet.max[k] - cabinet.min[k] - (own.max[k] - own.min[k])) / 2 - 0.03,
      );
      const at = wallPlacement(own, size, wall, 0, centre + rng.range(-slack, slack));
      return { ...at, z: cabinet.max[2] };
    }
  }
}
