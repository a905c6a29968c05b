import { describe, expect, it } from 'vitest';
import { backprojectPixel } from '../../../src/pipeline/geometry/camera';
import { identity } from '../../../src/pipeline/geometry/mat4';
import { mulberry32 } from '../../../src/pipeline/random';
import { intrinsicsFromFov, lookAtPose } from '../../../src/pipeline/render/camera-model';
import { MeshRasteriser, type MeshGeometry } from '../../../src/pipeline/render/mesh-rasteriser';
import { prepareTarget, toDepthImage } from '../../../src/pipeline/render/render-target';
import { SceneRenderer, type RenderOptions } from '../../../src/pipeline/render/scene-renderer';
import type { RenderedImages, Vec3 } from '../../../src/pipeline/render/types';
import type { Intrinsics, Mat4 } from '../../../src/pipeline/scene/types';
import {
  boxMesh,
  cross,
  distanceToBoxSurface,
  dot,
  pixelRay,
  planeMesh,
  quantileOf,
  rayBox,
  rayPlane,
  raySphere,
  sphereMesh,
  sub,
  unit,
} from './analytic-scenes';

function render(
  mesh: MeshGeometry,
  intrinsics: Intrinsics,
  cameraToWorld: Mat4,
  options: Partial<RenderOptions> = {},
): RenderedImages {
  return SceneRenderer.fromCloud(mesh, options).render({ intrinsics, cameraToWorld });
}

/** Per-pixel comparison of rendered depth with an analytic depth function (NaN = no surface). */
function compareDepth(images: RenderedImages, truth: (u: number, v: number) => number) {
  let maxError = 0;
  let maxRelative = 0;
  let holes = 0;
  let spurious = 0;
  let compared = 0;
  for (let v = 0; v < images.height; v++) {
    for (let u = 0; u < images.width; u++) {
      const expected = truth(u, v);
      const got = images.depth[v * images.width + u];
      if (Number.isNaN(expected)) {
        if (got > 0) spurious++;
        continue;
      }
      if (got === 0) {
        holes++;
        continue;
      }
      compared++;
      maxError = Math.max(maxError, Math.abs(got - expected));
      maxRelative = Math.max(maxRelative, Math.abs(got - expected) / expected);
    }
  }
  return { maxError, maxRelative, holes, spurious, compared };
}

/** World points of every drawn pixel, back-projected with the pipeline's camera code. */
function backprojected(images: RenderedImages): Vec3[] {
  const out: Vec3[] = [];
  for (let v = 0; v < images.height; v++) {
    for (let u = 0; u < images.width; u++) {
      const d = images.depth[v * images.width + u];
      if (d > 0) {
        const p = backprojectPixel(images.intrinsics, images.cameraToWorld, u, v, d);
        out.push([p[0], p[1], p[2]]);
      }
    }
  }
  return out;
}

const UP: Vec3 = [0, 0, 1];

