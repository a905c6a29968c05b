/**
 * Scores → grounded boxes on the scene's objects (segmentation proposals): the default whenever
 * a segmentation is at hand. The automatic threshold is still reported, for the heatmap legend.
 */
import { QUERY_DEFAULTS } from '../defaults';
import { encodeBoxToTokens, type SceneNormalisation } from '../../tokens/location-tokens';
import {
  groundProposals,
  type ProposalGroundingOptions,
  type ProposalIndex,
} from './proposal-grounding';
import { autoThreshold } from './threshold';
import type { GroundedBox, GroundingResult } from './types';

export interface ObjectGroundingOptions extends Partial<ProposalGroundingOptions> {
  /** Reported threshold: a fixed one, or the automatic rule with these parameters (defaults: QUERY_DEFAULTS). */
  threshold?: number;
  thresholdFraction?: number;
  thresholdHighQuantile?: number;
  locationBins?: number;
  normalisation?: SceneNormalisation;
}

export function groundScoresOnObjects(
  scores: Float32Array,
  index: ProposalIndex,
  options: ObjectGroundingOptions,
): GroundingResult {
  const threshold =
    options.threshold ??
    autoThreshold(scores, {
      fraction: options.thresholdFraction ?? QUERY_DEFAULTS.thresholdFraction,
      highQuantile: options.thresholdHighQuantile ?? QUERY_DEFAULTS.thresholdHighQuantile,
      logistic: options.logistic,
    });
  let selectedCount = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold) selectedCount++;
  const grounding = groundProposals(scores, index, options);
  const boxes: GroundedBox[] = grounding.boxes.map((b, i) => ({
    rank: i + 1,
    min: b.min,
    max: b.max,
    score: b.score,
    pointCount: b.pointCount,
    objectId: b.proposal,
    level: b.level,
    separation: b.separation,
    ...(options.normalisation
      ? {
          tokens: encodeBoxToTokens(
            b,
            options.normalisation,
            options.locationBins ?? QUERY_DEFAULTS.locationBins,
          ),
        }
      : {}),
  }));
  return {
    scores,
    threshold,
    selectedCount,
    clusterVoxelSize: index.segmentation.voxelSize ?? 0,
    boxes,
    confident: grounding.confident,
    ...(grounding.reason ? { reason: grounding.reason } : {}),
  };
}
