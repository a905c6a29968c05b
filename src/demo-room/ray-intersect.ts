/**
 * Ray–primitive intersection. Directions need not be unit length: t is measured in units of the
 * direction vector, which lets the renderer pass camera rays with z_cam = 1 and read z-depth
 * straight from t. Each function returns the first surface crossing with t >= tMin (Infinity when
 * none) and writes the outward surface normal there into `normal`.
 */
import type { BoxPrimitive, CylinderPrimitive, Primitive, SpherePrimitive } from './primitives';

export interface Ray {
  ox: number;
  oy: number;
  oz: number;
  dx: number;
  dy: number;
  dz: number;
}

/** Mutable output so the inner loop allocates nothing. */
export interface SurfaceNormal {
  x: number;
  y: number;
  z: number;
}

/**
 * Slab test against an axis-aligned box given by its corners (a box primitive or any AABB); a
 * null `normal` skips the normal, for bounding-box culling.
 */
export function intersectBox(
  ray: Ray,
  b: Pick<BoxPrimitive, 'min' | 'max'>,
  tMin: number,
  normal: SurfaceNormal | null,
): number {
  return intersectAabbBounds(
    ray,
    b.min[0],
    b.min[1],
    b.min[2],
    b.max[0],
    b.max[1],
    b.max[2],
    tMin,
    normal,
  );
}

function intersectAabbBounds(
  ray: Ray,
  minX: number,
  minY: number,
  minZ: number,
  maxX: number,
  maxY: number,
  maxZ: number,
  tMin: number,
  normal: SurfaceNormal | null,
): number {
  // Unrolled per axis: this runs for every pixel and every object, so no temporary arrays.
  let tNear = -Infinity;
  let tFar = Infinity;
  let nearAxis = -1;
  let farAxis = -1;
  if (ray.dx === 0) {
    if (ray.ox < minX || ray.ox > maxX) return Infinity; // parallel to the slab and outside it
  } else {
    const inv = 1 / ray.dx;
    const t0 = (minX - ray.ox) * inv;
    const t1 = (maxX - ray.ox) * inv;
    const lo = t0 < t1 ? t0 : t1;
    const hi = t0 < t1 ? t1 : t0;
    if (lo > tNear) {
      tNear = lo;
      nearAxis = 0;
    }
    if (hi < tFar) {
      tFar = hi;
      farAxis = 0;
    }
  }
  if (ray.dy === 0) {
    if (ray.oy < minY || ray.oy > maxY) return Infinity;
  } else {
    const inv = 1 / ray.dy;
    const t0 = (minY - ray.oy) * inv;
    const t1 = (maxY - ray.oy) * inv;
    const lo = t0 < t1 ? t0 : t1;
    const hi = t0 < t1 ? t1 : t0;
    if (lo > tNear) {
      tNear = lo;
      nearAxis = 1;
    }
    if (hi < tFar) {
      tFar = hi;
      farAxis = 1;
    }
  }
  if (ray.dz === 0) {
    if (ray.oz < minZ || ray.oz > maxZ) return Infinity;
  } else {
    const inv = 1 / ray.dz;
    const t0 = (minZ - ray.oz) * inv;
    const t1 = (maxZ - ray.oz) * inv;
    const lo = t0 < t1 ? t0 : t1;
    const hi = t0 < t1 ? t1 : t0;
    if (lo > tNear) {
      tNear = lo;
      nearAxis = 2;
    }
    if (hi < tFar) {
      tFar = hi;
      farAxis = 2;
    }
  }
  if (tNear > tFar) return Infinity;
  let t: number;
  let axis: number;
  let entering: boolean;
  if (tNear >= tMin) {
    t = tNear;
    axis = nearAxis;
    entering = true;
  } else if (tFar >= tMin) {
    t = tFar;
    axis = farAxis;
    entering = false;
  } else {
    return Infinity;
  }
  if (normal && axis >= 0) {
    const d = axis === 0 ? ray.dx : axis === 1 ? ray.dy : ray.dz;
    // Entering: the face the ray points into (normal opposes d); leaving: the face it exits.
    const sign = d > 0 === entering ? -1 : 1;
    normal.x = axis === 0 ? sign : 0;
    normal.y = axis === 1 ? sign : 0;
    normal.z = axis === 2 ? sign : 0;
  }
  return t;
}