describe('mesh rasteriser against analytic scenes', () => {
  it('renders a tilted plane at the analytic depth and back-projects onto it', () => {
    // Vertices snap to 1/2048 px, moving the surface by ≤ z/(4096·f) m across the ray; depth
    // error is that times tan(incidence), so it grows with z². Measured: max relative depth error
    // 6.6e-5 (65° tilt, far end of the 60 m plane, 1.8 mm at 50 m); max abs error within 5 m
    // 35 µm; back-projected pixels' distance to the plane: median ≤ 1 µm, 95th percentile ≤ 4 µm.
    const k = intrinsicsFromFov(160, 120, 70);
    for (const seed of [1, 2, 3]) {
      const r = mulberry32(seed);
      for (const tiltDeg of [0, 35, 65]) {
        const distance = 0.8 + 3 * r();
        const tilt = (tiltDeg * Math.PI) / 180;
        // Camera at the origin looking along +x; the plane faces it, tilted about the vertical.
        const normal: Vec3 = [-Math.cos(tilt), Math.sin(tilt), 0];
        const point: Vec3 = [distance, 0.3 * (r() - 0.5), 0.2 * (r() - 0.5)];
        const s = unit(cross(normal, UP));
        const t = cross(normal, s);
        const mesh = planeMesh(point, s, t, 30, 24);
        const pose = lookAtPose([0, 0, 0], [1, 0.2 * (r() - 0.5), 0.2 * (r() - 0.5)], UP);
        const images = render(mesh, k, pose);
        const result = compareDepth(images, (u, v) => {
          const [o, d] = pixelRay(k, pose, u, v);
          const z = rayPlane(o, d, point, normal);
          if (!(z > 0 && z < 60)) return NaN;
          // Only the finite 60 m square is meshed.
          const rel = sub([o[0] + z * d[0], o[1] + z * d[1], o[2] + z * d[2]], point);
          return Math.abs(dot(rel, s)) <= 30 && Math.abs(dot(rel, t)) <= 30 ? z : NaN;
        });
        // Pixel centres within float rounding of the far square's edges may go either way.
        expect(result.holes + result.spurious).toBeLessThanOrEqual(2);
        expect(result.compared).toBeGreaterThan(160 * 120 * 0.5);
        expect(result.maxRelative).toBeLessThan(3e-4);
        const near = compareDepth(images, (u, v) => {
          const [o, d] = pixelRay(k, pose, u, v);
          const z = rayPlane(o, d, point, normal);
          return z > 0 && z < 5 ? z : NaN;
        });
        expect(near.maxError).toBeLessThan(2e-4);
        const errors = backprojected(images).map((p) => Math.abs(dot(sub(p, point), normal)));
        expect(quantileOf(errors, 0.5)).toBeLessThan(0.01);
        expect(quantileOf(errors, 0.5)).toBeLessThan(2e-5);
        expect(quantileOf(errors, 0.95)).toBeLessThan(1e-4);
      }
    }
  });

  it('renders a box seen from outside at the analytic depth, silhouette included', () => {
    const k = intrinsicsFromFov(200, 150, 60);
    const min: Vec3 = [-0.5, -0.4, 0.2];
    const max: Vec3 = [0.6, 0.5, 1.3];
    const mesh = boxMesh(min, max, 6);
    for (const seed of [4, 5, 6]) {
      const r = mulberry32(seed);
      const eye: Vec3 = [1.8 + r(), -1.5 - r(), 1.6 + r()];
      const pose = lookAtPose(eye, [0.05, 0.05, 0.75], UP);
      const images = render(mesh, k, pose);
      const truth = (u: number, v: number) => {
        const [o, d] = pixelRay(k, pose, u, v);
        return rayBox(o, d, min, max);
      };
      const result = compareDepth(images, truth);
      // Pixel centres within float rounding of the silhouette may go either way.
      expect(result.holes + result.spurious).toBeLessThanOrEqual(2);
      expect(result.compared).toBeGreaterThan(3000);
      // Largest on faces seen almost edge-on (see the plane test).
      expect(result.maxError).toBeLessThan(2e-4);
      const errors = backprojected(images).map((p) => Math.abs(distanceToBoxSurface(p, min, max)));
      expect(quantileOf(errors, 0.5)).toBeLessThan(0.01);
      expect(quantileOf(errors, 0.95)).toBeLessThan(5e-4);
    }
  });

  it('renders a finely tessellated sphere within its chord error of the analytic sphere', () => {
    // 128 rings × 256 segments of radius 0.8: the facets lie within the sagitta
    // r(1 − cos(δ/2)) ≈ 1.2e-4 m of the sphere (δ ≈ 0.035 rad, a quad's diagonal angle); seen at
    // ≤ 60° incidence that is ≤ 2.4e-4 m of depth.
    const centre: Vec3 = [0.2, 3, 1.1];
    const radius = 0.8;
    const mesh = sphereMesh(centre, radius, 128, 256);
    const k = intrinsicsFromFov(160, 160, 60);
    const eye: Vec3 = [0, 0, 1.5];
    const pose = lookAtPose(eye, centre, UP);
    const images = render(mesh, k, pose);
    let maxError = 0;
    let compared = 0;
    for (let v = 0; v < k.height; v++) {
      for (let u = 0; u < k.width; u++) {
        const [o, d] = pixelRay(k, pose, u, v);
        const z = raySphere(o, d, centre, radius);
        if (Number.isNaN(z)) continue;
        const hit: Vec3 = [o[0] + z * d[0], o[1] + z * d[1], o[2] + z * d[2]];
        const n = unit(sub(hit, centre));
        const incidence = Math.abs(dot(n, unit(d)));
        if (incidence < 0.5) continue; // within 60° of head-on
        compared++;
        maxError = Math.max(maxError, Math.abs(images.depth[v * k.width + u] - z));
      }
    }
    expect(compared).toBeGreaterThan(2500);
    const sagitta = radius * (1 - Math.cos(Math.hypot(Math.PI / 128, Math.PI / 128) / 2));
    expect(maxError).toBeLessThan((2 * sagitta) / 0.5);
    const errors = backprojected(images).map((p) =>
      Math.abs(Math.hypot(...sub(p, centre)) - radius),
    );
    expect(quantileOf(errors, 0.5)).toBeLessThan(0.01);
    expect(quantileOf(errors, 0.95)).toBeLessThan(5e-4);
  });

  it('renders a closed room from inside (near-plane clipping) with no holes', () => {
    const min: Vec3 = [-2, -1.5, 0];
    const max: Vec3 = [2.5, 2, 2.7];
    const mesh = boxMesh(min, max, 3);
    const k = intrinsicsFromFov(128, 96, 100);
    for (const seed of [7, 8, 9, 10]) {
      const r = mulberry32(seed);
      const eye: Vec3 = [r() - 0.5, r() - 0.5, 1 + r()];
      const yaw = 2 * Math.PI * r();
      const pitch = (r() - 0.5) * 2;
      const dir: Vec3 = [
        Math.cos(yaw) * Math.cos(pitch),
        Math.sin(yaw) * Math.cos(pitch),
        Math.sin(pitch),
      ];
      const pose = lookAtPose(eye, [eye[0] + dir[0], eye[1] + dir[1], eye[2] + dir[2]], UP);
      const images = render(mesh, k, pose);
      const result = compareDepth(images, (u, v) => {
        const [o, d] = pixelRay(k, pose, u, v);
        return rayBox(o, d, min, max);
      });
      expect(result.holes).toBe(0);
      expect(result.compared).toBe(128 * 96);
      expect(result.maxError).toBeLessThan(2e-4);
    }
  });

  it('clips at the near plane: nothing nearer than near is drawn, everything beyond it is', () => {
    // A floor seen at a grazing angle from 6 cm above it: the near plane cuts through the view.
    const k = intrinsicsFromFov(96, 96, 90);
    const mesh = planeMesh([0, 0, 0], [1, 0, 0], [0, 1, 0], 10, 4);
    const eye: Vec3 = [0, 0, 0.06];
    const pose = lookAtPose(eye, [1, 0, -0.6], UP);
    const nearM = 0.1;
    const images = render(mesh, k, pose, { nearM });
    let nearPixels = 0;
    let drawnBeyond = 0;
    let beyond = 0;
    let maxError = 0;
    for (let v = 0; v < k.height; v++) {
      for (let u = 0; u < k.width; u++) {
        const [o, d] = pixelRay(k, pose, u, v);
        const z = rayPlane(o, d, [0, 0, 0], [0, 0, 1]);
        const got = images.depth[v * k.width + u];
        if (!(z > 0) || Math.abs(z - nearM) < 1e-3) continue;
        // Only the 20 m square is meshed.
        if (Math.max(Math.abs(o[0] + z * d[0]), Math.abs(o[1] + z * d[1])) > 9.99) continue;
        if (z < nearM) {
          nearPixels++;
          expect(got).toBe(0);
        } else {
          beyond++;
          if (got > 0) drawnBeyond++;
          if (got > 0) maxError = Math.max(maxError, Math.abs(got - z));
        }
      }
    }
    expect(nearPixels).toBeGreaterThan(100);
    expect(beyond).toBeGreaterThan(1000);
    expect(drawnBeyond).toBe(beyond);
    expect(maxError).toBeLessThan(1e-3);
  });
});

