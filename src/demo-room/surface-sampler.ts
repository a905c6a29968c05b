/**
 * The demo room's point cloud, as a perfect scan would give it: the surfaces of every solid and
 * of the room's shell sampled on a jittered grid, minus what lies inside another solid (the floor
 * under a sofa, a wall behind a mounted TV) and minus what none of the cameras sees (the back of
 * the sofa, the ceiling). Colours use the renderer's shading without its pixel noise.
 */
import type { PointCloud } from '../pipeline/scene/types';
import { isInsidePrimitive, type Primitive } from './primitives';
import type { Rng } from './prng';
import type { RoomLayout } from './room-layout';
import type { RoomTracer } from './room-tracer';
import { shadeSurface, toByte } from './shading';
import type { PlannedView } from './view-planner';
import type { Ray } from './ray-intersect';

export interface SurfaceSamplingOptions {
  /** Grid spacing on object surfaces, metres. */
  objectSpacing: number;
  /** Grid spacing on floor, walls and ceiling, metres. */
  shellSpacing: number;
}

/** Points this close to another solid (or to the shell, for object points) count as covered. */
const CONTACT_MARGIN_M = 0.002;

/** Growable parallel arrays for candidate points. */
class PointBuffer {
  positions: number[] = [];
  normals: number[] = [];
  objects: number[] = [];
  /** Index of the primitive within its object (-1 for the shell). */
  primitives: number[] = [];
  /** Set before sampling each primitive. */
  current = { object: -1, primitive: -1 };
  push(x: number, y: number, z: number, nx: number, ny: number, nz: number) {
    this.positions.push(x, y, z);
    this.normals.push(nx, ny, nz);
    this.objects.push(this.current.object);
    this.primitives.push(this.current.primitive);
  }
}

export function sampleRoomSurfaces(
  layout: RoomLayout,
  tracer: RoomTracer,
  views: PlannedView[],
  rng: Rng,
  options: SurfaceSamplingOptions,
): PointCloud {
  const candidates = new PointBuffer();
  sampleShell(layout, options.shellSpacing, rng, candidates);
  layout.objects.forEach((o, index) => {
    o.primitives.forEach((p, k) => {
      candidates.current = { object: index, primitive: k };
      samplePrimitive(p, options.objectSpacing, rng, candidates);
    });
  });

  const { positions: cp, normals: cn, objects: co, primitives: cprim } = candidates;
  const keep: number[] = [];
  const ray: Ray = { ox: 0, oy: 0, oz: 0, dx: 0, dy: 0, dz: 0 };
  for (let i = 0; i < co.length; i++) {
    const x = cp[3 * i];
    const y = cp[3 * i + 1];
    const z = cp[3 * i + 2];
    if (co[i] >= 0 && touchesShell(layout, x, y, z)) continue;
    if (isCovered(layout, co[i], cprim[i], x, y, z)) continue;
    if (!seenByAnyView(tracer, views, x, y, z, cn[3 * i], cn[3 * i + 1], cn[3 * i + 2], ray)) {
      continue;
    }
    keep.push(i);
  }

  const n = keep.length;
  const positions = new Float32Array(n * 3);
  const normals = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  const instanceIds = new Int32Array(n);
  const rgb = new Float64Array(3);
  for (let k = 0; k < n; k++) {
    const i = keep[k];
    const object = co[i] >= 0 ? layout.objects[co[i]] : undefined;
    for (let c = 0; c < 3; c++) {
      positions[3 * k + c] = cp[3 * i + c];
      normals[3 * k + c] = cn[3 * i + c];
    }
    shadeSurface(
      object ? object.color : layout.shellColor,
      cn[3 * i],
      cn[3 * i + 1],
      cn[3 * i + 2],
      cp[3 * i],
      cp[3 * i + 1],
      cp[3 * i + 2],
      co[i] + 2,
      rgb,
    );
    for (let c = 0; c < 3; c++) colors[3 * k + c] = toByte(rgb[c]);
    instanceIds[k] = object ? object.id : -1;
  }
  return { positions, colors, normals, instanceIds };
}