/** Upright cylinder: the curved side (a quadratic in xy) and the two flat caps. */
export function intersectCylinder(
  ray: Ray,
  c: CylinderPrimitive,
  tMin: number,
  normal: SurfaceNormal,
): number {
  let best = Infinity;
  let bestKind = 0; // 1 side, 2 bottom cap, 3 top cap
  const fx = ray.ox - c.centerX;
  const fy = ray.oy - c.centerY;
  const a = ray.dx * ray.dx + ray.dy * ray.dy;
  const r2 = c.radius * c.radius;
  if (a > 0) {
    const b = 2 * (fx * ray.dx + fy * ray.dy);
    const cc = fx * fx + fy * fy - r2;
    const disc = b * b - 4 * a * cc;
    if (disc >= 0) {
      const sq = Math.sqrt(disc);
      const t0 = (-b - sq) / (2 * a);
      const t1 = (-b + sq) / (2 * a);
      // The nearer root first; the farther one only matters if the nearer misses the height.
      for (let r = 0; r < 2; r++) {
        const t = r === 0 ? t0 : t1;
        if (t >= tMin && t < best) {
          const z = ray.oz + t * ray.dz;
          if (z >= c.zMin && z <= c.zMax) {
            best = t;
            bestKind = 1;
            break;
          }
        }
      }
    }
  }
  if (ray.dz !== 0) {
    for (let cap = 0; cap < 2; cap++) {
      const zc = cap === 0 ? c.zMin : c.zMax;
      const t = (zc - ray.oz) / ray.dz;
      if (t >= tMin && t < best) {
        const x = fx + t * ray.dx;
        const y = fy + t * ray.dy;
        if (x * x + y * y <= r2) {
          best = t;
          bestKind = cap === 0 ? 2 : 3;
        }
      }
    }
  }
  if (bestKind === 1) {
    normal.x = (fx + best * ray.dx) / c.radius;
    normal.y = (fy + best * ray.dy) / c.radius;
    normal.z = 0;
  } else if (bestKind !== 0) {
    normal.x = 0;
    normal.y = 0;
    normal.z = bestKind === 3 ? 1 : -1;
  }
  return best;
}

export function intersectSphere(
  ray: Ray,
  s: SpherePrimitive,
  tMin: number,
  normal: SurfaceNormal,
): number {
  const fx = ray.ox - s.center[0];
  const fy = ray.oy - s.center[1];
  const fz = ray.oz - s.center[2];
  const a = ray.dx * ray.dx + ray.dy * ray.dy + ray.dz * ray.dz;
  const b = 2 * (fx * ray.dx + fy * ray.dy + fz * ray.dz);
  const c = fx * fx + fy * fy + fz * fz - s.radius * s.radius;
  const disc = b * b - 4 * a * c;
  if (a === 0 || disc < 0) return Infinity;
  const sq = Math.sqrt(disc);
  let t = (-b - sq) / (2 * a);
  if (t < tMin) t = (-b + sq) / (2 * a);
  if (t < tMin) return Infinity;
  normal.x = (fx + t * ray.dx) / s.radius;
  normal.y = (fy + t * ray.dy) / s.radius;
  normal.z = (fz + t * ray.dz) / s.radius;
  return t;
}

export function intersectPrimitive(
  ray: Ray,
  p: Primitive,
  tMin: number,
  normal: SurfaceNormal,
): number {
  switch (p.kind) {
    case 'box':
      return intersectBox(ray, p, tMin, normal);
    case 'cylinder':
      return intersectCylinder(ray, p, tMin, normal);
    case 'sphere':
      return intersectSphere(ray, p, tMin, normal);
  }
}
