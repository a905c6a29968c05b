/**
 * The demo room as the files people usually have instead of RGB-D frames (issue 14): a ScanNet
 * scene folder without its `.sens` (a coloured triangle mesh `_vh_clean_2.ply`, the over-
 * segmentation `segs.json`, the `aggregation.json` grouping segments into labelled objects and
 * the scene `.txt` with its `axisAlignment`), and a bare coloured point cloud PLY (no faces, no
 * normals, no labels: what a phone scanner exports).
 *
 * The mesh triangulates the room's analytic solids on regular grids (boxes face by face,
 * cylinders as sides and caps, spheres by latitude and longitude) and keeps what a scan would
 * have: the vertices the sampler of the demo room's cloud would keep (not inside or touching
 * another solid, seen by a capture camera; surface-sampler.ts), and the triangles between them.
 */
import type { Mat4, PointCloud } from '../pipeline/scene/types';
import { writePly } from '../pipeline/scene/readers/ply-writer';
import type { DemoRoom } from './demo-room';
import type { Primitive } from './primitives';
import type { RoomLayout } from './room-layout';
import type { Ray } from './ray-intersect';
import { RoomTracer } from './room-tracer';
import { shadeSurface, toByte } from './shading';
import { isCovered, seenByAnyView, touchesShell } from './surface-sampler';

export interface RoomMeshOptions {
  /** Grid spacing on object surfaces, metres. */
  objectSpacing?: number;
  /** Grid spacing on floor, walls and ceiling, metres. */
  shellSpacing?: number;
}

/** Vertices and triangles under construction, with per-vertex owner and segment. */
class MeshBuilder {
  positions: number[] = [];
  normals: number[] = [];
  objects: number[] = [];
  primitives: number[] = [];
  segments: number[] = [];
  faces: number[] = [];
  owner = { object: -1, primitive: -1, segment: 0 };

  vertex(x: number, y: number, z: number, nx: number, ny: number, nz: number): number {
    this.positions.push(x, y, z);
    this.normals.push(nx, ny, nz);
    this.objects.push(this.owner.object);
    this.primitives.push(this.owner.primitive);
    this.segments.push(this.owner.segment);
    return this.positions.length / 3 - 1;
  }

  /** A grid of (nu+1)×(nv+1) vertices `at(u, v)` (u, v in [0, 1]) and its two triangles a cell. */
  grid(
    nu: number,
    nv: number,
    at: (u: number, v: number) => [number, number, number, number, number, number],
  ) {
    const first = this.positions.length / 3;
    for (let j = 0; j <= nv; j++) for (let i = 0; i <= nu; i++) this.vertex(...at(i / nu, j / nv));
    const id = (i: number, j: number) => first + j * (nu + 1) + i;
    for (let j = 0; j < nv; j++) {
      for (let i = 0; i < nu; i++) {
        this.faces.push(id(i, j), id(i + 1, j), id(i + 1, j + 1));
        this.faces.push(id(i, j), id(i + 1, j + 1), id(i, j + 1));
      }
    }
  }

  /** An axis-aligned rectangle at `axis` = `c`, spanning `a` × `b` on the other two axes. */
  rect(
    axis: 0 | 1 | 2,
    c: number,
    sign: number,
    a: [number, number],
    b: [number, number],
    s: number,
  ) {
    const [ia, ib] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
    const nu = Math.max(1, Math.ceil((a[1] - a[0]) / s));
    const nv = Math.max(1, Math.ceil((b[1] - b[0]) / s));
    this.grid(nu, nv, (u, v) => {
      const p = [0, 0, 0];
      const n = [0, 0, 0];
      p[axis] = c;
      p[ia] = a[0] + u * (a[1] - a[0]);
      p[ib] = b[0] + v * (b[1] - b[0]);
      n[axis] = sign;
      return [p[0], p[1], p[2], n[0], n[1], n[2]];
    });
  }

