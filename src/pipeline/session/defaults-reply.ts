/** The documented defaults, as plain data for hosts' forms (the viewer imports no pipeline code). */
import {
  FEATURE_DEFAULTS,
  FEATURE_DETAIL_PRESETS,
  QUERY_DEFAULTS,
  type FeatureDetail,
} from '../defaults';
import type { PipelineDefaults } from './types';

const DEFAULT_DETAIL: FeatureDetail = 'standard';

export function pipelineDefaults(): PipelineDefaults {
  const presets = {} as PipelineDefaults['extract']['presets'];
  for (const name of Object.keys(FEATURE_DETAIL_PRESETS) as FeatureDetail[]) {
    const p = FEATURE_DETAIL_PRESETS[name];
    presets[name] = { cropScales: [...p.cropScales], cropOverlap: p.cropOverlap };
  }
  return {
    extract: {
      features: FEATURE_DEFAULTS.features,
      detail: DEFAULT_DETAIL,
      frameStride: FEATURE_DEFAULTS.frameStride,
      cropScales: [...FEATURE_DEFAULTS.cropScales],
      cropOverlap: FEATURE_DEFAULTS.cropOverlap,
      presets,
    },
    query: {
      negatives: [...QUERY_DEFAULTS.negatives],
      topK: QUERY_DEFAULTS.topK,
      mode: QUERY_DEFAULTS.scoreMode,
    },
    export: { peWeight: FEATURE_DEFAULTS.peWeight },
  };
}