export function touchesShell(layout: RoomLayout, x: number, y: number, z: number): boolean {
  const { min, max } = layout.interior;
  const m = CONTACT_MARGIN_M;
  return (
    x <= min[0] + m ||
    x >= max[0] - m ||
    y <= min[1] + m ||
    y >= max[1] - m ||
    z <= min[2] + m ||
    z >= max[2] - m
  );
}

/**
 * Inside (or touching) any solid other than the primitive the point was sampled from, including
 * the other primitives of the same object (the seat's side under an armrest).
 */
export function isCovered(
  layout: RoomLayout,
  ownerObject: number,
  ownerPrimitive: number,
  x: number,
  y: number,
  z: number,
): boolean {
  for (let j = 0; j < layout.objects.length; j++) {
    const o = layout.objects[j];
    const b = o.aabb;
    const m = CONTACT_MARGIN_M;
    if (
      x < b.min[0] - m ||
      x > b.max[0] + m ||
      y < b.min[1] - m ||
      y > b.max[1] + m ||
      z < b.min[2] - m ||
      z > b.max[2] + m
    ) {
      continue;
    }
    for (let k = 0; k < o.primitives.length; k++) {
      if (j === ownerObject && k === ownerPrimitive) continue;
      if (isInsidePrimitive(o.primitives[k], x, y, z, m)) return true;
    }
  }
  return false;
}

export function seenByAnyView(
  tracer: RoomTracer,
  views: PlannedView[],
  x: number,
  y: number,
  z: number,
  nx: number,
  ny: number,
  nz: number,
  ray: Ray,
): boolean {
  for (const view of views) {
    const m = view.cameraToWorld;
    const ex = m[3];
    const ey = m[7];
    const ez = m[11];
    const dx = x - ex;
    const dy = y - ey;
    const dz = z - ez;
    if (dx * nx + dy * ny + dz * nz >= 0) continue; // back face
    // Camera coordinates: R^T (p - eye); R's columns are right, down, forward.
    const zc = m[2] * dx + m[6] * dy + m[10] * dz;
    if (zc <= 0.05) continue;
    const xc = m[0] * dx + m[4] * dy + m[8] * dz;
    const yc = m[1] * dx + m[5] * dy + m[9] * dz;
    const intr = view.intrinsics;
    const u = (intr.fx * xc) / zc + intr.cx;
    const v = (intr.fy * yc) / zc + intr.cy;
    if (u < -0.5 || v < -0.5 || u >= intr.width - 0.5 || v >= intr.height - 0.5) continue;
    ray.ox = ex;
    ray.oy = ey;
    ray.oz = ez;
    ray.dx = dx;
    ray.dy = dy;
    ray.dz = dz;
    // t = 1 is the point itself; anything clearly before it hides it.
    const length = Math.hypot(dx, dy, dz);
    if (!tracer.occluded(ray, 1 - 0.003 / length)) return true;
  }
  return false;
}

function sampleShell(layout: RoomLayout, s: number, rng: Rng, out: PointBuffer) {
  const { min, max } = layout.interior;
  out.current = { object: -1, primitive: -1 };
  // Floor and ceiling: normals point into the room.
  sampleRect(rng, s, out, 2, min[2], 1, [min[0], max[0]], [min[1], max[1]]);
  sampleRect(rng, s, out, 2, max[2], -1, [min[0], max[0]], [min[1], max[1]]);
  sampleRect(rng, s, out, 0, min[0], 1, [min[1], max[1]], [min[2], max[2]]);
  sampleRect(rng, s, out, 0, max[0], -1, [min[1], max[1]], [min[2], max[2]]);
  sampleRect(rng, s, out, 1, min[1], 1, [min[0], max[0]], [min[2], max[2]]);
  sampleRect(rng, s, out, 1, max[1], -1, [min[0], max[0]], [min[2], max[2]]);
}