  primitive(p: Primitive, s: number) {
    switch (p.kind) {
      case 'box': {
        const { min, max } = p;
        for (const axis of [0, 1, 2] as const) {
          const [ia, ib] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
          const a: [number, number] = [min[ia], max[ia]];
          const b: [number, number] = [min[ib], max[ib]];
          this.rect(axis, min[axis], -1, a, b, s);
          this.rect(axis, max[axis], 1, a, b, s);
        }
        return;
      }
      case 'cylinder': {
        const { centerX: cx, centerY: cy, radius: r, zMin, zMax } = p;
        const na = Math.max(12, Math.ceil((2 * Math.PI * r) / s));
        const nz = Math.max(1, Math.ceil((zMax - zMin) / s));
        const nr = Math.max(1, Math.ceil(r / s));
        this.grid(na, nz, (u, v) => {
          const t = 2 * Math.PI * u;
          const c = Math.cos(t);
          const d = Math.sin(t);
          return [cx + r * c, cy + r * d, zMin + v * (zMax - zMin), c, d, 0];
        });
        // Caps as polar grids (the centre row collapses to one point: zero-area triangles).
        for (const [z, nzSign] of [
          [zMin, -1],
          [zMax, 1],
        ] as const) {
          this.grid(na, nr, (u, v) => {
            const t = 2 * Math.PI * u;
            return [cx + v * r * Math.cos(t), cy + v * r * Math.sin(t), z, 0, 0, nzSign];
          });
        }
        return;
      }
      case 'sphere': {
        const { center, radius: r } = p;
        const na = Math.max(12, Math.ceil((2 * Math.PI * r) / s));
        const nl = Math.max(6, Math.ceil((Math.PI * r) / s));
        this.grid(na, nl, (u, v) => {
          const t = 2 * Math.PI * u;
          const phi = Math.PI * (v - 0.5);
          const n = [Math.cos(phi) * Math.cos(t), Math.cos(phi) * Math.sin(t), Math.sin(phi)];
          return [
            center[0] + r * n[0],
            center[1] + r * n[1],
            center[2] + r * n[2],
            n[0],
            n[1],
            n[2],
          ];
        });
        return;
      }
    }
  }
}

/** Bytes of ASCII text (the demo room's labels and numbers are ASCII). */
function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0x7f);
}

/** Segment ids: 0–5 the shell's floor, ceiling and walls; 100 + 100·object + primitive. */
const objectSegment = (object: number, primitive: number) => 100 + 100 * object + primitive;

/** The room as a coloured triangle mesh with per-vertex instance ids and segment ids. */
export function demoRoomMesh(
  room: DemoRoom,
  options: RoomMeshOptions = {},
): { mesh: PointCloud & { faces: Uint32Array }; segments: Int32Array } {
  const objectSpacing = options.objectSpacing ?? 0.02;
  const shellSpacing = options.shellSpacing ?? 0.05;
  const layout: RoomLayout = room.layout;
  const b = new MeshBuilder();
  const { min, max } = layout.interior;
  const shell: [0 | 1 | 2, number, number, [number, number], [number, number]][] = [
    [2, min[2], 1, [min[0], max[0]], [min[1], max[1]]],
    [2, max[2], -1, [min[0], max[0]], [min[1], max[1]]],
    [0, min[0], 1, [min[1], max[1]], [min[2], max[2]]],
    [0, max[0], -1, [min[1], max[1]], [min[2], max[2]]],
    [1, min[1], 1, [min[0], max[0]], [min[2], max[2]]],
    [1, max[1], -1, [min[0], max[0]], [min[2], max[2]]],
  ];
  shell.forEach(([axis, c, sign, a, bb], k) => {
    b.owner = { object: -1, primitive: -1, segment: k };
    b.rect(axis, c, sign, a, bb, shellSpacing);
  });
  layout.objects.forEach((o, index) => {
    o.primitives.forEach((p, k) => {
      b.owner = { object: index, primitive: k, segment: objectSegment(o.id, k) };
      b.primitive(p, objectSpacing);
    });
  });

  // Keep what a scan of the room would have (the rules of the demo room's own cloud).
  const tracer = new RoomTracer(layout);
  const ray: Ray = { ox: 0, oy: 0, oz: 0, dx: 0, dy: 0, dz: 0 };
  const count = b.positions.length / 3;
  const newIndex = new Int32Array(count).fill(-1);
  let kept = 0;
  const P = b.positions;
  const N = b.normals;
  for (let i = 0; i < count; i++) {
    const [x, y, z] = [P[3 * i], P[3 * i + 1], P[3 * i + 2]];
    const object = b.objects[i];
    if (object >= 0 && touchesShell(layout, x, y, z)) continue;
    if (isCovered(layout, object, b.primitives[i], x, y, z)) continue;
    if (!seenByAnyView(tracer, room.views, x, y, z, N[3 * i], N[3 * i + 1], N[3 * i + 2], ray))
      continue;
    newIndex[i] = kept++;
  }
  const positions = new Float32Array(kept * 3);
  const normals = new Float32Array(kept * 3);
  const colors = new Uint8Array(kept * 3);
  const instanceIds = new Int32Array(kept);
  const segments = new Int32Array(kept);
  const rgb = new Float64Array(3);
  for (let i = 0; i < count; i++) {
    const k = newIndex[i];
    if (k < 0) continue;
    const o = b.objects[i] >= 0 ? layout.objects[b.objects[i]] : undefined;
    for (let c = 0; c < 3; c++) {
      positions[3 * k + c] = P[3 * i + c];
      normals[3 * k + c] = N[3 * i + c];
    }
    shadeSurface(
      o ? o.color : layout.shellColor,
      N[3 * i],
      N[3 * i + 1],
      N[3 * i + 2],
      P[3 * i],
      P[3 * i + 1],
      P[3 * i + 2],
      b.objects[i] + 2,
      rgb,
    );
    for (let c = 0; c < 3; c++) colors[3 * k + c] = toByte(rgb[c]);
    instanceIds[k] = o ? o.id : -1;
    segments[k] = b.segments[i];
  }
  const faces: number[] = [];
  for (let f = 0; f < b.faces.length; f += 3) {
    const [a, c, d] = [newIndex[b.faces[f]], newIndex[b.faces[f + 1]], newIndex[b.faces[f + 2]]];
    if (a >= 0 && c >= 0 && d >= 0) faces.push(a, c, d);
  }
  return {
    mesh: { positions, colors, normals, instanceIds, faces: Uint32Array.from(faces) },
    segments,
  };
}

