/**
 * View renderer speed (issue 14) against straightforward baselines measured in the same run:
 *   1. a 300k-triangle mesh (a furnished room: walls, boxes, spheres) at 512×512, 90°, from
 *      8 eye-height views inside it (target < 100 ms per view in Node). Baseline: per-pixel edge
 *      functions over each triangle's whole bounding box, vertices as objects, closures per pixel.
 *   2. a 1M-point cloud on the same surfaces, splatted at 512×512 (target < 200 ms per view).
 *      Baseline: per-point objects and a per-pixel plot closure, camera-facing squares.
 * Both baselines draw the same primitives with the same radii, so the outputs are compared too.
 *
 *   npx tsx bench/render.bench.ts [--quick] [--json]
 */
import { invertRigid } from '../src/pipeline/geometry/mat4';
import { mulberry32 } from '../src/pipeline/random';
import { intrinsicsFromFov, lookAtPose } from '../src/pipeline/render/camera-model';
import type { MeshGeometry } from '../src/pipeline/render/mesh-rasteriser';
import { estimatePointSpacing } from '../src/pipeline/render/point-spacing';
import { SceneRenderer } from '../src/pipeline/render/scene-renderer';
import type { RenderedImages, Vec3 } from '../src/pipeline/render/types';
import type { Intrinsics, Mat4 } from '../src/pipeline/scene/types';
import { installNodePlatform } from '../src/hosts/node/platform';
import { BenchReporter, summarise } from './report';

// The capabilities the CLI runs with (wasm threads up to the cores, Node's model cache).
installNodePlatform();

const report = new BenchReporter('render', 'pure-TS view renderer (mesh and splats), 512×512, 90°');
const quick = report.quick;
const log = (...a: unknown[]) => report.log(...a);

const SIZE = 512;
const FOV = 90;
const NEAR = 0.05;
const FAR = 60;
const VIEWS = quick ? 3 : 8;

// ---------------------------------------------------------------- scene

function gridQuad(
  out: { p: number[]; c: number[]; f: number[] },
  origin: Vec3,
  s: Vec3,
  t: Vec3,
  n: number,
  rgb: Vec3,
) {
  const base = out.p.length / 3;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      for (let d = 0; d < 3; d++) out.p.push(origin[d] + (s[d] * i) / n + (t[d] * j) / n);
      out.c.push(...rgb);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = base + i * (n + 1) + j;
      out.f.push(a, a + 1, a + n + 1, a + 1, a + n + 2, a + n + 1);
    }
  }
}

function box(
  out: { p: number[]; c: number[]; f: number[] },
  lo: Vec3,
  hi: Vec3,
  n: number,
  rgb: Vec3,
) {
  const [x0, y0, z0] = lo;
  const [x1, y1, z1] = hi;
  const dx: Vec3 = [x1 - x0, 0, 0];
  const dy: Vec3 = [0, y1 - y0, 0];
  const dz: Vec3 = [0, 0, z1 - z0];
  gridQuad(out, [x0, y0, z0], dx, dy, n, rgb);
  gridQuad(out, [x0, y0, z1], dx, dy, n, rgb);
  gridQuad(out, [x0, y0, z0], dx, dz, n, rgb);
  gridQuad(out, [x0, y1, z0], dx, dz, n, rgb);
  gridQuad(out, [x0, y0, z0], dy, dz, n, rgb);
  gridQuad(out, [x1, y0, z0], dy, dz, n, rgb);
}

function sphere(out: { p: number[]; c: number[]; f: number[] }, c: Vec3, r: number, n: number) {
  const base = out.p.length / 3;
  for (let i = 0; i <= n; i++) {
    const th = (Math.PI * i) / n;
    for (let j = 0; j <= n; j++) {
      const ph = (2 * Math.PI * j) / n;
      out.p.push(
        c[0] + r * Math.sin(th) * Math.cos(ph),
        c[1] + r * Math.sin(th) * Math.sin(ph),
        c[2] + r * Math.cos(th),
      );
      out.c.push(40 + (i * 200) / n, 60 + (j * 180) / n, 120);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = base + i * (n + 1) + j;
      out.f.push(a, a + 1, a + n + 1, a + 1, a + n + 2, a + n + 1);
    }
  }
}

