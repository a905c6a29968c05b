/**
 * Nearest-hit ray queries against a whole room: the closed shell (a box the camera is inside,
 * so every ray ends on it) and each object's primitives, with the object's bounds tested first.
 */
import type { RoomLayout } from './room-layout';
import { intersectBox, intersectPrimitive, type Ray, type SurfaceNormal } from './ray-intersect';

export interface TraceHit {
  t: number;
  /** Index into layout.objects, or -1 for floor, walls and ceiling. */
  objectIndex: number;
  nx: number;
  ny: number;
  nz: number;
}

export class RoomTracer {
  private readonly normal: SurfaceNormal = { x: 0, y: 0, z: 0 };

  constructor(readonly layout: RoomLayout) {}

  /**
   * Nearest surface along the ray (origin inside the room). Always hits: the shell closes the
   * room. Returns false only if the origin is outside the room.
   */
  trace(ray: Ray, hit: TraceHit): boolean {
    if (!this.traceShell(ray, hit)) return false;
    const objects = this.layout.objects;
    const n = this.normal;
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      const tBox = intersectBox(ray, o.aabb, 0, null);
      if (tBox >= hit.t) continue;
      for (const p of o.primitives) {
        const t = intersectPrimitive(ray, p, 0, n);
        if (t < hit.t) {
          hit.t = t;
          hit.objectIndex = i;
          hit.nx = n.x;
          hit.ny = n.y;
          hit.nz = n.z;
        }
      }
    }
    return true;
  }

  /** True when some object surface lies on the ray strictly before tMax (shell ignored). */
  occluded(ray: Ray, tMax: number): boolean {
    const n = this.normal;
    for (const o of this.layout.objects) {
      const tBox = intersectBox(ray, o.aabb, 0, null);
      if (tBox >= tMax) continue;
      for (const p of o.primitives) {
        if (intersectPrimitive(ray, p, 0, n) < tMax) return true;
      }
    }
    return false;
  }

  /** Where the ray leaves the room's interior box, with the inward normal of that face. */
  private traceShell(ray: Ray, hit: TraceHit): boolean {
    const { min, max } = this.layout.interior;
    if (
      ray.ox < min[0] ||
      ray.ox > max[0] ||
      ray.oy < min[1] ||
      ray.oy > max[1] ||
      ray.oz < min[2] ||
      ray.oz > max[2]
    ) {
      return false;
    }
    // Exit distance per axis (the origin is inside, so each is ≥ 0); the smallest wins.
    const tx =
      ray.dx > 0 ? (max[0] - ray.ox) / ray.dx : ray.dx < 0 ? (min[0] - ray.ox) / ray.dx : Infinity;
    const ty =
      ray.dy > 0 ? (max[1] - ray.oy) / ray.dy : ray.dy < 0 ? (min[1] - ray.oy) / ray.dy : Infinity;
    const tz =
      ray.dz > 0 ? (max[2] - ray.oz) / ray.dz : ray.dz < 0 ? (min[2] - ray.oz) / ray.dz : Infinity;
    let t = tx;
    let axis = tx < Infinity ? 0 : -1;
    if (ty < t) {
      t = ty;
      axis = 1;
    }
    if (tz < t) {
      t = tz;
      axis = 2;
    }
    const d = axis === 0 ? ray.dx : axis === 1 ? ray.dy : ray.dz;
    const sign = d > 0 ? -1 : 1;
    if (axis < 0) return false;
    hit.t = t;
    hit.objectIndex = -1;
    hit.nx = axis === 0 ? sign : 0;
    hit.ny = axis === 1 ? sign : 0;
    hit.nz = axis === 2 ? sign : 0;
    return true;
  }
}
