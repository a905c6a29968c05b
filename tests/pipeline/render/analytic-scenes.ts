/**
 * Analytic test scenes for the renderer: tessellated planes, boxes and spheres with their exact
 * ray intersections (the independent truth renders are checked against), and jittered point
 * samplings of planes.
 */
import type { Intrinsics, Mat4 } from '../../../src/pipeline/scene/types';
import type { MeshGeometry } from '../../../src/pipeline/render/mesh-rasteriser';
import type { Vec3 } from '../../../src/pipeline/render/types';

/** A rectangle centred at `centre` spanned by unit vectors s and t, split into n×n quads. */
export function planeMesh(
  centre: Vec3,
  s: Vec3,
  t: Vec3,
  halfSize: number,
  n: number,
  color: (a: number, b: number) => Vec3 = () => [200, 100, 50],
): MeshGeometry {
  const vertices = (n + 1) * (n + 1);
  const positions = new Float32Array(vertices * 3);
  const colors = new Uint8Array(vertices * 3);
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      const a = -halfSize + (2 * halfSize * i) / n;
      const b = -halfSize + (2 * halfSize * j) / n;
      const k = i * (n + 1) + j;
      for (let d = 0; d < 3; d++) positions[k * 3 + d] = centre[d] + a * s[d] + b * t[d];
      colors.set(color(a, b), k * 3);
    }
  }
  const faces: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = i * (n + 1) + j;
      const b = a + 1;
      const c = a + n + 1;
      const d = c + 1;
      faces.push(a, b, c, b, d, c);
    }
  }
  return { positions, colors, faces: Uint32Array.from(faces) };
}

/** Concatenates meshes. */
export function mergeMeshes(meshes: MeshGeometry[]): MeshGeometry {
  const v = meshes.reduce((a, m) => a + m.positions.length, 0);
  const f = meshes.reduce((a, m) => a + m.faces.length, 0);
  const positions = new Float32Array(v);
  const colors = new Uint8Array(v);
  const faces = new Uint32Array(f);
  let vo = 0;
  let fo = 0;
  for (const m of meshes) {
    positions.set(m.positions, vo);
    colors.set(m.colors, vo);
    for (let i = 0; i < m.faces.length; i++) faces[fo + i] = m.faces[i] + vo / 3;
    vo += m.positions.length;
    fo += m.faces.length;
  }
  return { positions, colors, faces };
}

/** The six faces of an axis-aligned box, each split into n×n quads (winding as it comes). */
export function boxMesh(min: Vec3, max: Vec3, n: number): MeshGeometry {
  const c: Vec3 = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  const h: Vec3 = [(max[0] - min[0]) / 2, (max[1] - min[1]) / 2, (max[2] - min[2]) / 2];
  const faces: MeshGeometry[] = [];
  for (let axis = 0; axis < 3; axis++) {
    const u = (axis + 1) % 3;
    const w = (axis + 2) % 3;
    for (const sign of [-1, 1]) {
      const centre: Vec3 = [...c];
      centre[axis] += sign * h[axis];
      // A unit square mesh scaled per axis: build with halfSize 1, then scale.
      const s: Vec3 = [0, 0, 0];
      const t: Vec3 = [0, 0, 0];
      s[u] = h[u];
      t[w] = h[w];
      faces.push(planeMesh(centre, s, t, 1, n, () => [40 + axis * 70, sign > 0 ? 200 : 90, 120]));
    }
  }
  return mergeMeshes(faces);
}

/** A UV sphere with `rings` latitude bands and `segments` longitude segments. */
export function sphereMesh(centre: Vec3, radius: number, rings: number, segments: number) {
  const vertices = (rings + 1) * (segments + 1);
  const positions = new Float32Array(vertices * 3);
  const colors = new Uint8Array(vertices * 3);
  let k = 0;
  for (let i = 0; i <= rings; i++) {
    const theta = (Math.PI * i) / rings;
    for (let j = 0; j <= segments; j++) {
      const phi = (2 * Math.PI * j) / segments;
      positions[k * 3] = centre[0] + radius * Math.sin(theta) * Math.cos(phi);
      positions[k * 3 + 1] = centre[1] + radius * Math.sin(theta) * Math.sin(phi);
      positions[k * 3 + 2] = centre[2] + radius * Math.cos(theta);
      colors.set([(i * 255) / rings, (j * 255) / segments, 128], k * 3);
      k++;
    }
  }
  const faces: number[] = [];
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < segments; j++) {
      const a = i * (segments + 1) + j;
      const b = a + 1;
      const c = a + segments + 1;
      const d = c + 1;
      faces.push(a, b, c, b, d, c);
    }
  }
  return { positions, colors, faces: Uint32Array.from(faces) };
}

