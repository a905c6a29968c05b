import { describe, expect, it } from 'vitest';
import type { ObjectsReply, SceneObject } from '../../workers/pipeline-api';
import {
  formatSize,
  gtLabel,
  gtViewBox,
  hash32,
  listLevel,
  NO_SEGMENT_RGB,
  objectViewBox,
  segmentColor,
  structureSummary,
  writeSegmentColors,
} from '../../src/viewer/objects';

const obj = (id: number, level: number, pointCount: number, extra: Partial<SceneObject> = {}) =>
  ({
    id,
    level,
    parent: -1,
    min: [0, 0, 0],
    max: [1, 2, 0.5],
    pointCount,
    tokens: '<loc1><loc2><loc3><loc4><loc5><loc6>',
    ...extra,
  }) satisfies SceneObject;

describe('segment colours', () => {
  it('are stable, in range and grey for −1', () => {
    expect(segmentColor(-1)).toEqual([...NO_SEGMENT_RGB]);
    for (let id = 0; id < 500; id++) {
      const c = segmentColor(id);
      expect(segmentColor(id)).toEqual(c);
      for (const v of c) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(255);
      }
    }
  });

  it('tell neighbouring ids apart and stand out from the grey of unsegmented points', () => {
    const dist = (a: number[], b: readonly number[]) =>
      Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
    let close = 0;
    for (let id = 0; id < 1000; id++) {
      const c = segmentColor(id);
      // Saturation ≥ 0.55 and value ≥ 0.75: never near grey.
      expect(Math.max(...c) - Math.min(...c)).toBeGreaterThan(0.5 * 0.75 * 255);
      if (dist(c, segmentColor(id + 1)) < 60) close++;
    }
    expect(close).toBeLessThan(100);
  });

  it('hash32 is a 32-bit unsigned mix with distinct values for small ids', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const h = hash32(i);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
      seen.add(h);
    }
    expect(seen.size).toBe(10_000);
  });

  it('writeSegmentColors writes one triple per point', () => {
    const ids = Int32Array.from([3, -1, 3, 7]);
    const out = new Uint8Array(12);
    writeSegmentColors(ids, out);
    expect(Array.from(out.subarray(0, 3))).toEqual(segmentColor(3));
    expect(Array.from(out.subarray(3, 6))).toEqual([...NO_SEGMENT_RGB]);
    expect(Array.from(out.subarray(6, 9))).toEqual(segmentColor(3));
    expect(Array.from(out.subarray(9, 12))).toEqual(segmentColor(7));
  });
});

describe('object listing', () => {
  const reply: ObjectsReply = {
    levelCount: 2,
    objectLevel: 1,
    seconds: 0.5,
    objects: [
      obj(0, 0, 10),
      obj(1, 1, 50),
      obj(2, 1, 900, { structure: 'floor' }),
      obj(3, 1, 120),
      obj(4, 1, 50),
      obj(5, 1, 400, { structure: 'wall' }),
      obj(6, 1, 300, { structure: 'wall' }),
    ],
  };

  it('lists the level’s objects largest first (ties by id) and splits off structure', () => {
    const { objects, structure } = listLevel(reply, 1);
    expect(objects.map((o) => o.id)).toEqual([3, 1, 4]);
    expect(structure.map((o) => o.id)).toEqual([2, 5, 6]);
    expect(structureSummary(structure)).toBe('floor 1, wall 2');
    expect(listLevel(reply, 0).objects.map((o) => o.id)).toEqual([0]);
    expect(listLevel(undefined, 0)).toEqual({ objects: [], structure: [] });
  });

  it('formats sizes in metres with two decimals', () => {
    expect(formatSize([0, 0, 0], [1, 2, 0.5])).toBe('1.00 × 2.00 × 0.50 m');
    expect(formatSize([-0.25, 1, 2], [0.5, 1.2, 3.333])).toBe('0.75 × 0.20 × 1.33 m');
  });

  it('turns proposals and GT objects into view boxes', () => {
    const box = objectViewBox(reply.objects[3]);
    expect(box).toMatchObject({ key: 'object-3', source: 'object', label: 'object #3' });
    expect(box.tokens).toBe(reply.objects[3].tokens);
    expect(objectViewBox(reply.objects[2]).label).toBe('floor #2');
    const gt = {
      id: 4,
      label: 'chair',
      colorName: 'orange',
      aabb: { min: [0, 0, 0], max: [1, 1, 1] },
    };
    expect(gtLabel(gt as never)).toBe('orange chair');
    expect(gtViewBox(gt as never)).toMatchObject({
      key: 'gt-4',
      source: 'gt',
      label: 'orange chair',
    });
  });
});
