/** `objects` through the CLI in-process, on the generated cluttered room (GT boxes known). */
import { describe, expect, it } from 'vitest';
import { boxIoU } from '../../src/pipeline/query/iou';
import { parseLocationTokens } from '../../src/tokens';
import { sceneNormalisation } from '../../src/pipeline/features/voxel-tokens';
import {
  generatedClutteredRoom,
  generatedClutteredRoomDir,
} from '../demo-room/generated-demo-room';
import { cli } from './run-cli';

interface ObjectJson {
  id: number;
  level: number;
  parent: number;
  min: number[];
  max: number[];
  pointCount: number;
  structure?: string;
  tokens: string;
}

describe('cli objects', () => {
  it('lists every proposal as {"objects": [...]}: a tree whose boxes cover each GT object', async () => {
    const r = await cli('objects', generatedClutteredRoomDir(), '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      objects: ObjectJson[];
      levelCount: number;
      points: number;
    };
    const scene = await generatedClutteredRoom();
    expect(out.points).toBe(scene.cloud!.positions.length / 3);
    expect(out.objects.length).toBeGreaterThan(20);
    expect(out.objects.length).toBeLessThanOrEqual(1000);
    out.objects.forEach((o, i) => {
      expect(o.id).toBe(i);
      if (o.parent >= 0) expect(out.objects[o.parent].level).toBe(o.level + 1);
      else expect(o.level).toBe(out.levelCount - 1);
      for (let a = 0; a < 3; a++) expect(o.min[a]).toBeLessThanOrEqual(o.max[a]);
    });
    // Structure is found: the floor and walls of the room.
    const kinds = new Set(out.objects.map((o) => o.structure).filter(Boolean));
    expect(kinds.has('floor')).toBe(true);
    expect(kinds.has('wall')).toBe(true);
    // Every GT object has a non-structure proposal with IoU ≥ 0.5.
    for (const gt of scene.objects!) {
      const best = Math.max(
        ...out.objects.filter((o) => !o.structure).map((o) => boxIoU(o, gt.aabb)),
      );
      expect(best, `${gt.label} #${gt.id}`).toBeGreaterThanOrEqual(0.5);
    }
    // Tokens decode to the box within a bin.
    const normalisation = sceneNormalisation(scene.cloud!.positions);
    const o = out.objects.find((x) => !x.structure)!;
    const box = parseLocationTokens(o.tokens, { normalisation }).boxes[0].box!;
    const bin = (2 * normalisation.radius) / 256;
    for (let a = 0; a < 3; a++) expect(Math.abs(box.min[a] - o.min[a])).toBeLessThanOrEqual(bin);
  }, 60_000);

  it('filters one level, prints a table, and rejects bad levels and paths', async () => {
    const one = JSON.parse(
      (await cli('objects', generatedClutteredRoomDir(), '--level', '0', '--json')).stdout,
    );
    expect(one.objects.every((o: ObjectJson) => o.level === 0)).toBe(true);
    const human = await cli('objects', generatedClutteredRoomDir());
    expect(human.stdout).toMatch(/proposals over \d+ levels/);
    expect(human.stdout).toMatch(/\n0 {2}level 0 {2}parent \d+ {2}min \(/);
    expect((await cli('objects', generatedClutteredRoomDir(), '--level', '99')).code).toBe(2);
    expect((await cli('objects', generatedClutteredRoomDir(), '--level', '-1')).code).toBe(2);
    const missing = await cli('objects', '/nonexistent/scene');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nonexistent/);
  }, 60_000);
});