/**
 * A rectangle perpendicular to `axis` at coordinate `at`, spanning `r1` and `r2` along the other
 * two axes in increasing order (x before y before z), with normal `sign` along `axis`.
 */
function sampleRect(
  rng: Rng,
  s: number,
  out: PointBuffer,
  axis: number,
  at: number,
  sign: number,
  r1: [number, number],
  r2: [number, number],
) {
  const n1 = Math.max(1, Math.round((r1[1] - r1[0]) / s));
  const n2 = Math.max(1, Math.round((r2[1] - r2[0]) / s));
  const a1 = axis === 0 ? 1 : 0;
  const a2 = axis === 2 ? 1 : 2;
  const p = [0, 0, 0];
  const n = [0, 0, 0];
  n[axis] = sign;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      p[axis] = at;
      p[a1] = r1[0] + ((i + rng.next()) / n1) * (r1[1] - r1[0]);
      p[a2] = r2[0] + ((j + rng.next()) / n2) * (r2[1] - r2[0]);
      out.push(p[0], p[1], p[2], n[0], n[1], n[2]);
    }
  }
}

function samplePrimitive(p: Primitive, s: number, rng: Rng, out: PointBuffer) {
  switch (p.kind) {
    case 'box': {
      const { min, max } = p;
      for (const axis of [0, 1, 2]) {
        const a1 = axis === 0 ? 1 : 0;
        const a2 = axis === 2 ? 1 : 2;
        for (const sign of [-1, 1]) {
          const at = sign < 0 ? min[axis] : max[axis];
          sampleRect(rng, s, out, axis, at, sign, [min[a1], max[a1]], [min[a2], max[a2]]);
        }
      }
      return;
    }
    case 'cylinder': {
      const nTheta = Math.max(8, Math.round((2 * Math.PI * p.radius) / s));
      const nZ = Math.max(1, Math.round((p.zMax - p.zMin) / s));
      for (let i = 0; i < nTheta; i++) {
        for (let j = 0; j < nZ; j++) {
          const theta = ((i + rng.next()) / nTheta) * 2 * Math.PI;
          const z = p.zMin + ((j + rng.next()) / nZ) * (p.zMax - p.zMin);
          const c = Math.cos(theta);
          const sn = Math.sin(theta);
          out.push(p.centerX + p.radius * c, p.centerY + p.radius * sn, z, c, sn, 0);
        }
      }
      for (const [z, nz] of [
        [p.zMin, -1],
        [p.zMax, 1],
      ]) {
        // Equal-area rings: radius_k = R·sqrt((k + jitter)/rings).
        const rings = Math.max(1, Math.round(p.radius / s));
        for (let k = 0; k < rings; k++) {
          const rr = p.radius * Math.sqrt((k + 0.5) / rings);
          const count = Math.max(1, Math.round((2 * Math.PI * rr) / s));
          const phase = rng.next();
          for (let q = 0; q < count; q++) {
            const theta = ((q + phase) / count) * 2 * Math.PI;
            out.push(
              p.centerX + rr * Math.cos(theta),
              p.centerY + rr * Math.sin(theta),
              z,
              0,
              0,
              nz,
            );
          }
        }
      }
      return;
    }
    case 'sphere': {
      // Fibonacci lattice with a seeded rotation about z.
      const count = Math.max(16, Math.round((4 * Math.PI * p.radius * p.radius) / (s * s)));
      const golden = Math.PI * (3 - Math.sqrt(5));
      const phase = rng.next() * 2 * Math.PI;
      for (let k = 0; k < count; k++) {
        const nz = 1 - (2 * (k + 0.5)) / count;
        const r = Math.sqrt(1 - nz * nz);
        const theta = k * golden + phase;
        const nx = r * Math.cos(theta);
        const ny = r * Math.sin(theta);
        out.push(
          p.center[0] + p.radius * nx,
          p.center[1] + p.radius * ny,
          p.center[2] + p.radius * nz,
          nx,
          ny,
          nz,
        );
      }
      return;
    }
  }
}
