import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COLOR_TERMS,
  FOCAL_SRGB,
  type ColorTerm,
} from '../../src/pipeline/clip/offline/color-terms';
import { generateDemoRoom } from '../../src/demo-room/demo-room';
import type { RoomLayout } from '../../src/demo-room/room-layout';
import { DEMO_ROOM_DEFAULTS } from '../../src/pipeline/defaults';
import { projectWorldPoint, worldToCameraOf } from '../../src/pipeline/geometry/camera';
import type { Scene } from '../../src/pipeline/scene/types';
import { generatedDemoRoom, generatedDemoRoomLayout } from './generated-demo-room';
import { distanceToAnySurface, srgbToLab } from './surface-distance';

interface RenderedFrames {
  color: Uint8Array[];
  depth: Uint16Array[];
  instances: Int32Array[];
}

async function renderAll(scene: Scene): Promise<RenderedFrames> {
  const out: RenderedFrames = { color: [], depth: [], instances: [] };
  for (const f of scene.frames) {
    out.color.push((await f.loadColor()).data);
    out.depth.push((await f.loadDepth()).data);
    out.instances.push(await f.loadInstances!());
  }
  return out;
}

async function sceneDigest(scene: Scene): Promise<string> {
  const h = createHash('sha256');
  const c = scene.cloud!;
  for (const a of [c.positions, c.colors, c.normals!, c.instanceIds!])
    h.update(new Uint8Array(a.buffer));
  for (const f of scene.frames) {
    h.update((await f.loadColor()).data);
    h.update(new Uint8Array((await f.loadDepth()).data.buffer));
    h.update(new Uint8Array((await f.loadInstances!()).buffer));
    h.update(new Uint8Array(f.cameraToWorld.buffer));
  }
  h.update(
    JSON.stringify(scene.objects!.map((o) => ({ ...o, pointIds: Array.from(o.pointIds!) }))),
  );
  return h.digest('hex');
}

const FOCAL_LAB = COLOR_TERMS.map((t) => [t, srgbToLab(...FOCAL_SRGB[t])] as const);

/** Nearest of the 11 focal colours in CIELAB. */
function nameColour(r: number, g: number, b: number): ColorTerm {
  const lab = srgbToLab(r, g, b);
  let best: ColorTerm = 'white';
  let bestD = Infinity;
  for (const [t, q] of FOCAL_LAB) {
    const d = Math.hypot(lab[0] - q[0], lab[1] - q[1], lab[2] - q[2]);
    if (d < bestD) {
      bestD = d;
      best = t;
    }
  }
  return best;
}