/** A 7 × 5.6 × 2.7 m room (60² quads per wall), 12 boxes (20² per face), 10 spheres (100²). */
function furnishedRoomMesh(): MeshGeometry {
  const r = mulberry32(14);
  const out = { p: [] as number[], c: [] as number[], f: [] as number[] };
  box(out, [0, 0, 0], [7, 5.6, 2.7], 60, [220, 220, 215]);
  for (let k = 0; k < 12; k++) {
    const x = 0.3 + r() * 5.5;
    const y = 0.3 + r() * 4.2;
    box(out, [x, y, 0], [x + 0.4 + r() * 0.8, y + 0.4 + r() * 0.8, 0.3 + r()], 20, [
      255 * r(),
      255 * r(),
      255 * r(),
    ]);
  }
  for (let k = 0; k < 10; k++) {
    sphere(out, [0.5 + r() * 6, 0.5 + r() * 4.6, 0.3 + r() * 2], 0.1 + 0.25 * r(), 100);
  }
  return {
    positions: Float32Array.from(out.p),
    colors: Uint8Array.from(out.c),
    faces: Uint32Array.from(out.f),
  };
}

/** n points uniformly on the mesh's surface (area-weighted triangles), with vertex colours. */
function samplePoints(mesh: MeshGeometry, n: number) {
  const r = mulberry32(15);
  const { positions: p, faces: f, colors: c } = mesh;
  const t = f.length / 3;
  const cumulative = new Float64Array(t);
  let total = 0;
  for (let i = 0; i < t; i++) {
    const a = f[i * 3] * 3;
    const b = f[i * 3 + 1] * 3;
    const d = f[i * 3 + 2] * 3;
    const ux = p[b] - p[a];
    const uy = p[b + 1] - p[a + 1];
    const uz = p[b + 2] - p[a + 2];
    const vx = p[d] - p[a];
    const vy = p[d + 1] - p[a + 1];
    const vz = p[d + 2] - p[a + 2];
    total += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2;
    cumulative[i] = total;
  }
  const positions = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  for (let k = 0; k < n; k++) {
    const target = r() * total;
    let lo = 0;
    let hi = t - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    let s = r();
    let q = r();
    if (s + q > 1) {
      s = 1 - s;
      q = 1 - q;
    }
    const a = f[lo * 3];
    const b = f[lo * 3 + 1];
    const d = f[lo * 3 + 2];
    for (let e = 0; e < 3; e++) {
      positions[k * 3 + e] =
        p[a * 3 + e] + s * (p[b * 3 + e] - p[a * 3 + e]) + q * (p[d * 3 + e] - p[a * 3 + e]);
      colors[k * 3 + e] = c[a * 3 + e];
    }
  }
  return { positions, colors };
}

function views(): { intrinsics: Intrinsics; cameraToWorld: Mat4 }[] {
  const intrinsics = intrinsicsFromFov(SIZE, SIZE, FOV);
  const out = [];
  for (let k = 0; k < VIEWS; k++) {
    const yaw = (2 * Math.PI * k) / VIEWS;
    const eye: Vec3 = [3.5 + 0.8 * Math.cos(k), 2.8 + 0.6 * Math.sin(k), 1.5];
    const target: Vec3 = [eye[0] + Math.cos(yaw), eye[1] + Math.sin(yaw), 1.5 - 0.36];
    out.push({ intrinsics, cameraToWorld: lookAtPose(eye, target, [0, 0, 1]) });
  }
  return out;
}

// ---------------------------------------------------------------- baselines

interface ScreenVertex {
  x: number;
  y: number;
  z: number;
  r: number;
  g: number;
  b: number;
}

