/** The figures an extraction reports about itself, and the warning when nothing was seen. */
import type { FusedPoints } from './fuse-views';
import type { FeatureSource } from './options';
import type { ExtractResult } from './types';

export function collectStats(
  views: number,
  crops: number,
  source: { featureSource: FeatureSource; denseMethod?: string },
  fusionDim: number,
  fused: FusedPoints,
  warnings: string[],
): ExtractResult['stats'] {
  let seenPoints = 0;
  for (let i = 0; i < fused.viewCounts.length; i++) if (fused.viewCounts[i] > 0) seenPoints++;
  if (seenPoints === 0)
    warnings.push('no point was seen by any view (check poses, intrinsics and depth scale)');
  return {
    views,
    crops,
    featureSource: source.featureSource,
    ...(source.denseMethod !== undefined ? { denseMethod: source.denseMethod } : {}),
    seenPoints,
    pointViewsTested: fused.pointViewsTested,
    pointViewsPassed: fused.pointViewsPassed,
    fusionDim,
    fusionMinCellCosine: fused.minCellCosine,
  };
}
