/** The scene's objects for grounding: its segmentation (with the scene's up) and a lookup grid. */
import type { WorkOptions } from '../progress';
import type { PointCloud } from '../scene/types';
import { segmentScene } from '../segment/segment-scene';
import type { SegmentOptions } from '../segment/types';
import { ProposalIndex } from './proposal-grounding';

export function sceneObjects(
  cloud: PointCloud,
  up: readonly number[],
  options: Partial<SegmentOptions> = {},
  work: WorkOptions = {},
): ProposalIndex {
  const segmentation = segmentScene(cloud, { ...options, up: options.up ?? up }, work);
  return new ProposalIndex(cloud.positions, segmentation);
}
