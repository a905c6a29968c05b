/**
 * Dense one-pass features against crop tiles on demo rooms of two seeds (the bundled offline
 * encoder, grounding on objects): dense grounds at least as well (Acc@0.25 ≥ 0.9, and no more
 * than one query worse than crops), with ≤ 6 encoder calls per view, a fraction of the crops'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoRoom, generateLayout } from '../../../../src/demo-room/demo-room';
import { demoRoomQueries } from '../../../../src/demo-room/queries';
import { loadNodeClipModel } from '../../../../src/hosts/node/model-spec';
import type { ClipEncoder } from '../../../../src/pipeline/clip/types';
import { extractFeatures } from '../../../../src/pipeline/features/extract';
import { encodeFeatureField } from '../../../../src/pipeline/features/feature-field';
import { sceneNormalisation } from '../../../../src/pipeline/features/voxel-tokens';
import { boxIoU } from '../../../../src/pipeline/query/iou';
import { sceneObjects } from '../../../../src/pipeline/query/scene-objects';
import { queryByText } from '../../../../src/pipeline/query/text-query';
import { inferUp } from '../../../../src/pipeline/session/scene-summary';

let encoder: ClipEncoder;
beforeAll(async () => {
  encoder = (await loadNodeClipModel('offline')).encoder;
});
afterAll(() => encoder?.dispose());

async function ground(seed: number, features: 'dense' | 'crops') {
  const scene = generateDemoRoom({ layout: 'demo', seed });
  const queries = demoRoomQueries(generateLayout('demo', seed)).queries;
  const result = await extractFeatures(scene, encoder, { features, detail: 'coarse' });
  const field = encodeFeatureField(result.features, result.count, result.dim, result.viewCounts);
  const query = {
    field,
    positions: result.positions,
    normalisation: sceneNormalisation(result.positions),
    objects: sceneObjects(scene.cloud!, inferUp(scene)),
  };
  const ious: number[] = [];
  for (const q of queries) {
    const r = await queryByText(query, encoder, q.text);
    const gt = scene.objects!.find((o) => o.id === q.targetId)!;
    ious.push(r.boxes[0] ? boxIoU(r.boxes[0], gt.aabb) : 0);
  }
  return { ious, stats: result.stats };
}

describe('dense features vs crop tiles (offline encoder, demo rooms)', () => {
  it('grounds as well as crops with ≤ 6 encoder calls per view (seeds 4 and 5)', async () => {
    for (const seed of [4, 5]) {
      const dense = await ground(seed, 'dense');
      const crops = await ground(seed, 'crops');
      expect(dense.stats.featureSource).toBe('dense');
      expect(crops.stats.featureSource).toBe('crops');
      expect(dense.stats.crops / dense.stats.views).toBeLessThanOrEqual(6);
      // Even the coarse tiling costs several times the dense windows.
      expect(crops.stats.crops).toBeGreaterThan(4 * dense.stats.crops);
      const acc = (ious: number[]) => ious.filter((v) => v >= 0.25).length / ious.length;
      const report = `seed ${seed}: dense ${dense.ious.map((v) => v.toFixed(2))}, crops ${crops.ious.map((v) => v.toFixed(2))}`;
      console.log(report);
      expect(acc(dense.ious), report).toBeGreaterThanOrEqual(0.9);
      const worse = dense.ious.filter((v, i) => v < 0.25 && crops.ious[i] >= 0.25).length;
      expect(worse, report).toBeLessThanOrEqual(1);
    }
  }, 600_000);
});
