/**
 * Moving furniture from its local frame into the room: a rotation by a multiple of 90° about +z
 * (so boxes stay axis-aligned and cylinders upright) and a translation, lifted by `z` for an object
 * standing on another.
 */
import { box, cylinder, sphere, type Primitive } from './primitives';

export interface Placement {
  /** Counter-clockwise quarter turns about +z: 0 keeps the back at +y, 1 turns it to -x. */
  quarterTurns: number;
  x: number;
  y: number;
  /** Lift in metres (default 0: standing on the floor). */
  z?: number;
}

/** Rotates (x, y) counter-clockwise by k quarter turns. */
export function rotateQuarter(k: number, x: number, y: number): [number, number] {
  switch (((k % 4) + 4) % 4) {
    case 0:
      return [x, y];
    case 1:
      return [-y, x];
    case 2:
      return [-x, -y];
    default:
      return [y, -x];
  }
}

export function placePrimitive(p: Primitive, at: Placement): Primitive {
  const moved = turnAndShift(p, at);
  return at.z ? liftPrimitive(moved, at.z) : moved;
}

/** The primitive moved up by dz metres. */
export function liftPrimitive(p: Primitive, dz: number): Primitive {
  switch (p.kind) {
    case 'box':
      return box([p.min[0], p.min[1], p.min[2] + dz], [p.max[0], p.max[1], p.max[2] + dz]);
    case 'cylinder':
      return cylinder(p.centerX, p.centerY, p.radius, p.zMin + dz, p.zMax + dz);
    case 'sphere':
      return sphere([p.center[0], p.center[1], p.center[2] + dz], p.radius);
  }
}

function turnAndShift(p: Primitive, at: Placement): Primitive {
  const move = (x: number, y: number): [number, number] => {
    const [rx, ry] = rotateQuarter(at.quarterTurns, x, y);
    return [rx + at.x, ry + at.y];
  };
  switch (p.kind) {
    case 'box': {
      const [ax, ay] = move(p.min[0], p.min[1]);
      const [bx, by] = move(p.max[0], p.max[1]);
      return box(
        [Math.min(ax, bx), Math.min(ay, by), p.min[2]],
        [Math.max(ax, bx), Math.max(ay, by), p.max[2]],
      );
    }
    case 'cylinder': {
      const [cx, cy] = move(p.centerX, p.centerY);
      return cylinder(cx, cy, p.radius, p.zMin, p.zMax);
    }
    case 'sphere': {
      const [cx, cy] = move(p.center[0], p.center[1]);
      return sphere([cx, cy, p.center[2]], p.radius);
    }
  }
}
