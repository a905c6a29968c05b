/**
 * Demo-room coverage of a segmentation: per GT object, the best box IoU of any proposal (any
 * level), and which structure kinds came out. Shared by the tests and the bench.
 */
import { boxIoU } from '../../../src/pipeline/query/iou';
import type { GtObject } from '../../../src/pipeline/scene/types';
import type { SceneSegmentation } from '../../../src/pipeline/segment/types';

export interface ObjectCoverage {
  label: string;
  bestIoU: number;
  bestProposal: number;
}

export function proposalBox(seg: SceneSegmentation, p: number) {
  const b = seg.bounds;
  return {
    min: [b[p * 6], b[p * 6 + 1], b[p * 6 + 2]],
    max: [b[p * 6 + 3], b[p * 6 + 4], b[p * 6 + 5]],
  };
}

export function objectCoverage(seg: SceneSegmentation, objects: GtObject[]): ObjectCoverage[] {
  return objects.map((o) => {
    let bestIoU = 0;
    let bestProposal = -1;
    for (let p = 0; p < seg.proposalCount; p++) {
      const iou = boxIoU(proposalBox(seg, p), o.aabb);
      if (iou > bestIoU) [bestIoU, bestProposal] = [iou, p];
    }
    return { label: o.label, bestIoU, bestProposal };
  });
}
