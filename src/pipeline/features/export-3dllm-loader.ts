/**
 * The 3D-LLM export in the layout its released loader reads (3DLLM_BLIP2-base,
 * lavis/datasets/datasets/threedvqa_datasets.py and inference.py):
 *   voxelized_features_sam_nonzero_preprocess/<scene>.pt   torch.save of a float32 [N, D] tensor
 *   voxelized_voxels_sam_nonzero_preprocess/<scene>.npy    N×3 voxel indices (0..255)
 * with N ≤ 5,000 (the loader keeps at most 5,000 rows) and the features WITHOUT the position
 * embedding (the model adds 0.01·PE to them itself). The metadata states the location-token bin
 * count, the normalisation and the encode/decode rule, which no released 3D-LLM code fixes.
 */
import { DEFAULT_LOCATION_BINS } from '../../tokens/location-tokens';
import { FEATURE_DEFAULTS } from '../defaults';
import { UnsupportedError } from '../errors';
import { writeNpy } from '../io/npy';
import { tensor } from '../io/torch/tensor';
import { writeTorchFile } from '../io/torch/torch-file';
import type { FeatureBundle } from './bundle';
import { voxelTokens } from './voxel-tokens';

export const LLM3D_FEATURE_DIR = 'voxelized_features_sam_nonzero_preprocess';
export const LLM3D_VOXEL_DIR = 'voxelized_voxels_sam_nonzero_preprocess';
/** The loader keeps at most this many rows (and zero-pads shorter scenes to it). */
export const LLM3D_MAX_ROWS = 5000;
/** The width the released checkpoints (EVA-ViT-g token means) and the loader's padding expect. */
export const LLM3D_FEATURE_DIM = 1408;
export const LLM3D_LAYOUT_META = '3dllm_layout.json';

export interface Llm3dLoaderOptions {
  /** The file name stem (3D-LLM's scene_id); default: the bundle's scene name. */
  sceneId?: string;
  maxVoxels?: number;
  seed?: number;
}

/** A scene id usable as a file name on every OS (what 3D-LLM's annotations would name). */
export function llm3dSceneId(name: string): string {
  const id = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 120);
  if (!id)
    throw new UnsupportedError(`scene name ${JSON.stringify(name)} gives no usable scene id`);
  return id;
}

/** Path → bytes of the loader layout (plus its metadata file). */
export function write3dLlmLoaderLayout(
  bundle: Pick<FeatureBundle, 'meta' | 'positions' | 'features' | 'viewCounts'>,
  options: Llm3dLoaderOptions = {},
): { files: Map<string, Uint8Array>; meta: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const asked = options.maxVoxels ?? FEATURE_DEFAULTS.maxVoxels;
  const maxVoxels = Math.min(asked, LLM3D_MAX_ROWS);
  if (asked > LLM3D_MAX_ROWS) {
    warnings.push(
      `${LLM3D_FEATURE_DIR}/ holds at most ${LLM3D_MAX_ROWS} voxels (the rows 3D-LLM's loader keeps), not ${asked}`,
    );
  }
  const sceneId = llm3dSceneId(options.sceneId ?? bundle.meta.scene);
  const dim = bundle.meta.model.dim;
  const tokens = voxelTokens(bundle.positions, bundle.features, dim, bundle.viewCounts, {
    maxVoxels,
    seed: options.seed,
    normalisation: bundle.meta.normalisation,
  });
  const n = tokens.voxels.length / 3;
  if (dim !== LLM3D_FEATURE_DIM) {
    warnings.push(
      `features are ${dim}-d; 3D-LLM's checkpoints and its dataset's zero padding expect ${LLM3D_FEATURE_DIM}-d (EVA-ViT-g): use a vision-only encoder with ${LLM3D_FEATURE_DIM} outputs to drive them`,
    );
  }
  const featurePath = `${LLM3D_FEATURE_DIR}/${sceneId}.pt`;
  const voxelPath = `${LLM3D_VOXEL_DIR}/${sceneId}.npy`;
  const bins = DEFAULT_LOCATION_BINS;
  const meta = {
    format: '3d-llm-loader-layout',
    formatVersion: 1,
    sceneId,
    files: { features: featurePath, voxels: voxelPath },
    rows: n,
    maxRows: LLM3D_MAX_ROWS,
    featureDim: dim,
    featureDtype: 'float32',
    voxelDtype: 'int32',
    positionEmbedding: 'not added: the model adds 0.01·PE(voxels) to the features itself',
    model: bundle.meta.model,
    normalisation: {
      convention:
        'centroid/radius: c = mean of the scene points, r = largest distance to c (metres)',
      ...tokens.normalisation,
    },
    voxelRule: 'v = clamp(int((p - c) / r * 128 + 128), 0, 255) per axis (int truncates toward 0)',
    locationTokens: {
      bins,
      spelling: `<loc0> … <loc${bins - 1}>, six per box: xmin ymin zmin xmax ymax zmax`,
      encode: `bin = clamp(floor((x - c) / r * ${bins / 2} + ${bins / 2}), 0, ${bins - 1})`,
      decode: `x = c + (bin + 0.5 - ${bins / 2}) * r / ${bins / 2} (the bin's centre)`,
    },
    warnings,
  };
  const files = new Map<string, Uint8Array>();
  files.set(featurePath, writeTorchFile(tensor('float32', [n, dim], tokens.features)));
  files.set(voxelPath, writeNpy(tokens.voxels, [n, 3], '<i4'));
  files.set(LLM3D_LAYOUT_META, new TextEncoder().encode(JSON.stringify(meta, null, 2) + '\n'));
  return { files, meta, warnings };
}
