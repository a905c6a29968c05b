/**
 * Issue 12's targets on rooms the defaults were not tuned on: the demo room and the cluttered
 * room generated with other seeds, the bundled offline encoder's default (dense) features,
 * grounding on the scene's objects. Demo rooms: Acc@0.25 ≥ 0.95 and Acc@0.5 ≥ 0.9 over the seeds together.
 * Cluttered rooms: every object is its own box with IoU ≥ 0.5 among the top-k of its colour query
 * (both orange chairs), and no returned box spans two objects (holds half of each one's volume).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoRoom, generateLayout } from '../../../src/demo-room/demo-room';
import { demoRoomQueries } from '../../../src/demo-room/queries';
import { loadNodeClipModel } from '../../../src/hosts/node/model-spec';
import type { ClipEncoder } from '../../../src/pipeline/clip/types';
import { clipCropPreprocessor } from '../../../src/pipeline/features/crop-preprocess';
import { extractFeatures } from '../../../src/pipeline/features/extract';
import { encodeFeatureField } from '../../../src/pipeline/features/feature-field';
import { sceneNormalisation } from '../../../src/pipeline/features/voxel-tokens';
import { boxIoU, boxVolume } from '../../../src/pipeline/query/iou';
import { sceneObjects } from '../../../src/pipeline/query/scene-objects';
import { queryByText } from '../../../src/pipeline/query/text-query';
import type { Aabb } from '../../../src/pipeline/scene/types';
import { inferUp } from '../../../src/pipeline/session/scene-summary';

let encoder: ClipEncoder;
beforeAll(async () => {
  encoder = (await loadNodeClipModel('offline')).encoder;
});
afterAll(() => encoder?.dispose());

/** Share of box a's volume inside box b. */
function shareInside(a: Aabb, b: { min: number[]; max: number[] }): number {
  let inter = 1;
  for (let k = 0; k < 3; k++) {
    inter *= Math.max(0, Math.min(a.max[k], b.max[k]) - Math.max(a.min[k], b.min[k]));
  }
  const v = boxVolume(a);
  return v > 0 ? inter / v : 0;
}

async function groundRoom(kind: 'demo' | 'cluttered', seed: number) {
  const scene = generateDemoRoom({ layout: kind, seed });
  const queries = demoRoomQueries(generateLayout(kind, seed)).queries;
  const result = await extractFeatures(scene, encoder, {}, { preprocess: clipCropPreprocessor() });
  // The default feature source: dense, six 224-px windows per 320×240 view.
  expect(result.stats.featureSource).toBe('dense');
  expect(result.stats.crops).toBe(6 * result.stats.views);
  const field = encodeFeatureField(result.features, result.count, result.dim, result.viewCounts);
  const objects = sceneObjects(scene.cloud!, inferUp(scene));
  const query = {
    field,
    positions: result.positions,
    normalisation: sceneNormalisation(result.positions),
    objects,
  };
  const replies = [];
  for (const q of queries) replies.push({ q, r: await queryByText(query, encoder, q.text) });
  return { scene, replies };
}

describe('grounding on objects, rooms of other seeds (offline encoder, dense features)', () => {
  it('demo rooms: Acc@0.25 ≥ 0.95 and Acc@0.5 ≥ 0.9 over seeds 2 and 3', async () => {
    const ious: number[] = [];
    const misses: string[] = [];
    for (const seed of [2, 3]) {
      const { scene, replies } = await groundRoom('demo', seed);
      for (const { q, r } of replies) {
        const gt = scene.objects!.find((o) => o.id === q.targetId)!;
        const iou = r.boxes[0] ? boxIoU(r.boxes[0], gt.aabb) : 0;
        ious.push(iou);
        if (iou < 0.5) misses.push(`seed ${seed} ${q.text}: ${iou.toFixed(2)} ${r.reason ?? ''}`);
        expect(r.confident, q.text).toBe(true);
        for (let k = 1; k < r.boxes.length; k++) {
          expect(r.boxes[k].score).toBeLessThanOrEqual(r.boxes[k - 1].score);
        }
      }
    }
    const acc = (t: number) => ious.filter((v) => v >= t).length / ious.length;
    expect(acc(0.25), misses.join('; ')).toBeGreaterThanOrEqual(0.95);
    expect(acc(0.5), misses.join('; ')).toBeGreaterThanOrEqual(0.9);
  }, 600_000);

  it('cluttered rooms (seeds 8, 9): each object its own box, no box spans two objects', async () => {
    const failures: string[] = [];
    for (const seed of [8, 9]) {
      const { scene, replies } = await groundRoom('cluttered', seed);
      const gts = scene.objects!;
      for (const { q, r } of replies) {
        const targets = q.targetIds ?? [q.targetId];
        for (const id of targets) {
          const gt = gts.find((o) => o.id === id)!;
          const best = Math.max(0, ...r.boxes.map((b) => boxIoU(b, gt.aabb)));
          if (best < 0.5)
            failures.push(`seed ${seed} ${q.text} #${id}: best IoU ${best.toFixed(2)}`);
        }
        for (const b of r.boxes) {
          const spanned = gts.filter((g) => shareInside(g.aabb, b) >= 0.5).map((g) => g.label);
          if (spanned.length > 1) failures.push(`seed ${seed} ${q.text}: a box spans ${spanned}`);
          const thinnest = Math.min(...[0, 1, 2].map((a) => b.max[a] - b.min[a]));
          const flat = [0, 1, 2].map((a) => b.max[a] - b.min[a]).filter((s) => s >= 0.2).length;
          if (thinnest < 0.03 && flat < 2) failures.push(`seed ${seed} ${q.text}: a sliver box`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
