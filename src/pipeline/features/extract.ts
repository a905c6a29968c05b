/**
 * extractFeatures: the whole feature pipeline for one scene and one CLIP encoder, as a
 * composition of steps in ./extraction/:
 *   1. plan: the scene's cloud (reconstructed from the frames when it has none), the memory
 *      budget, the views (every `frameStride`-th frame with a finite pose);
 *   2. encode: per view, dense patch features from 224-px windows (one pass each, when the
 *      model has them) or the global and multi-scale crop embeddings, combined into per-crop
 *      features f_i;
 *   3. fuse: per view, its low-res feature map onto the points with OpenScene's rules (in a
 *      per-scene basis when D > fusionMaxDim);
 *   4. collect the stats.
 *
 * Results are plain typed arrays (transferable with Comlink.transfer).
 */
import type { ClipEncoder } from '../clip/types';
import type { Scene } from '../scene/types';
import { clipCropPreprocessor } from './crop-preprocess';
import { stopwatch } from './extraction/clock';
import { collectStats } from './extraction/collect-stats';
import { encodeViews } from './extraction/encode-crops';
import { encodeDenseViews } from './extraction/encode-dense';
import { fuseViews } from './extraction/fuse-views';
import { resolveExtractOptions, type ExtractRequest } from './extraction/options';
import { checkFusionBudget, planViews, sceneCloud } from './extraction/plan-views';
import type { ExtractResult, ExtractWork } from './extraction/types';

export {
  FEATURE_SOURCES,
  resolveExtractOptions,
  type FeatureSource,
  type ExtractOptions,
  type ExtractRequest,
} from './extraction/options';
export type { CropPreprocessor, ExtractResult, ExtractWork } from './extraction/types';

export async function extractFeatures(
  scene: Scene,
  encoder: ClipEncoder,
  partialOptions: ExtractRequest,
  work: ExtractWork = {},
): Promise<ExtractResult> {
  const options = resolveExtractOptions(partialOptions);
  const preprocess = work.preprocess ?? clipCropPreprocessor();
  const warnings: string[] = [];
  const lap = stopwatch();

  const cloud = await sceneCloud(scene, work);
  const count = cloud.positions.length / 3;
  const D = encoder.dim;
  const fusionDim = Math.min(D, options.fusionMaxDim);
  checkFusionBudget(scene.name, count, D, fusionDim, options.maxAccumulatorBytes);
  const frames = planViews(scene, options.frameStride, warnings);
  const loadS = lap();

  const dense = options.features === 'dense' ? encoder.dense : undefined;
  if (options.features === 'dense' && !dense) {
    warnings.push(
      `${encoder.modelId} has no dense features (${encoder.denseUnavailable ?? 'not a ViT the pipeline can rewrite'}): using crops`,
    );
  }
  const { encoded, crops } = dense
    ? await encodeDenseViews(frames, dense, options, work, warnings).then((r) => ({
        encoded: r.encoded,
        crops: r.windows,
      }))
    : await encodeViews(frames, encoder, options, preprocess, work, warnings);
  const encodeS = lap();

  const fused = await fuseViews(cloud.positions, encoded, D, fusionDim, options, work, warnings);
  const fuseS = lap();

  return {
    sceneName: scene.name,
    modelId: encoder.modelId,
    dim: D,
    count,
    positions: cloud.positions,
    colors: cloud.colors,
    features: fused.features,
    viewCounts: fused.viewCounts,
    frames: frames.map((f) => f.index),
    // As requested (the cache key); the source actually used is stats.featureSource.
    options,
    stats: collectStats(
      frames.length,
      crops,
      { featureSource: dense ? 'dense' : 'crops', denseMethod: dense?.method },
      fusionDim,
      fused,
      warnings,
    ),
    timings: { loadS, encodeS, fuseS },
    warnings,
  };
}
