import { describe, expect, it } from 'vitest';
import { COLOR_TERMS, FOCAL_SRGB } from '../../src/pipeline/clip/offline/color-terms';
import { primitiveAabb } from '../../src/demo-room/primitives';
import { generateRoomLayout, OBJECT_SPECS } from '../../src/demo-room/room-layout';
import type { Aabb } from '../../src/pipeline/scene/types';

const SEEDS = Array.from({ length: 25 }, (_, i) => i + 1);

function overlapVolume(a: Aabb, b: Aabb): number {
  let v = 1;
  for (let k = 0; k < 3; k++)
    v *= Math.max(0, Math.min(a.max[k], b.max[k]) - Math.max(a.min[k], b.min[k]));
  return v;
}

describe('generateRoomLayout', () => {
  it.each(SEEDS)(
    'seed %i: ten objects, eight or more categories, ten distinct non-white colour terms',
    (seed) => {
      const layout = generateRoomLayout(seed);
      expect(layout.objects.length).toBeGreaterThanOrEqual(10);
      expect(new Set(layout.objects.map((o) => o.label)).size).toBeGreaterThanOrEqual(8);
      const colours = layout.objects.map((o) => o.colorName);
      expect(new Set(colours).size).toBe(colours.length);
      expect(colours).not.toContain(layout.shellColorName);
      expect(layout.shellColorName).toBe('white');
      for (const o of layout.objects) {
        expect(COLOR_TERMS).toContain(o.colorName);
        expect(o.color).toEqual(FOCAL_SRGB[o.colorName]);
      }
      expect(layout.objects.map((o) => o.id)).toEqual(layout.objects.map((_, i) => i));
    },
  );

  it.each(SEEDS)('seed %i: every solid is inside the room and no two objects overlap', (seed) => {
    const layout = generateRoomLayout(seed);
    const { min, max } = layout.interior;
    const eps = 1e-9;
    for (const o of layout.objects) {
      for (const p of o.primitives) {
        const b = primitiveAabb(p);
        for (let k = 0; k < 3; k++) {
          expect(b.min[k]).toBeGreaterThanOrEqual(min[k] - eps);
          expect(b.max[k]).toBeLessThanOrEqual(max[k] + eps);
        }
      }
    }
    // Primitive bounds are conservative for cylinders and spheres, so zero overlap of bounds
    // between different objects' primitives means zero overlap of the solids.
    for (let i = 0; i < layout.objects.length; i++) {
      for (let j = i + 1; j < layout.objects.length; j++) {
        for (const p of layout.objects[i].primitives) {
          for (const q of layout.objects[j].primitives) {
            expect(overlapVolume(primitiveAabb(p), primitiveAabb(q))).toBeLessThan(1e-9);
          }
        }
      }
    }
  });

  it.each(SEEDS)('seed %i: each object follows its placement rule', (seed) => {
    const layout = generateRoomLayout(seed);
    const eps = 1e-9;
    const byLabel = new Map(layout.objects.map((o) => [o.label, o.aabb]));
    const centre = (b: Aabb, k: number) => (b.min[k] + b.max[k]) / 2;
    const [hw, hd] = [layout.width / 2, layout.depth / 2];
    for (const spec of OBJECT_SPECS) {
      const b = byLabel.get(spec.label)!;
      expect(b.min[2], spec.label).toBeGreaterThanOrEqual(-eps); // nothing below the floor
      if (spec.rule === 'wall') {
        // Its box stands `wallGap` from one of the four walls.
        const gaps = [hd - b.max[1], b.min[0] + hw, b.min[1] + hd, hw - b.max[0]];
        const gap = spec.wallGap ?? 0.05;
        expect(Math.min(...gaps.map((g) => Math.abs(g - gap))), spec.label).toBeLessThan(eps);
      }
    }
    // The rug lies within 0.3 m (x) and 0.25 m (y) of the room centre.
    const rug = byLabel.get('rug')!;
    expect(Math.abs(centre(rug, 0))).toBeLessThanOrEqual(0.3 + eps);
    expect(Math.abs(centre(rug, 1))).toBeLessThanOrEqual(0.25 + eps);
    // The chair stands 15 cm off one side of the table, within 20 cm of that side's middle.
    const table = byLabel.get('table')!;
    const chair = byLabel.get('chair')!;
    const sides = [0, 1].flatMap((k) => [
      { k, gap: chair.min[k] - table.max[k] },
      { k, gap: table.min[k] - chair.max[k] },
    ]);
    const side = sides.find((s) => Math.abs(s.gap - 0.15) < eps);
    expect(side, `chair-table gaps ${sides.map((s) => s.gap.toFixed(3))}`).toBeDefined();
    const along = 1 - side!.k;
    expect(Math.abs(centre(chair, along) - centre(table, along))).toBeLessThanOrEqual(0.2 + eps);
    // Objects whose heights overlap keep 12 cm between their footprints (so the table is off
    // the rug).
    for (let i = 0; i < layout.objects.length; i++) {
      for (let j = i + 1; j < layout.objects.length; j++) {
        const [a, c] = [layout.objects[i].aabb, layout.objects[j].aabb];
        if (a.min[2] >= c.max[2] || c.min[2] >= a.max[2]) continue;
        const apart = Math.max(
          a.min[0] - c.max[0],
          c.min[0] - a.max[0],
          a.min[1] - c.max[1],
          c.min[1] - a.max[1],
        );
        expect(apart, `${layout.objects[i].label}–${layout.objects[j].label}`).toBeGreaterThan(
          0.12 - eps,
        );
      }
    }
  });

  it('the GT box of each object is the tight union of its primitives', () => {
    const layout = generateRoomLayout(3);
    for (const o of layout.objects) {
      const boxes = o.primitives.map(primitiveAabb);
      for (let k = 0; k < 3; k++) {
        expect(o.aabb.min[k]).toBe(Math.min(...boxes.map((b) => b.min[k])));
        expect(o.aabb.max[k]).toBe(Math.max(...boxes.map((b) => b.max[k])));
      }
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(JSON.stringify(generateRoomLayout(11))).toBe(JSON.stringify(generateRoomLayout(11)));
    expect(JSON.stringify(generateRoomLayout(11))).not.toBe(JSON.stringify(generateRoomLayout(12)));
  });
});
