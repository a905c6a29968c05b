import { describe, expect, it } from 'vitest';
import { COLOR_TERMS, FOCAL_SRGB } from '../../../src/pipeline/clip/offline/color-terms';
import { primitiveAabb } from '../../../src/pipeline/demo/primitives';
import { generateRoomLayout } from '../../../src/pipeline/demo/room-layout';
import type { Aabb } from '../../../src/pipeline/scene/types';

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
