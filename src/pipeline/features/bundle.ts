/**
 * The feature bundle directory (our own format; numpy reads its .npy files):
 *   meta.json, points.npy (N×3 f4), colors.npy (N×3 u1), view_counts.npy (N u2),
 *   features.npy (N×D f2 or f4), features.field (the compact field, feature-field.ts);
 * and our 3D-LLM token export: voxels.npy (M×3 i4), voxel_features.npy (M×D f4),
 *   voxel_features_pe.npy (M×D f4, feature + weight·PE — never feed this to 3D-LLM, whose model
 *   adds 0.01·PE itself), meta.json. 3D-LLM and OpenScene load their inputs with torch.load: the
 *   files their code reads are written by export-3dllm-loader.ts and openscene/.
 * Writers are pure (path → bytes); the CLI writes them to disk and the viewer downloads them.
 */
import { FEATURE_DEFAULTS } from '../defaults';
import { MissingFileError, ParseError, UnsupportedError } from '../errors';
import type { FileSource } from '../io/file-source';
import { parseJsonBytes } from '../io/safe-json';
import { requireFiniteArray, validateFeatureBundleMeta } from './bundle-meta';
import { fromFloat16Array, readNpy, toFloat16Array, writeNpy, type NpyArray } from '../io/npy';
import type { ExtractOptions, ExtractResult } from './extract';
import {
  deserialiseFeatureField,
  serialiseFeatureField,
  type FeatureFieldStats,
  type PcaQ8FeatureField,
} from './feature-field';
import { addPositionEmbedding } from './position-embedding';
import { sceneNormalisation, voxelTokens, type SceneNormalisation } from './voxel-tokens';

export const FEATURE_BUNDLE_FORMAT = 'scene3d-llm-feature-bundle';
export const FEATURE_BUNDLE_VERSION = 1;

export interface FeatureBundleMeta {
  format: typeof FEATURE_BUNDLE_FORMAT;
  formatVersion: number;
  scene: string;
  sceneHash?: string;
  model: { id: string; dim: number };
  options: ExtractOptions;
  counts: { points: number; seenPoints: number; views: number; crops: number };
  frames: number[];
  /** 3D-LLM normalisation: centroid and largest distance to it (metres). */
  normalisation: SceneNormalisation;
  featuresDtype: '<f2' | '<f4';
  field: FeatureFieldStats & { file: string; bytesPerPoint: number };
  stats: ExtractResult['stats'];
}

export interface FeatureBundle {
  meta: FeatureBundleMeta;
  positions: Float32Array;
  colors: Uint8Array;
  viewCounts: Uint16Array;
  features: Float32Array;
  field: PcaQ8FeatureField;
}

export interface WriteBundleOptions {
  featuresDtype?: '<f2' | '<f4';
  sceneHash?: string;
}

/** The feature bundle's meta.json content and its files (path → bytes), built once. */
export function encodeFeatureBundle(
  result: ExtractResult,
  field: PcaQ8FeatureField,
  options: WriteBundleOptions = {},
): { meta: FeatureBundleMeta; files: Map<string, Uint8Array> } {
  const dtype = options.featuresDtype ?? FEATURE_DEFAULTS.featuresDtype;
  const n = result.count;
  const meta: FeatureBundleMeta = {
    format: FEATURE_BUNDLE_FORMAT,
    formatVersion: FEATURE_BUNDLE_VERSION,
    scene: result.sceneName,
    sceneHash: options.sceneHash,
    model: { id: result.modelId, dim: result.dim },
    options: result.options,
    counts: {
      points: n,
      seenPoints: result.stats.seenPoints,
      views: result.stats.views,
      crops: result.stats.crops,
    },
    frames: result.frames,
    normalisation: sceneNormalisation(result.positions),
    featuresDtype: dtype,
    field: { ...field.stats, file: 'features.field', bytesPerPoint: field.bytesPerPoint },
    stats: result.stats,
  };
  const files = new Map<string, Uint8Array>();
  files.set('meta.json', new TextEncoder().encode(JSON.stringify(meta, null, 2) + '\n'));
  files.set('points.npy', writeNpy(result.positions, [n, 3], '<f4'));
  files.set('colors.npy', writeNpy(result.colors, [n, 3], '|u1'));
  files.set('view_counts.npy', writeNpy(result.viewCounts, [n], '<u2'));
  files.set(
    'features.npy',
    dtype === '<f2'
      ? writeNpy(toFloat16Array(result.features), [n, result.dim], '<f2')
      : writeNpy(result.features, [n, result.dim], '<f4'),
  );
  files.set('features.field', serialiseFeatureField(field));
  return { meta, files };
}

/** Path → bytes for the feature bundle. */
export function writeFeatureBundle(
  result: ExtractResult,
  field: PcaQ8FeatureField,
  options: WriteBundleOptions = {},
): Map<string, Uint8Array> {
  return encodeFeatureBundle(result, field, options).files;
}

async function readFile(source: FileSource, path: string): Promise<Uint8Array> {
  if (!(await source.exists(path)))
    throw new MissingFileError(`${source.name}/${path}`, 'feature bundle file not found');
  return source.read(path);
}

function expectShape(a: NpyArray, shape: number[], file: string): void {
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
    throw new ParseError(
      { file, byteOffset: 0 },
      `shape [${a.shape.join(', ')}], expected [${shape.join(', ')}]`,
    );
  }
}

