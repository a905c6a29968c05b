/**
 * Furniture built from boxes, upright cylinders and spheres, in a local frame: footprint centred
 * on the origin, width along x, depth along y with the back (the side that goes against a wall)
 * at +y, standing on z = 0. Sizes are jittered a little by the seed.
 */
import { box, cylinder, sphere, type Primitive } from './primitives';
import type { Rng } from './prng';

export interface LocalFurniture {
  /** The footprint and the wall offset are taken from these primitives' bounds. */
  primitives: Primitive[];
}

export type FurnitureBuilder = (rng: Rng) => LocalFurniture;

const jitter = (rng: Rng, value: number) => value * rng.range(0.92, 1.08);

/** Square legs of side `leg` from the floor to `top`, centred at (±x, ±y). */
function fourLegs(x: number, y: number, leg: number, top: number): Primitive[] {
  return [
    [-1, -1],
    [1, -1],
    [-1, 1],
    [1, 1],
  ].map(([sx, sy]) => {
    const cx = sx * x;
    const cy = sy * y;
    return box([cx - leg / 2, cy - leg / 2, 0], [cx + leg / 2, cy + leg / 2, top]);
  });
}

export const buildSofa: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 2.0);
  const d = jitter(rng, 0.9);
  const seatH = jitter(rng, 0.42);
  const backH = jitter(rng, 0.85);
  const arm = 0.18;
  const armH = seatH + 0.2;
  const backD = 0.2;
  const x0 = -w / 2;
  const y0 = -d / 2;
  return {
    primitives: [
      box([x0 + arm, y0, 0], [x0 + w - arm, d / 2 - backD, seatH]),
      box([x0, d / 2 - backD, 0], [x0 + w, d / 2, backH]),
      box([x0, y0, 0], [x0 + arm, d / 2 - backD, armH]),
      box([x0 + w - arm, y0, 0], [x0 + w, d / 2 - backD, armH]),
    ],
  };
};

export const buildChair: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 0.5);
  const d = jitter(rng, 0.5);
  const seatZ = jitter(rng, 0.44);
  const backTop = jitter(rng, 0.88);
  const leg = 0.045;
  const seatT = 0.05;
  const backT = 0.05;
  const prims: Primitive[] = [
    box([-w / 2, -d / 2, seatZ - seatT], [w / 2, d / 2, seatZ]),
    ...fourLegs(w / 2 - leg / 2, d / 2 - leg / 2, leg, seatZ - seatT),
  ];
  prims.push(box([-w / 2, d / 2 - backT, seatZ], [w / 2, d / 2, backTop]));
  return { primitives: prims };
};

export const buildTable: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 1.2);
  const d = jitter(rng, 0.75);
  const h = jitter(rng, 0.75);
  const topT = 0.045;
  const leg = 0.06;
  const inset = 0.06;
  return {
    primitives: [
      box([-w / 2, -d / 2, h - topT], [w / 2, d / 2, h]),
      ...fourLegs(w / 2 - inset - leg / 2, d / 2 - inset - leg / 2, leg, h - topT),
    ],
  };
};

/** Headboard against the wall, so the bed's long side runs into the room. */
export const buildBed: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 1.45);
  const d = jitter(rng, 2.0);
  const baseH = jitter(rng, 0.52);
  const headT = 0.08;
  const headH = jitter(rng, 1.05);
  const pillowW = w / 2 - 0.12;
  const pillowD = 0.38;
  const pillowY1 = d / 2 - headT - 0.06;
  const prims: Primitive[] = [
    box([-w / 2, -d / 2, 0], [w / 2, d / 2 - headT, baseH]),
    box([-w / 2, d / 2 - headT, 0], [w / 2, d / 2, headH]),
  ];
  for (const sx of [-1, 1]) {
    const cx = sx * (w / 4);
    prims.push(
      box(
        [cx - pillowW / 2, pillowY1 - pillowD, baseH],
        [cx + pillowW / 2, pillowY1, baseH + 0.12],
      ),
    );
  }
  return { primitives: prims };
};

/**
 * A floor lamp: round base, a column and a cylindrical shade. The column is 8 cm thick so that
 * the lamp is more than its shade in images of a few hundred pixels.
 */
