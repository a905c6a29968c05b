/**
 * The solids the demo room is built from. Boxes are axis-aligned and cylinders stand upright
 * (axis along world +z): furniture is only ever rotated by multiples of 90° about z, so this is
 * enough, and it keeps ray casting, inside tests and GT boxes exact.
 */
import type { Vec3 } from '../pipeline/render/types';
import type { Aabb } from '../pipeline/scene/types';

export interface BoxPrimitive {
  kind: 'box';
  min: Vec3;
  max: Vec3;
}

export interface CylinderPrimitive {
  kind: 'cylinder';
  /** Axis position in the xy plane. */
  centerX: number;
  centerY: number;
  radius: number;
  zMin: number;
  zMax: number;
}

export interface SpherePrimitive {
  kind: 'sphere';
  center: Vec3;
  radius: number;
}

export type Primitive = BoxPrimitive | CylinderPrimitive | SpherePrimitive;

export function box(min: Vec3, max: Vec3): BoxPrimitive {
  return { kind: 'box', min: [...min], max: [...max] };
}

export function cylinder(
  centerX: number,
  centerY: number,
  radius: number,
  zMin: number,
  zMax: number,
): CylinderPrimitive {
  return { kind: 'cylinder', centerX, centerY, radius, zMin, zMax };
}

export function sphere(center: Vec3, radius: number): SpherePrimitive {
  return { kind: 'sphere', center: [...center], radius };
}

/** The tight axis-aligned bounds of a primitive. */
export function primitiveAabb(p: Primitive): Aabb {
  switch (p.kind) {
    case 'box':
      return { min: [...p.min], max: [...p.max] };
    case 'cylinder':
      return {
        min: [p.centerX - p.radius, p.centerY - p.radius, p.zMin],
        max: [p.centerX + p.radius, p.centerY + p.radius, p.zMax],
      };
    case 'sphere':
      return {
        min: [p.center[0] - p.radius, p.center[1] - p.radius, p.center[2] - p.radius],
        max: [p.center[0] + p.radius, p.center[1] + p.radius, p.center[2] + p.radius],
      };
  }
}

export function unionAabb(boxes: Aabb[]): Aabb {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a], b.min[a]);
      max[a] = Math.max(max[a], b.max[a]);
    }
  }
  return { min, max };
}

/** True when (x, y, z) lies inside the solid grown by `margin` metres (its surface included). */
export function isInsidePrimitive(
  p: Primitive,
  x: number,
  y: number,
  z: number,
  margin: number,
): boolean {
  switch (p.kind) {
    case 'box':
      return (
        x >= p.min[0] - margin &&
        x <= p.max[0] + margin &&
        y >= p.min[1] - margin &&
        y <= p.max[1] + margin &&
        z >= p.min[2] - margin &&
        z <= p.max[2] + margin
      );
    case 'cylinder': {
      if (z < p.zMin - margin || z > p.zMax + margin) return false;
      const dx = x - p.centerX;
      const dy = y - p.centerY;
      const r = p.radius + margin;
      return dx * dx + dy * dy <= r * r;
    }
    case 'sphere': {
      const dx = x - p.center[0];
      const dy = y - p.center[1];
      const dz = z - p.center[2];
      const r = p.radius + margin;
      return dx * dx + dy * dy + dz * dz <= r * r;
    }
  }
}