/**
 * The scan's axis alignment (ScanNet's `axisAlignment`: raw scan → aligned room): a quarter turn
 * about z and a shift, so the files hold the room as a scanner left it and the reader has to
 * apply it.
 */
export const SCAN_AXIS_ALIGNMENT: Mat4 = Float64Array.from([
  0, -1, 0, 1.25, 1, 0, 0, -0.5, 0, 0, 1, 0.02, 0, 0, 0, 1,
]);

/** p ↦ R⁻¹ (p − t) for a rigid row-major alignment: aligned room → raw scan coordinates. */
function unalign(positions: Float32Array, m: Mat4): Float32Array {
  const out = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i] - m[3];
    const y = positions[i + 1] - m[7];
    const z = positions[i + 2] - m[11];
    out[i] = m[0] * x + m[4] * y + m[8] * z;
    out[i + 1] = m[1] * x + m[5] * y + m[9] * z;
    out[i + 2] = m[2] * x + m[6] * y + m[10] * z;
  }
  return out;
}

export interface ScanNetExportOptions extends RoomMeshOptions {
  /** ScanNet's scene id, the files' stem. */
  sceneId?: string;
  /** Write the vertices only (a cloud `_vh_clean_2.ply` without faces). */
  cloudOnly?: boolean;
}

/**
 * A ScanNet scene folder without `.sens`: file name → bytes. GT objects are the room's objects
 * (ids kept, so the room's query file applies), one segment per primitive.
 */
export function scanNetFolderFiles(
  room: DemoRoom,
  options: ScanNetExportOptions = {},
): Map<string, Uint8Array> {
  const id = options.sceneId ?? 'scene0000_00';
  const { mesh, segments } = demoRoomMesh(room, options);
  const n = mesh.positions.length / 3;
  // As ScanNet ships them: x y z, RGBA, faces; no normals, no labels in the mesh itself.
  const ply = writePly(
    {
      positions: unalign(mesh.positions, SCAN_AXIS_ALIGNMENT),
      colors: mesh.colors,
      ...(options.cloudOnly ? {} : { faces: mesh.faces }),
    },
    {
      comments: [`demo room seed ${room.layout.seed} (scene3d-llm scan export)`],
      extraVertexProperties: { alpha: { type: 'uint8', values: new Uint8Array(n).fill(255) } },
    },
  );
  const json = (v: unknown) => ascii(JSON.stringify(v));
  const segGroups = room.layout.objects.map((o, k) => ({
    id: k,
    objectId: o.id,
    label: o.label,
    segments: o.primitives.map((_, p) => objectSegment(o.id, p)),
  }));
  const m = SCAN_AXIS_ALIGNMENT;
  return new Map([
    [`${id}_vh_clean_2.ply`, ply],
    [
      `${id}_vh_clean_2.0.010000.segs.json`,
      json({
        params: { kThresh: '0.01', segMinVerts: '20' },
        sceneId: id,
        segIndices: Array.from(segments),
      }),
    ],
    [
      `${id}.aggregation.json`,
      json({
        sceneId: `scannet.${id}`,
        appId: 'scene3d-llm.demo-room',
        segGroups,
        segmentsFile: `scannet.${id}_vh_clean_2.0.010000.segs.json`,
      }),
    ],
    [
      `${id}.txt`,
      ascii(`axisAlignment = ${Array.from(m).join(' ')}\nsceneType = Living room / Lounge\n`),
    ],
  ]);
}

/** The room's cloud as a bare coloured PLY: positions and colours only, no faces or normals. */
export function cloudPlyFile(room: DemoRoom): Uint8Array {
  const cloud = room.scene.cloud!;
  return writePly({ positions: cloud.positions, colors: cloud.colors });
}