export const buildLamp: FurnitureBuilder = (rng) => {
  const shadeR = jitter(rng, 0.2);
  const top = jitter(rng, 1.6);
  const shadeH = 0.3;
  return {
    primitives: [
      cylinder(0, 0, 0.17, 0, 0.04),
      cylinder(0, 0, 0.04, 0.04, top - shadeH),
      cylinder(0, 0, shadeR, top - shadeH, top),
    ],
  };
};

/** An open bookshelf: sides, top, bottom, shelves and a back panel. */
export const buildShelf: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 0.9);
  const d = jitter(rng, 0.36);
  const h = jitter(rng, 1.8);
  const t = 0.03;
  const back = 0.02;
  const prims: Primitive[] = [
    box([-w / 2, -d / 2, 0], [-w / 2 + t, d / 2, h]),
    box([w / 2 - t, -d / 2, 0], [w / 2, d / 2, h]),
    box([-w / 2 + t, d / 2 - back, 0], [w / 2 - t, d / 2, h]),
  ];
  const boards = 5;
  for (let i = 0; i < boards; i++) {
    const z = i === 0 ? 0 : (h - t) * (i / (boards - 1));
    prims.push(box([-w / 2 + t, -d / 2, z], [w / 2 - t, d / 2 - back, z + t]));
  }
  return { primitives: prims };
};

/** A potted plant: a pot and three overlapping spheres of foliage. */
export const buildPlant: FurnitureBuilder = (rng) => {
  const potR = jitter(rng, 0.17);
  const potH = jitter(rng, 0.36);
  const leafR = jitter(rng, 0.27);
  const c = potH + leafR * 0.8;
  return {
    primitives: [
      cylinder(0, 0, potR, 0, potH),
      sphere([0, 0, c], leafR),
      sphere([0.09, -0.05, c + leafR * 0.75], leafR * 0.75),
      sphere([-0.09, 0.05, c + leafR * 0.55], leafR * 0.7),
    ],
  };
};

/** A flat screen mounted on the wall: its own geometry starts at the mounting height. */
export const buildTv: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 1.15);
  const h = w * 0.58;
  const d = 0.06;
  const bottom = rng.range(1.05, 1.15);
  return {
    primitives: [box([-w / 2, -d / 2, bottom], [w / 2, d / 2, bottom + h])],
  };
};

/**
 * A television standing on furniture: a foot (its depth is the footprint) and the screen centred
 * above it. Narrower than the wall-mounted one, so it fits on the cabinet's top.
 */
export const buildStandingTv: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 0.9);
  const h = w * 0.58;
  const footW = 0.34;
  const footD = 0.2;
  const footH = 0.04;
  const d = 0.05;
  return {
    primitives: [
      box([-footW / 2, -footD / 2, 0], [footW / 2, footD / 2, footH]),
      box([-w / 2, -d / 2, footH], [w / 2, d / 2, footH + h]),
    ],
  };
};

/** A flat rug, 2 cm thick: for the cluttered room, where thin objects are the point. */
export const buildFlatRug: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 2.0);
  const d = jitter(rng, 1.4);
  return { primitives: [box([-w / 2, -d / 2, 0], [w / 2, d / 2, 0.02])] };
};

/**
 * A thick rug lying on the floor. 4 cm, not 2: a GT box that thin turns every centimetre of
 * height error into a large IoU loss.
 */
export const buildRug: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 2.1);
  const d = jitter(rng, 1.45);
  return { primitives: [box([-w / 2, -d / 2, 0], [w / 2, d / 2, 0.04])] };
};

/** A sideboard with two door handles. */
export const buildCabinet: FurnitureBuilder = (rng) => {
  const w = jitter(rng, 1.2);
  const d = jitter(rng, 0.45);
  const h = jitter(rng, 0.78);
  const hw = 0.12;
  const prims: Primitive[] = [box([-w / 2, -d / 2, 0], [w / 2, d / 2, h])];
  for (const sx of [-1, 1]) {
    const cx = sx * 0.08;
    prims.push(box([cx - 0.015, -d / 2 - 0.03, h * 0.55], [cx + 0.015, -d / 2, h * 0.55 + hw]));
  }
  return { primitives: prims };
};