/** World-space ray (origin, unnormalised direction with camera z = 1) through pixel (u, v). */
export function pixelRay(k: Intrinsics, pose: Mat4, u: number, v: number): [Vec3, Vec3] {
  const xc = (u - k.cx) / k.fx;
  const yc = (v - k.cy) / k.fy;
  const dir: Vec3 = [
    pose[0] * xc + pose[1] * yc + pose[2],
    pose[4] * xc + pose[5] * yc + pose[6],
    pose[8] * xc + pose[9] * yc + pose[10],
  ];
  return [[pose[3], pose[7], pose[11]], dir];
}

/** Ray parameter (= depth, since the direction has camera z = 1) of a plane hit, or NaN. */
export function rayPlane(origin: Vec3, dir: Vec3, point: Vec3, normal: Vec3): number {
  const denom = dot(normal, dir);
  if (Math.abs(denom) < 1e-12) return NaN;
  return dot(normal, sub(point, origin)) / denom;
}

/** Nearest positive hit of a ray with a box surface (from outside or inside), or NaN. */
export function rayBox(origin: Vec3, dir: Vec3, min: Vec3, max: Vec3): number {
  let tNear = -Infinity;
  let tFar = Infinity;
  for (let a = 0; a < 3; a++) {
    if (dir[a] === 0) {
      if (origin[a] < min[a] || origin[a] > max[a]) return NaN;
      continue;
    }
    const t1 = (min[a] - origin[a]) / dir[a];
    const t2 = (max[a] - origin[a]) / dir[a];
    tNear = Math.max(tNear, Math.min(t1, t2));
    tFar = Math.min(tFar, Math.max(t1, t2));
  }
  if (tNear > tFar) return NaN;
  if (tNear > 0) return tNear;
  return tFar > 0 ? tFar : NaN;
}

/** Nearest positive hit of a ray with a sphere, or NaN. */
export function raySphere(origin: Vec3, dir: Vec3, centre: Vec3, radius: number): number {
  const oc = sub(origin, centre);
  const a = dot(dir, dir);
  const b = 2 * dot(oc, dir);
  const c = dot(oc, oc) - radius * radius;
  const disc = b * b - 4 * a * c;
  if (disc < 0) return NaN;
  const s = Math.sqrt(disc);
  const t1 = (-b - s) / (2 * a);
  const t2 = (-b + s) / (2 * a);
  return t1 > 0 ? t1 : t2 > 0 ? t2 : NaN;
}

/** Distance from p to the surface of an axis-aligned box. */
export function distanceToBoxSurface(p: Vec3, min: Vec3, max: Vec3): number {
  let outside = 0;
  let inside = Infinity;
  for (let a = 0; a < 3; a++) {
    const d = Math.max(min[a] - p[a], 0, p[a] - max[a]);
    outside += d * d;
    inside = Math.min(inside, p[a] - min[a], max[a] - p[a]);
  }
  return outside > 0 ? Math.sqrt(outside) : inside;
}

/**
 * Points on a jittered grid (spacing s, each point moved by up to ±jitter·s/2 per axis) over a
 * square of half side `halfSize` in the plane spanned by s and t through `centre`.
 */
export function jitteredPlanePoints(
  centre: Vec3,
  sAxis: Vec3,
  tAxis: Vec3,
  halfSize: number,
  spacing: number,
  jitter: number,
  random: () => number,
): { positions: Float32Array; colors: Uint8Array } {
  const n = Math.floor((2 * halfSize) / spacing);
  const positions = new Float32Array(n * n * 3);
  const colors = new Uint8Array(n * n * 3).fill(180);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = -halfSize + (i + 0.5 + jitter * (random() - 0.5)) * spacing;
      const b = -halfSize + (j + 0.5 + jitter * (random() - 0.5)) * spacing;
      for (let d = 0; d < 3; d++) positions[k * 3 + d] = centre[d] + a * sAxis[d] + b * tAxis[d];
      k++;
    }
  }
  return { positions, colors };
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function unit(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Value at quantile q of the numbers (sorted copy). */
export function quantileOf(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