/** Reads a bundle written by writeFeatureBundle (features.npy as float32 either way). */
export async function readFeatureBundle(source: FileSource): Promise<FeatureBundle> {
  const metaFile = `${source.name}/meta.json`;
  // Size- and depth-limited; syntax errors carry the line and column.
  const meta = parseJsonBytes(await readFile(source, 'meta.json'), metaFile) as FeatureBundleMeta;
  if (typeof meta !== 'object' || meta === null || meta.format !== FEATURE_BUNDLE_FORMAT)
    throw new ParseError({ file: metaFile, line: 1 }, 'not a feature bundle');
  if (meta.formatVersion !== FEATURE_BUNDLE_VERSION) {
    throw new UnsupportedError(
      `${metaFile}: feature bundle version ${String(meta.formatVersion).slice(0, 20)} is not supported`,
    );
  }
  validateFeatureBundleMeta(meta as unknown as Record<string, unknown>, metaFile);
  const n = meta.counts.points;
  const dim = meta.model.dim;
  const load = async (name: string) =>
    readNpy(await readFile(source, name), `${source.name}/${name}`);
  const points = await load('points.npy');
  expectShape(points, [n, 3], 'points.npy');
  const colors = await load('colors.npy');
  expectShape(colors, [n, 3], 'colors.npy');
  const counts = await load('view_counts.npy');
  expectShape(counts, [n], 'view_counts.npy');
  const feats = await load('features.npy');
  expectShape(feats, [n, dim], 'features.npy');
  const field = deserialiseFeatureField(
    await readFile(source, 'features.field'),
    `${source.name}/features.field`,
  );
  if (field.count !== n || field.dim !== dim) {
    throw new ParseError(
      { file: `${source.name}/features.field`, byteOffset: 8 },
      `field is ${field.count}×${field.dim}, bundle ${n}×${dim}`,
    );
  }
  if (points.dtype !== '<f4' || colors.dtype !== '|u1' || counts.dtype !== '<u2') {
    throw new UnsupportedError(`${source.name}: unexpected dtypes in points/colors/view_counts`);
  }
  const features =
    feats.dtype === '<f2'
      ? fromFloat16Array(feats.data as Uint16Array)
      : feats.dtype === '<f4'
        ? (feats.data as Float32Array)
        : undefined;
  if (!features)
    throw new UnsupportedError(
      `${source.name}/features.npy: dtype ${feats.dtype} (expected <f2 or <f4)`,
    );
  if (feats.dtype !== meta.featuresDtype) {
    throw new ParseError(
      { file: `${source.name}/features.npy`, byteOffset: 0 },
      `dtype ${feats.dtype}, but meta.json says ${meta.featuresDtype}`,
    );
  }
  // NaN or ±Inf would poison scores, voxel means and the export without any error.
  requireFiniteArray(
    points.data as Float32Array,
    `${source.name}/points.npy`,
    points.dataOffset ?? 0,
    4,
    'point coordinate',
  );
  requireFiniteArray(
    features,
    `${source.name}/features.npy`,
    feats.dataOffset ?? 0,
    feats.dtype === '<f2' ? 2 : 4,
    'feature',
  );
  return {
    meta,
    positions: points.data as Float32Array,
    colors: colors.data as Uint8Array,
    viewCounts: counts.data as Uint16Array,
    features,
    field,
  };
}

export interface Export3dLlmOptions {
  peWeight?: number;
  maxVoxels?: number;
  seed?: number;
}

/** Path → bytes for the 3D-LLM export of a bundle. */
export function write3dLlmExport(
  bundle: Pick<FeatureBundle, 'meta' | 'positions' | 'features' | 'viewCounts'>,
  options: Export3dLlmOptions = {},
): Map<string, Uint8Array> {
  const peWeight = options.peWeight ?? FEATURE_DEFAULTS.peWeight;
  if (!Number.isFinite(peWeight))
    throw new UnsupportedError(`pe weight must be a finite number, got ${peWeight}`);
  const dim = bundle.meta.model.dim;
  const tokens = voxelTokens(bundle.positions, bundle.features, dim, bundle.viewCounts, {
    maxVoxels: options.maxVoxels,
    seed: options.seed,
    normalisation: bundle.meta.normalisation,
  });
  const m = tokens.voxels.length / 3;
  const withPe = addPositionEmbedding(tokens.features, tokens.voxels, dim, peWeight);
  const meta = {
    format: '3d-llm-scene-tokens',
    formatVersion: 1,
    scene: bundle.meta.scene,
    model: bundle.meta.model,
    normalisation: tokens.normalisation,
    voxelRule: 'int(((p - centroid) / radius) * 128 + 128) clamped to 0..255 per axis',
    voxels: m,
    occupiedVoxels: tokens.occupied,
    maxVoxels: options.maxVoxels ?? FEATURE_DEFAULTS.maxVoxels,
    seed: options.seed ?? FEATURE_DEFAULTS.voxelSampleSeed,
    peWeight,
    positionEmbedding:
      'per axis floor(D/3) interleaved sin/cos channels (PositionalEncoding1D), concat x,y,z, zero-padded to D',
  };
  const files = new Map<string, Uint8Array>();
  files.set('meta.json', new TextEncoder().encode(JSON.stringify(meta, null, 2) + '\n'));
  files.set('voxels.npy', writeNpy(tokens.voxels, [m, 3], '<i4'));
  files.set('voxel_features.npy', writeNpy(tokens.features, [m, dim], '<f4'));
  files.set('voxel_features_pe.npy', writeNpy(withPe, [m, dim], '<f4'));
  return files;
}
