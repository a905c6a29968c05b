/**
 * OpenScene's fused 2D features both ways. OpenScene saves, per ScanNet scene,
 * `torch.save({"feat": float16 [K, D], "mask_full": bool [N]}, "<scene>_<n>.pt")`: N is the
 * vertex count of `<scene>_vh_clean_2.ply` in its vertex order (OpenScene's coordinates are the
 * raw, unaligned ones; our ScanNet reader applies `axisAlignment` to the positions but keeps the
 * order, so the rows line up either way), `feat` holds the K seen vertices in that order.
 * D = 512 for LSeg (CLIP ViT-B/32's text space), 768 for OpenSeg.
 */
import { UnsupportedError, ParseError } from '../errors';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../io/npy';
import { isDict, isTensor, pyDict, tensor, type TorchTensor } from '../io/torch/tensor';
import { readTorchFile, writeTorchFile } from '../io/torch/torch-file';
import type { FeatureBundle, FeatureBundleMeta } from './bundle';
import { encodeFeatureField } from './feature-field';
import { sceneNormalisation } from './voxel-tokens';

/** What the text encoder must be for features of width D (the 2D model OpenScene fused). */
export function openSceneTextSpace(dim: number): string {
  if (dim === 512)
    return 'LSeg (CLIP ViT-B/32 text space: query with CLIP ViT-B/32, e.g. hub:Xenova/clip-vit-base-patch32)';
  if (dim === 768)
    return 'OpenSeg (ALIGN/CLIP ViT-L/14-like 768-d text space; no bundled text encoder matches)';
  return `an unknown ${dim}-d 2D model`;
}

export interface OpenSceneFeatures {
  dim: number;
  /** N×D float32, zero rows for unseen points. */
  features: Float32Array;
  /** 1 for seen points (mask_full), 0 otherwise. */
  viewCounts: Uint16Array;
  seen: number;
}

/** `<scene>_<n>.pt` (OpenScene's file name for fused-feature file n of a scene). */
export function openSceneFileName(sceneId: string, index = 0): string {
  if (!/^[A-Za-z0-9._-]{1,120}$/.test(sceneId)) {
    throw new UnsupportedError(
      `scene id ${JSON.stringify(sceneId.slice(0, 80))} is not a plain file name`,
    );
  }
  if (!(Number.isInteger(index) && index >= 0))
    throw new UnsupportedError(`file index must be a non-negative integer, got ${index}`);
  return `${sceneId}_${index}.pt`;
}

/** The OpenScene file of a bundle: feat (float16, seen points in order) and mask_full. */
export function writeOpenSceneFeatures(
  bundle: Pick<FeatureBundle, 'features' | 'viewCounts'>,
  dim: number,
): Uint8Array {
  const n = bundle.viewCounts.length;
  if (bundle.features.length !== n * dim) {
    throw new UnsupportedError(
      `${n} points need ${n * dim} feature values, got ${bundle.features.length}`,
    );
  }
  const mask = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (bundle.viewCounts[i] > 0) {
      mask[i] = 1;
      k++;
    }
  }
  const feat = new Uint16Array(k * dim);
  let row = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    for (let d = 0; d < dim; d++)
      feat[row * dim + d] = float32ToFloat16Bits(bundle.features[i * dim + d]);
    row++;
  }
  return writeTorchFile(
    pyDict({ feat: tensor('float16', [k, dim], feat), mask_full: tensor('bool', [n], mask) }),
  );
}

function entry(root: ReturnType<typeof readTorchFile>, key: string, file: string): TorchTensor {
  const v = isDict(root) ? root.entries.get(key) : undefined;
  if (!isTensor(v)) {
    throw new ParseError(
      { file, byteOffset: 0 },
      `not an OpenScene feature file: no '${key}' tensor in a dict`,
    );
  }
  return v;
}

/** Reads an OpenScene `.pt` over a cloud of `pointCount` points (the mesh's vertices). */
export function readOpenSceneFeatures(
  bytes: Uint8Array,
  file: string,
  pointCount: number,
): OpenSceneFeatures {
  const root = readTorchFile(bytes, file);
  const feat = entry(root, 'feat', file);
  const mask = entry(root, 'mask_full', file);
  if (mask.shape.length !== 1 || (mask.dtype !== 'bool' && mask.dtype !== 'uint8')) {
    throw new UnsupportedError(
      `${file}: mask_full is ${mask.dtype} [${mask.shape.join(', ')}], expected bool [N]`,
    );
  }
  if (mask.shape[0] !== pointCount) {
    throw new UnsupportedError(
      `${file}: mask_full covers ${mask.shape[0]} points but the mesh has ${pointCount} vertices (is it this scene's _vh_clean_2.ply?)`,
    );
  }
  const m = mask.data as Uint8Array;
  let seen = 0;
  for (let i = 0; i < pointCount; i++) if (m[i]) seen++;
  if (feat.shape.length !== 2 || (feat.dtype !== 'float16' && feat.dtype !== 'float32')) {
    throw new UnsupportedError(
      `${file}: feat is ${feat.dtype} [${feat.shape.join(', ')}], expected float16 [K, D]`,
    );
  }
  const [k, dim] = feat.shape;
  if (k !== seen) {
    throw new UnsupportedError(
      `${file}: feat has ${k} rows but mask_full marks ${seen} points as seen`,
    );
  }
  if (dim === 0) throw new UnsupportedError(`${file}: feat has no channels`);
  const features = new Float32Array(pointCount * dim);
  const viewCounts = new Uint16Array(pointCount);
  const src = feat.data;
  let row = 0;
  for (let i = 0; i < pointCount; i++) {
    if (!m[i]) continue;
    viewCounts[i] = 1;
    for (let d = 0; d < dim; d++) {
      const v = src[row * dim + d] as number;
      features[i * dim + d] = feat.dtype === 'float16' ? float16BitsToFloat32(v) : v;
    }
    row++;
  }
  return { dim, features, viewCounts, seen };
}

export const OPENSCENE_MODEL_ID = 'openscene-import';

/** A feature bundle over a scene's cloud whose features are an OpenScene file's. */
export function openSceneBundle(
  sceneName: string,
  cloud: { positions: Float32Array; colors?: Uint8Array },
  imported: OpenSceneFeatures,
  sourceFile: string,
): FeatureBundle {
  const n = cloud.positions.length / 3;
  const field = encodeFeatureField(imported.features, n, imported.dim, imported.viewCounts);
  const meta = {
    format: 'scene3d-llm-feature-bundle',
    formatVersion: 1,
    scene: sceneName,
    model: { id: OPENSCENE_MODEL_ID, dim: imported.dim },
    options: {},
    counts: { points: n, seenPoints: imported.seen, views: 0, crops: 0 },
    frames: [],
    normalisation: sceneNormalisation(cloud.positions),
    featuresDtype: '<f2',
    field: { ...field.stats, file: sourceFile, bytesPerPoint: field.bytesPerPoint },
    stats: { views: 0, crops: 0, seenPoints: imported.seen },
    importedFrom: {
      format: 'openscene',
      file: sourceFile,
      textSpace: openSceneTextSpace(imported.dim),
    },
  } as unknown as FeatureBundleMeta;
  return {
    meta,
    positions: cloud.positions,
    colors: cloud.colors ?? new Uint8Array(n * 3).fill(128),
    viewCounts: imported.viewCounts,
    features: imported.features,
    field,
  };
}
