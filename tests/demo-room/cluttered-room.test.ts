import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLOR_TERMS } from '../../src/pipeline/clip/offline/color-terms';
import {
  CLUTTERED_CONTACTS,
  CLUTTERED_SPECS,
  CLUTTERED_STACKS,
  generateClutteredLayout,
} from '../../src/demo-room/cluttered-layout';
import { buildDemoRoom, generateDemoRoom } from '../../src/demo-room/demo-room';
import { wallGaps } from '../../src/demo-room/furnishing';
import { primitiveAabb } from '../../src/demo-room/primitives';
import { demoRoomQueries, formatQueryFile } from '../../src/demo-room/queries';
import { DEMO_ROOM_DEFAULTS } from '../../src/pipeline/defaults';
import { projectWorldPoint, worldToCameraOf } from '../../src/pipeline/geometry/camera';
import { parseQueryFile } from '../../src/pipeline/query/query-file';
import type { Aabb } from '../../src/pipeline/scene/types';
import { distanceToAnySurface } from './surface-distance';

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);
const small = {
  layout: 'cluttered' as const,
  width: 64,
  height: 48,
  views: 6,
  objectPointSpacing: 0.03,
  shellPointSpacing: 0.06,
};

function overlapVolume(a: Aabb, b: Aabb): number {
  let v = 1;
  for (let k = 0; k < 3; k++)
    v *= Math.max(0, Math.min(a.max[k], b.max[k]) - Math.max(a.min[k], b.min[k]));
  return v;
}

/** Largest per-axis separation of two boxes (≤ 0 when they touch or overlap). */
function boxGap(a: Aabb, b: Aabb): number {
  let gap = -Infinity;
  for (let k = 0; k < 3; k++) gap = Math.max(gap, a.min[k] - b.max[k], b.min[k] - a.max[k]);
  return gap;
}

describe('generateClutteredLayout', () => {
  it.each(SEEDS)(
    'seed %i: contacts, stacking, walls, a flat rug, no overlapping solids',
    (seed) => {
      const layout = generateClutteredLayout(seed);
      const objects = layout.objects;
      expect(objects.map((o) => o.id)).toEqual(CLUTTERED_SPECS.map((_, i) => i));
      expect(layout.shellColorName).toBe('white');
      for (const o of objects) {
        expect(COLOR_TERMS).toContain(o.colorName);
        expect(o.colorName).not.toBe('white');
      }
      // Two objects share a colour (the two orange chairs).
      const colours = objects.map((o) => o.colorName);
      expect(new Set(colours).size).toBe(colours.length - 1);
      expect(objects.filter((o) => o.colorName === 'orange').map((o) => o.label)).toEqual([
        'chair',
        'chair',
      ]);

      // Chairs touch the table: boxes meet (gap ≤ 1 cm, no overlap), solids do not interpenetrate.
      for (const [a, b] of CLUTTERED_CONTACTS) {
        const [p, q] = [objects[a], objects[b]];
        const gap = boxGap(p.aabb, q.aabb);
        expect(gap, `${p.label} ${a}–${q.label}`).toBeLessThanOrEqual(0.01);
        expect(gap).toBeGreaterThan(-1e-6);
        expect(overlapVolume(p.aabb, q.aabb)).toBeLessThan(1e-9);
      }

      // The tv stands on the cabinet: its bottom is the cabinet's top, within its footprint.
      for (const [top, support] of CLUTTERED_STACKS) {
        const [t, s] = [objects[top].aabb, objects[support].aabb];
        expect(Math.abs(t.min[2] - s.max[2])).toBeLessThan(1e-3);
        for (let k = 0; k < 2; k++) {
          expect(t.min[k]).toBeGreaterThanOrEqual(s.min[k] - 1e-9);
          expect(t.max[k]).toBeLessThanOrEqual(s.max[k] + 1e-9);
        }
      }

      // Wall objects (and the tv) touch a wall; everything is inside the room.
      for (const [id, spec] of CLUTTERED_SPECS.entries()) {
        const gaps = wallGaps(objects[id].aabb, layout);
        for (const g of gaps) expect(g).toBeGreaterThan(-1e-9);
        if (spec.rule === 'wall' || spec.rule === 'on-cabinet') {
          expect(Math.min(...gaps), spec.label).toBeLessThan(1e-6);
        }
        expect(objects[id].aabb.min[2]).toBeGreaterThanOrEqual(-1e-12);
        expect(objects[id].aabb.max[2]).toBeLessThanOrEqual(layout.height);
      }

      // The rug is flat, on the floor, near the sofa.
      const rug = objects.find((o) => o.label === 'rug')!.aabb;
      const sofa = objects.find((o) => o.label === 'sofa')!.aabb;
      expect(rug.min[2]).toBe(0);
      expect(rug.max[2] - rug.min[2]).toBeLessThanOrEqual(0.02 + 1e-12);
      expect(boxGap(rug, sofa)).toBeLessThanOrEqual(0.1);

      // No two objects' solids overlap (primitive bounds are conservative for round solids).
      for (let i = 0; i < objects.length; i++) {
        for (let j = i + 1; j < objects.length; j++) {
          for (const p of objects[i].primitives) {
            for (const q of objects[j].primitives) {
              expect(
                overlapVolume(primitiveAabb(p), primitiveAabb(q)),
                `${objects[i].label} ${i}–${objects[j].label} ${j}`,
              ).toBeLessThan(1e-9);
            }
          }
        }
      }
    },
  );

  it('is deterministic per seed and differs between seeds', () => {
    const a = JSON.stringify(generateClutteredLayout(4));
    expect(JSON.stringify(generateClutteredLayout(4))).toBe(a);
    expect(JSON.stringify(generateClutteredLayout(5))).not.toBe(a);
  });
});