/** Straightforward rasteriser: object vertices, closures, full bounding box, no clipping. */
function baselineMesh(mesh: MeshGeometry, k: Intrinsics, pose: Mat4) {
  const m = invertRigid(pose);
  const { width: W, height: H } = k;
  const depth = new Float32Array(W * H).fill(Infinity);
  const color = new Uint8Array(W * H * 3);
  const project = (i: number): ScreenVertex | null => {
    const [x, y, z] = [mesh.positions[i * 3], mesh.positions[i * 3 + 1], mesh.positions[i * 3 + 2]];
    const cam = [0, 1, 2].map(
      (r) => m[r * 4] * x + m[r * 4 + 1] * y + m[r * 4 + 2] * z + m[r * 4 + 3],
    );
    if (cam[2] < NEAR) return null; // no clipping: triangles crossing the near plane are dropped
    return {
      x: (k.fx * cam[0]) / cam[2] + k.cx,
      y: (k.fy * cam[1]) / cam[2] + k.cy,
      z: cam[2],
      r: mesh.colors[i * 3],
      g: mesh.colors[i * 3 + 1],
      b: mesh.colors[i * 3 + 2],
    };
  };
  const vertices = Array.from({ length: mesh.positions.length / 3 }, (_, i) => project(i));
  const edge = (a: ScreenVertex, b: ScreenVertex, px: number, py: number) =>
    (b.x - a.x) * (py - a.y) - (b.y - a.y) * (px - a.x);
  for (let t = 0; t < mesh.faces.length; t += 3) {
    const a = vertices[mesh.faces[t]];
    let b = vertices[mesh.faces[t + 1]];
    let c = vertices[mesh.faces[t + 2]];
    if (!a || !b || !c) continue;
    let area = edge(a, b, c.x, c.y);
    if (area === 0) continue;
    if (area < 0) {
      [b, c] = [c, b];
      area = -area;
    }
    const minX = Math.max(0, Math.ceil(Math.min(a.x, b.x, c.x)));
    const maxX = Math.min(W - 1, Math.floor(Math.max(a.x, b.x, c.x)));
    const minY = Math.max(0, Math.ceil(Math.min(a.y, b.y, c.y)));
    const maxY = Math.min(H - 1, Math.floor(Math.max(a.y, b.y, c.y)));
    for (let y = minY; y <= maxY; y++) {
      for (let x = minX; x <= maxX; x++) {
        const w0 = edge(b, c, x, y) / area;
        const w1 = edge(c, a, x, y) / area;
        const w2 = edge(a, b, x, y) / area;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const inverse = w0 / a.z + w1 / b.z + w2 / c.z;
        const z = 1 / inverse;
        const i = y * W + x;
        if (z >= depth[i] || z > FAR) continue;
        depth[i] = z;
        const mix = (key: 'r' | 'g' | 'b') =>
          Math.round(((w0 * a[key]) / a.z + (w1 * b[key]) / b.z + (w2 * c[key]) / c.z) * z);
        color[i * 3] = mix('r');
        color[i * 3 + 1] = mix('g');
        color[i * 3 + 2] = mix('b');
      }
    }
  }
  return depth;
}