/** The standard room as `npm run scenes` writes it (tests/global-setup.ts), read back. */
describe('the generated demo room (defaults, scenes/demo-room)', () => {
  let room: { scene: Scene; layout: RoomLayout };
  let frames: RenderedFrames;
  beforeAll(async () => {
    room = { scene: await generatedDemoRoom(), layout: generatedDemoRoomLayout() };
    frames = await renderAll(room.scene);
  });

  it('has ≥ 24 RGB-D views of ≥ 320x240 with consistent intrinsics, mm depth and instance ids', () => {
    const { scene } = room;
    expect(scene.name).toBe('demo-room');
    expect(scene.frames.length).toBe(DEMO_ROOM_DEFAULTS.views);
    expect(scene.frames.length).toBeGreaterThanOrEqual(24);
    for (const [k, f] of scene.frames.entries()) {
      expect(f.index).toBe(k);
      expect(f.intrinsics.width).toBeGreaterThanOrEqual(320);
      expect(f.intrinsics.height).toBeGreaterThanOrEqual(240);
      expect(f.depthIntrinsics).toEqual(f.intrinsics);
      const n = f.intrinsics.width * f.intrinsics.height;
      expect(frames.color[k].length).toBe(3 * n);
      expect(frames.depth[k].length).toBe(n);
      expect(frames.instances[k].length).toBe(n);
      expect(frames.depth[k].includes(0)).toBe(false); // the room is closed: every ray hits
    }
  });

  it('loadDepth reports millimetres with 0 as the invalid value', async () => {
    const d = await room.scene.frames[3].loadDepth();
    expect(d.depthScale).toBe(1000);
    expect(d.invalidValues).toEqual([0]);
  });

  it('every object is visible (≥ 50 pixels) in at least 3 views', () => {
    for (const o of room.layout.objects) {
      const views = frames.instances.filter((ids) => {
        let c = 0;
        for (const id of ids) if (id === o.id) c++;
        return c >= 50;
      }).length;
      expect(views, `${o.label}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('rendered colours are nameable: each object’s pixels are its colour term, the shell’s white', () => {
    const counts = new Map<number, { right: number; total: number; sum: number[] }>();
    for (let k = 0; k < frames.color.length; k++) {
      const ids = frames.instances[k];
      const rgb = frames.color[k];
      for (let i = 0; i < ids.length; i += 7) {
        const id = ids[i];
        const expected = id >= 0 ? room.layout.objects[id].colorName : 'white';
        const s = counts.get(id) ?? { right: 0, total: 0, sum: [0, 0, 0] };
        if (nameColour(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) === expected) s.right++;
        s.total++;
        counts.set(id, s);
      }
    }
    for (const [id, s] of counts) {
      const label = id >= 0 ? room.layout.objects[id].label : 'shell';
      expect(s.right / s.total, label).toBeGreaterThan(0.97);
    }
  });

  it('the cloud: a few 100k points on the surfaces, unit normals, instance ids matching GT point ids', () => {
    const c = room.scene.cloud!;
    const n = c.positions.length / 3;
    expect(n).toBeGreaterThan(100_000);
    expect(n).toBeLessThan(500_000);
    expect(c.colors.length).toBe(3 * n);
    expect(c.normals!.length).toBe(3 * n);
    expect(c.instanceIds!.length).toBe(n);
    let badNormal = 0;
    for (let i = 0; i < n; i++) {
      const len = Math.hypot(c.normals![3 * i], c.normals![3 * i + 1], c.normals![3 * i + 2]);
      if (Math.abs(len - 1) > 1e-5) badNormal++;
    }
    expect(badNormal).toBe(0);
    const seen = new Set<number>();
    for (const o of room.scene.objects!) {
      expect(o.pointIds!.length).toBeGreaterThan(1000);
      let wrong = 0;
      for (const i of o.pointIds!) {
        if (c.instanceIds![i] !== o.id) wrong++;
        seen.add(i);
      }
      expect(wrong).toBe(0);
    }
    let shell = 0;
    for (let i = 0; i < n; i++) if (c.instanceIds![i] === -1) shell++;
    expect(seen.size + shell).toBe(n);
  });

  it('object points lie on their object’s surfaces and inside its tight GT box, which they span', () => {
    const c = room.scene.cloud!;
    for (const o of room.scene.objects!) {
      // The bundle's GT is the layout's, regenerated here from the seed.
      const placed = room.layout.objects[o.id];
      expect([o.label, o.colorName, o.aabb]).toEqual([placed.label, placed.colorName, placed.aabb]);
      const prims = placed.primitives;
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-Infinity, -Infinity, -Infinity];
      let worst = 0;
      for (const i of o.pointIds!) {
        const p = [c.positions[3 * i], c.positions[3 * i + 1], c.positions[3 * i + 2]];
        worst = Math.max(worst, distanceToAnySurface(prims, p[0], p[1], p[2]));
        for (let k = 0; k < 3; k++) {
          lo[k] = Math.min(lo[k], p[k]);
          hi[k] = Math.max(hi[k], p[k]);
        }
      }
      expect(worst, o.label).toBeLessThan(1e-5); // float32 positions
      for (let k = 0; k < 3; k++) {
        expect(lo[k]).toBeGreaterThanOrEqual(o.aabb.min[k] - 1e-5);
        expect(hi[k]).toBeLessThanOrEqual(o.aabb.max[k] + 1e-5);
        // The seen points span most of the box (backs against a wall are hidden).
        const extent = o.aabb.max[k] - o.aabb.min[k];
        expect((hi[k] - lo[k]) / extent, `${o.label} axis ${k}`).toBeGreaterThan(0.75);
      }
    }
  });

  it('the cloud agrees with the renders: visible points land on pixels of their own instance', () => {
    const c = room.scene.cloud!;
    const n = c.positions.length / 3;
    let visible = 0;
    let agree = 0;
    for (let k = 0; k < room.scene.frames.length; k += 3) {
      const f = room.scene.frames[k];
      const w2c = worldToCameraOf(f.cameraToWorld);
      const { width, height } = f.intrinsics;
      for (let i = 0; i < n; i += 5) {
        const p = projectWorldPoint(
          f.intrinsics,
          w2c,
          c.positions[3 * i],
          c.positions[3 * i + 1],
          c.positions[3 * i + 2],
        );
        if (!(p.z > 0)) continue;
        const u = Math.round(p.u);
        const v = Math.round(p.v);
        if (u < 0 || v < 0 || u >= width || v >= height) continue;
        const px = v * width + u;
        if (Math.abs(frames.depth[k][px] / 1000 - p.z) > 0.01) continue; // occluded or off-surface
        visible++;
        if (frames.instances[k][px] === c.instanceIds![i]) agree++;
      }
    }
    expect(visible).toBeGreaterThan(30_000);
    expect(agree / visible).toBeGreaterThan(0.99);
  });

  it('every cloud point is seen by at least one view (a perfect scan keeps only what it saw)', () => {
    const c = room.scene.cloud!;
    const n = c.positions.length / 3;
    const cams = room.scene.frames.map((f) => ({ f, w2c: worldToCameraOf(f.cameraToWorld) }));
    let unseen = 0;
    let checked = 0;
    for (let i = 0; i < n; i += 37) {
      checked++;
      const seen = cams.some(({ f, w2c }, k) => {
        const p = projectWorldPoint(
          f.intrinsics,
          w2c,
          c.positions[3 * i],
          c.positions[3 * i + 1],
          c.positions[3 * i + 2],
        );
        const u = Math.round(p.u);
        const v = Math.round(p.v);
        if (!(p.z > 0) || u < 0 || v < 0 || u >= f.intrinsics.width || v >= f.intrinsics.height)
          return false;
        // Grazing surfaces: allow the depth change across one pixel.
        return (
          Math.abs(frames.depth[k][v * f.intrinsics.width + u] / 1000 - p.z) < 0.03 + 0.02 * p.z
        );
      });
      if (!seen) unseen++;
    }
    expect(unseen / checked).toBeLessThan(0.02);
  });
});

describe('generateDemoRoom options and determinism', () => {
  const small = {
    width: 64,
    height: 48,
    views: 6,
    objectPointSpacing: 0.03,
    shellPointSpacing: 0.06,
  };

  it('the same seed and options give the same bytes; another seed does not', async () => {
    const a = await sceneDigest(generateDemoRoom({ ...small, seed: 5 }));
    const b = await sceneDigest(generateDemoRoom({ ...small, seed: 5 }));
    const c = await sceneDigest(generateDemoRoom({ ...small, seed: 6 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('honours width, height and views', async () => {
    const scene = generateDemoRoom({ ...small, width: 80, height: 60, views: 3 });
    expect(scene.format).toBe('generated');
    expect(scene.frames).toHaveLength(3);
    const img = await scene.frames[2].loadColor();
    expect([img.width, img.height, img.data.length]).toEqual([80, 60, 80 * 60 * 3]);
    const depth = await scene.frames[2].loadDepth();
    expect([depth.width, depth.height, depth.data.length]).toEqual([80, 60, 80 * 60]);
  });

  it('rejects nonsense options with a clear message', () => {
    expect(() => generateDemoRoom({ width: 0 })).toThrow(/width/);
    expect(() => generateDemoRoom({ views: 2.5 })).toThrow(/views/);
    expect(() => generateDemoRoom({ seed: Number.NaN })).toThrow(/seed/);
    expect(() => generateDemoRoom({ objectPointSpacing: 0.0001 })).toThrow(/objectPointSpacing/);
  });

  it('loaders return fresh copies, so a consumer cannot corrupt later loads', async () => {
    const scene = generateDemoRoom(small);
    const a = await scene.frames[0].loadColor();
    a.data.fill(0);
    const b = await scene.frames[0].loadColor();
    expect(b.data.some((x) => x !== 0)).toBe(true);
  });
});