describe('mesh rasteriser: colours, winding and fill rule', () => {
  // Identity pose: camera axes are world axes. fx = fy = 10, principal point (0, 0): a vertex
  // (x, y, 1) lands on pixel (10x, 10y).
  const k: Intrinsics = { fx: 10, fy: 10, cx: 0, cy: 0, width: 12, height: 12 };

  it('interpolates colours with hand-computed barycentrics', () => {
    // Screen triangle (0,0), (8,0), (0,8) at depth 1. Pixel (2,2): λ1 = 2/8, λ2 = 2/8,
    // λ0 = 1/2, so the colour is 0.5·(200,0,0) + 0.25·(0,100,0) + 0.25·(0,0,40) = (100, 25, 10).
    // Pixel (4,1): λ1 = 1/2, λ2 = 1/8, λ0 = 3/8 → (75, 50, 5).
    const mesh: MeshGeometry = {
      positions: Float32Array.from([0, 0, 1, 0.8, 0, 1, 0, 0.8, 1]),
      colors: Uint8Array.from([200, 0, 0, 0, 100, 0, 0, 0, 40]),
      faces: Uint32Array.from([0, 1, 2]),
    };
    const images = render(mesh, k, identity());
    const at = (u: number, v: number) =>
      Array.from(images.color.subarray((v * 12 + u) * 3, (v * 12 + u) * 3 + 3));
    expect(at(2, 2)).toEqual([100, 25, 10]);
    expect(at(4, 1)).toEqual([75, 50, 5]);
    expect(images.depth[2 * 12 + 2]).toBeCloseTo(1, 6);
  });

  it('interpolates perspective-correctly (matches 3D barycentrics of the ray hit)', () => {
    const kk = intrinsicsFromFov(64, 64, 60);
    const a: Vec3 = [-0.6, -0.5, 1];
    const b: Vec3 = [0.9, -0.2, 4];
    const c: Vec3 = [-0.1, 0.8, 2];
    const ca: Vec3 = [250, 0, 0];
    const cb: Vec3 = [0, 250, 0];
    const cc: Vec3 = [0, 0, 250];
    const mesh: MeshGeometry = {
      positions: Float32Array.from([...a, ...b, ...c]),
      colors: Uint8Array.from([...ca, ...cb, ...cc]),
      faces: Uint32Array.from([0, 1, 2]),
    };
    const pose = identity();
    const images = render(mesh, kk, pose);
    let checked = 0;
    let maxDiff = 0;
    let maxLinearDiff = 0;
    const pa = [(kk.fx * a[0]) / a[2] + kk.cx, (kk.fy * a[1]) / a[2] + kk.cy];
    const pb = [(kk.fx * b[0]) / b[2] + kk.cx, (kk.fy * b[1]) / b[2] + kk.cy];
    const pc = [(kk.fx * c[0]) / c[2] + kk.cx, (kk.fy * c[1]) / c[2] + kk.cy];
    const area2 = (pb[0] - pa[0]) * (pc[1] - pa[1]) - (pb[1] - pa[1]) * (pc[0] - pa[0]);
    for (let v = 0; v < 64; v++) {
      for (let u = 0; u < 64; u++) {
        // Möller–Trumbore: barycentrics of the pixel ray's hit on the 3D triangle.
        const [o, d] = pixelRay(kk, pose, u, v);
        const e1 = sub(b, a);
        const e2 = sub(c, a);
        const p = cross(d, e2);
        const det = dot(e1, p);
        const tv = sub(o, a);
        const beta = dot(tv, p) / det;
        const q = cross(tv, e1);
        const gamma = dot(d, q) / det;
        const alpha = 1 - beta - gamma;
        if (Math.min(alpha, beta, gamma) < 0.01) continue;
        const i = v * 64 + u;
        expect(images.ids[i]).toBe(0);
        checked++;
        const linearBeta = ((pc[0] - pa[0]) * (v - pa[1]) - (pc[1] - pa[1]) * (u - pa[0])) / -area2;
        for (let ch = 0; ch < 3; ch++) {
          const expected = alpha * ca[ch] + beta * cb[ch] + gamma * cc[ch];
          maxDiff = Math.max(maxDiff, Math.abs(images.color[i * 3 + ch] - expected));
        }
        maxLinearDiff = Math.max(maxLinearDiff, Math.abs(linearBeta - beta) * 250);
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(maxDiff).toBeLessThanOrEqual(1);
    // Screen-linear interpolation would be far off: the test can tell the two apart.
    expect(maxLinearDiff).toBeGreaterThan(20);
  });

  it('draws both sides: reversing every triangle changes nothing', () => {
    const mesh = boxMesh([-0.5, -0.5, -0.5], [0.5, 0.5, 0.5], 4);
    const flipped = { ...mesh, faces: mesh.faces.slice() };
    for (let t = 0; t < flipped.faces.length; t += 3) {
      [flipped.faces[t + 1], flipped.faces[t + 2]] = [flipped.faces[t + 2], flipped.faces[t + 1]];
    }
    const kk = intrinsicsFromFov(80, 60, 70);
    for (const eye of [
      [2, -1.5, 1],
      [0.1, 0.1, 0.2], // inside the box
    ] as Vec3[]) {
      const pose = lookAtPose(eye, [0, 0, 0.05], UP);
      const a = render(mesh, kk, pose);
      const b = render(flipped, kk, pose);
      expect(a.depth).toEqual(b.depth);
      expect(a.color).toEqual(b.color);
      let drawn = 0;
      for (const d of a.depth) if (d > 0) drawn++;
      expect(drawn).toBeGreaterThan(500);
    }
  });

  it('covers every pixel of a triangle fan exactly once (no cracks, no double coverage)', () => {
    // A fan around pixel (32, 24) whose spokes and rim run through pixel centres, at depth 2.
    const kk: Intrinsics = { fx: 20, fy: 20, cx: 0, cy: 0, width: 64, height: 48 };
    const rim: [number, number][] = [];
    for (let i = 0; i < 24; i++) {
      const angle = (2 * Math.PI * i) / 24;
      rim.push([Math.round(32 + 20 * Math.cos(angle)), Math.round(24 + 20 * Math.sin(angle))]);
    }
    const toWorld = (u: number, v: number) => [(u * 2) / 20, (v * 2) / 20, 2];
    const positions = Float32Array.from([
      ...toWorld(32, 24),
      ...rim.flatMap(([u, v]) => toWorld(u, v)),
    ]);
    const count = new Uint8Array(64 * 48);
    for (let i = 0; i < 24; i++) {
      // Alternate windings: both sides are drawn, the fill rule must not care.
      const a = 1 + i;
      const b = 1 + ((i + 1) % 24);
      const faces = Uint32Array.from(i % 2 ? [0, a, b] : [0, b, a]);
      const single = new MeshRasteriser({
        positions,
        colors: new Uint8Array(positions.length),
        faces,
      });
      const target = prepareTarget(kk, identity(), 100, [0, 0, 0]);
      single.render({ intrinsics: kk, cameraToWorld: identity() }, target, {
        nearM: 0.05,
        farM: 100,
      });
      for (let p = 0; p < count.length; p++) if (target.ids[p] >= 0) count[p]++;
    }
    // Inside the rim polygon (strictly) every pixel is covered exactly once.
    const inside = (u: number, v: number) => {
      for (let i = 0; i < 24; i++) {
        const [x0, y0] = rim[i];
        const [x1, y1] = rim[(i + 1) % 24];
        if ((x1 - x0) * (v - y0) - (y1 - y0) * (u - x0) <= 0) return false;
      }
      return true;
    };
    let interior = 0;
    for (let v = 0; v < 48; v++) {
      for (let u = 0; u < 64; u++) {
        expect(count[v * 64 + u]).toBeLessThanOrEqual(1);
        if (inside(u, v)) {
          interior++;
          expect(count[v * 64 + u]).toBe(1);
        }
      }
    }
    expect(interior).toBeGreaterThan(1000);
  });

  it('converts depth to Uint16 with the scale, 0 where nothing was drawn or out of range', () => {
    const images = prepareTarget(k, identity(), 100, [0, 0, 0]);
    images.depth.set([0, 1.2344, 1.2346, 70, 65.534, 0.0004]);
    const d = toDepthImage(images, 1000);
    expect(Array.from(d.data.subarray(0, 6))).toEqual([0, 1234, 1235, 0, 65534, 0]);
    expect(d.depthScale).toBe(1000);
    expect(d.invalidValues).toEqual([0]);
  });
});