/** Straightforward splatter: a projected object per point and a plot closure per pixel. */
function baselineSplats(
  positions: Float32Array,
  colors: Uint8Array,
  radii: Float32Array,
  k: Intrinsics,
  pose: Mat4,
) {
  const m = invertRigid(pose);
  const { width: W, height: H } = k;
  const depth = new Float32Array(W * H).fill(Infinity);
  const color = new Uint8Array(W * H * 3);
  const plot = (x: number, y: number, z: number, rgb: number[]) => {
    const i = y * W + x;
    if (z >= depth[i]) return;
    depth[i] = z;
    color.set(rgb, i * 3);
  };
  for (let i = 0; i < positions.length / 3; i++) {
    const p = { x: positions[i * 3], y: positions[i * 3 + 1], z: positions[i * 3 + 2] };
    const cam = [0, 1, 2].map(
      (r) => m[r * 4] * p.x + m[r * 4 + 1] * p.y + m[r * 4 + 2] * p.z + m[r * 4 + 3],
    );
    if (!(cam[2] >= NEAR && cam[2] < FAR)) continue;
    const s = {
      u: (k.fx * cam[0]) / cam[2] + k.cx,
      v: (k.fy * cam[1]) / cam[2] + k.cy,
      radius: Math.min(32, Math.max(0.5, (k.fx * radii[i]) / cam[2])),
      rgb: [colors[i * 3], colors[i * 3 + 1], colors[i * 3 + 2]],
    };
    for (
      let y = Math.max(0, Math.ceil(s.v - s.radius));
      y <= Math.min(H - 1, s.v + s.radius);
      y++
    ) {
      for (
        let x = Math.max(0, Math.ceil(s.u - s.radius));
        x <= Math.min(W - 1, s.u + s.radius);
        x++
      ) {
        plot(x, y, cam[2], s.rgb);
      }
    }
  }
  return depth;
}

// ---------------------------------------------------------------- runs

/** Mean ms per view over the views (each view once, after a warm-up), and min–max per view. */
function timeViews<T>(list: ReturnType<typeof views>, run: (v: (typeof list)[number]) => T) {
  run(list[0]); // warm-up (JIT)
  const out: T[] = [];
  const ms: number[] = [];
  for (const v of list) {
    const t = performance.now();
    out.push(run(v));
    ms.push(performance.now() - t);
  }
  const s = summarise(ms);
  return { msPerView: s.mean, spread: { samples: s.samples, min: s.min, max: s.max }, out };
}

/** Share of pixels where both drew and depths agree within 1 mm, and of pixels drawn by one only. */
function agreement(fast: RenderedImages[], base: Float32Array[]) {
  let both = 0;
  let agree = 0;
  let onlyOne = 0;
  let pixels = 0;
  for (let k = 0; k < fast.length; k++) {
    const a = fast[k].depth;
    const b = base[k];
    for (let i = 0; i < a.length; i++) {
      pixels++;
      const fa = a[i] > 0;
      const fb = Number.isFinite(b[i]);
      if (fa && fb) {
        both++;
        if (Math.abs(a[i] - b[i]) < 1e-3) agree++;
      } else if (fa !== fb) onlyOne++;
    }
  }
  return { depthAgreement: agree / Math.max(1, both), drawnByOneOnly: onlyOne / pixels };
}

const viewList = views();
const mesh = furnishedRoomMesh();
const triangles = mesh.faces.length / 3;
report.option('views', VIEWS);
log(`${SIZE}×${SIZE}, ${FOV}°, ${VIEWS} views`);

const meshRenderer = SceneRenderer.fromCloud(mesh);
let reuse: RenderedImages | undefined;
const meshFast = timeViews(viewList, (v) => {
  reuse = meshRenderer.render(v, undefined);
  return reuse;
});
const meshBase = timeViews(viewList, (v) => baselineMesh(mesh, v.intrinsics, v.cameraToWorld));
const meshAgreement = agreement(meshFast.out, meshBase.out);
log(
  `mesh ${triangles.toLocaleString('en')} triangles: ${meshFast.msPerView.toFixed(1)} ms/view ` +
    `(target < 100), baseline ${meshBase.msPerView.toFixed(1)} ms/view, ` +
    `speed-up ${(meshBase.msPerView / meshFast.msPerView).toFixed(1)}×; depth agrees on ` +
    `${(meshAgreement.depthAgreement * 100).toFixed(2)} % of shared pixels, ` +
    `${(meshAgreement.drawnByOneOnly * 100).toFixed(2)} % drawn by one only (baseline drops near-clipped triangles)`,
);