describe('the cluttered room scene', () => {
  it('GT instance ids on the cloud match each object’s points and the renders agree', async () => {
    const { scene, layout } = buildDemoRoom({ ...small, seed: 3 });
    expect(scene.name).toBe('cluttered-room');
    const c = scene.cloud!;
    const n = c.positions.length / 3;
    const seen = new Set<number>();
    for (const o of scene.objects!) {
      const placed = layout.objects[o.id];
      expect([o.label, o.colorName, o.aabb]).toEqual([placed.label, placed.colorName, placed.aabb]);
      let worst = 0;
      for (const i of o.pointIds!) {
        expect(c.instanceIds![i]).toBe(o.id);
        seen.add(i);
        const [x, y, z] = [c.positions[3 * i], c.positions[3 * i + 1], c.positions[3 * i + 2]];
        worst = Math.max(worst, distanceToAnySurface(placed.primitives, x, y, z));
      }
      expect(worst, o.label).toBeLessThan(1e-5);
    }
    let shell = 0;
    for (let i = 0; i < n; i++) if (c.instanceIds![i] === -1) shell++;
    expect(seen.size + shell).toBe(n);

    let visible = 0;
    let agree = 0;
    for (const f of scene.frames) {
      const depth = (await f.loadDepth()).data;
      const ids = await f.loadInstances!();
      const w2c = worldToCameraOf(f.cameraToWorld);
      const { width, height } = f.intrinsics;
      for (let i = 0; i < n; i += 3) {
        const p = projectWorldPoint(
          f.intrinsics,
          w2c,
          c.positions[3 * i],
          c.positions[3 * i + 1],
          c.positions[3 * i + 2],
        );
        if (!(p.z > 0)) continue;
        const [u, v] = [Math.round(p.u), Math.round(p.v)];
        if (u < 0 || v < 0 || u >= width || v >= height) continue;
        if (Math.abs(depth[v * width + u] / 1000 - p.z) > 0.01) continue;
        visible++;
        if (ids[v * width + u] === c.instanceIds![i]) agree++;
      }
    }
    expect(visible).toBeGreaterThan(1000);
    expect(agree / visible).toBeGreaterThan(0.97);
  });

  it('the same seed and options give the same bytes', async () => {
    const digest = async (seed: number) => {
      const scene = generateDemoRoom({ ...small, seed });
      const h = createHash('sha256');
      const c = scene.cloud!;
      for (const a of [c.positions, c.colors, c.normals!, c.instanceIds!])
        h.update(new Uint8Array(a.buffer));
      for (const f of scene.frames) {
        h.update((await f.loadColor()).data);
        h.update(new Uint8Array((await f.loadInstances!()).buffer));
      }
      return h.digest('hex');
    };
    expect(await digest(2)).toBe(await digest(2));
  });

  it('the demo layout stays the default', () => {
    expect(generateDemoRoom({ ...small, layout: undefined }).name).toBe('demo-room');
    expect(() => generateDemoRoom({ layout: 'messy' as never })).toThrow(/layout/);
  });
});

describe('cluttered room query file', () => {
  const committed = path.resolve(__dirname, '../../scenes/cluttered-room.queries.json');
  const layout = generateClutteredLayout(DEMO_ROOM_DEFAULTS.seed);
  const file = demoRoomQueries(layout, 'cluttered-room');

  it('the committed file is exactly what the generator writes, and eval’s parser reads it', () => {
    expect(readFileSync(committed, 'utf8')).toBe(formatQueryFile(file));
    expect(parseQueryFile(readFileSync(committed), committed)).toEqual(file.queries);
  });

  it('one query per colour term, listing every object of that colour', () => {
    expect(file.scene).toBe('cluttered-room');
    const colours = [...new Set(layout.objects.map((o) => o.colorName))];
    expect(file.queries.map((q) => q.text)).toEqual(colours);
    for (const q of file.queries) {
      const ids = layout.objects.filter((o) => o.colorName === q.text).map((o) => o.id);
      expect(q.targetId).toBe(ids[0]);
      if (ids.length > 1) expect(q.targetIds).toEqual(ids);
      else expect(q.targetIds).toBeUndefined();
    }
    expect(file.queries.find((q) => q.text === 'orange')).toMatchObject({
      targetIds: [1, 2],
      label: 'chair',
    });
  });
});