const pointCount = quick ? 250_000 : 1_000_000;
const cloud = samplePoints(mesh, pointCount);
let t = performance.now();
const spacing = estimatePointSpacing(cloud.positions);
const prepareMs = performance.now() - t;
const results: Record<string, unknown> = {};
for (const orientSplats of [false, true]) {
  t = performance.now();
  const splatRenderer = SceneRenderer.fromPoints(
    cloud.positions,
    cloud.colors,
    spacing.spacing,
    { orientSplats },
    spacing.normals,
  );
  const setupMs = performance.now() - t;
  let target: RenderedImages | undefined;
  const fast = timeViews(viewList, (v) => {
    target = splatRenderer.render(v);
    return target;
  });
  results[orientSplats ? 'oriented' : 'cameraFacing'] = {
    msPerView: fast.msPerView,
    spread: fast.spread,
    setupMs,
    out: fast.out,
  };
}
const radii = spacing.spacing.map((s) => s * 1);
const splatBase = timeViews(viewList, (v) =>
  baselineSplats(cloud.positions, cloud.colors, radii, v.intrinsics, v.cameraToWorld),
);
type SplatRun = Omit<ReturnType<typeof timeViews<RenderedImages>>, 'out'> & {
  setupMs: number;
  out: RenderedImages[];
};
const facing = results.cameraFacing as SplatRun;
const oriented = results.oriented as SplatRun;
const splatAgreement = agreement(facing.out, splatBase.out);
log(
  `splats ${pointCount.toLocaleString('en')} points (spacing estimate ${prepareMs.toFixed(0)} ms once): ` +
    `camera-facing ${facing.msPerView.toFixed(1)} ms/view, oriented ${oriented.msPerView.toFixed(1)} ms/view ` +
    `(target < 200), baseline ${splatBase.msPerView.toFixed(1)} ms/view, speed-up ` +
    `${(splatBase.msPerView / facing.msPerView).toFixed(1)}× (camera-facing) / ` +
    `${(splatBase.msPerView / oriented.msPerView).toFixed(1)}× (oriented); camera-facing depth agrees ` +
    `with the baseline on ${(splatAgreement.depthAgreement * 100).toFixed(2)} % of shared pixels`,
);

const meshBaseline = {
  name: 'per-pixel edge functions over each bounding box, object vertices (drops near-clipped triangles)',
  figure: meshBase.msPerView,
  spread: meshBase.spread,
};
report.compare({
  name: `mesh, ${triangles} triangles (target < 100 ms/view)`,
  figure: meshFast.msPerView,
  spread: meshFast.spread,
  unit: 'ms/view',
  better: 'lower',
  baseline: meshBaseline,
  note: 'mean over the views, spread across views',
});
const splatBaseline = {
  name: 'per-point objects and a plot closure per pixel, camera-facing squares',
  figure: splatBase.msPerView,
  spread: splatBase.spread,
};
for (const [label, run] of [
  ['camera-facing', facing],
  ['oriented', oriented],
] as const) {
  report.compare({
    name: `splats, ${pointCount} points, ${label} (target < 200 ms/view)`,
    figure: run.msPerView,
    spread: run.spread,
    unit: 'ms/view',
    better: 'lower',
    baseline: splatBaseline,
    note: 'mean over the views, spread across views',
  });
}
report.context(
  'mesh depth agreement with the baseline (shared pixels)',
  100 * meshAgreement.depthAgreement,
  '%',
);
report.context('mesh pixels drawn by one renderer only', 100 * meshAgreement.drawnByOneOnly, '%');
report.context(
  'splat depth agreement with the baseline (camera-facing, shared pixels)',
  100 * splatAgreement.depthAgreement,
  '%',
);
report.context('point spacing estimate, once per cloud', prepareMs, 'ms');
report.context('splat renderer setup (camera-facing)', facing.setupMs, 'ms');
report.context('splat renderer setup (oriented)', oriented.setupMs, 'ms');
report.finish();
