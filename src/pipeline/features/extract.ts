/**
 * extractFeatures: the whole feature pipeline for one scene and one CLIP encoder.
 *   1. the scene's cloud (reconstructed from the frames when it has none);
 *   2. encode: per view (every `frameStride`-th frame) the global embedding and the multi-scale
 *      crop embeddings, combined into per-crop features f_i (pixel-features.ts);
 *   3. fuse: per view, its low-res feature map is fused onto the points with OpenScene's rules.
 * When D > fusionMaxDim the per-point sums are kept in the span of the top components of all
 * the views' crop features (a per-scene basis), and the per-cell fidelity of that projection is
 * measured and returned; otherwise fusion is exact in D.
 *
 * Results are plain typed arrays (transferable with Comlink.transfer).
 */
import { FEATURE_DEFAULTS, FEATURE_DETAIL_PRESETS, type FeatureDetail } from '../defaults';
import { BudgetError, UnsupportedError, throwIfAborted } from '../errors';
import { scaleIntrinsics } from '../geometry/camera';
import { isFiniteMatrix } from '../geometry/mat4';
import { progressTracker, type WorkOptions } from '../progress';
import { ensureCloud } from '../scene/reconstruct';
import type { Intrinsics, RgbImage, RgbdFrame, Scene } from '../scene/types';
import type { ClipEncoder } from '../clip/types';
import { clipCropPreprocessor } from './crop-preprocess';
import { FusionAccumulator, type FusionRules } from './fusion';
import { secondMoment, topEigenvectors } from './pca';
import {
  buildFeatureMap,
  fuseCropEmbeddings,
  planCrops,
  type CropLayout,
  type CropRect,
} from './pixel-features';

export interface ExtractOptions {
  cropScales: readonly number[];
  cropOverlap: number;
  cellFraction: number;
  frameStride: number;
  batchSize: number;
  visibilityThreshold: number;
  /** Border cut in depth pixels; default 10 px scaled to the depth width. */
  borderPx?: number;
  fusionMaxDim: number;
  maxAccumulatorBytes: number;
}

/** What callers pass: any options, plus a crop-tiling preset that explicit options override. */
export type ExtractRequest = Partial<ExtractOptions> & { detail?: FeatureDetail };

export function resolveExtractOptions(input: ExtractRequest = {}): ExtractOptions {
  const { detail, ...options } = input;
  if (detail !== undefined && !Object.hasOwn(FEATURE_DETAIL_PRESETS, detail)) {
    const names = Object.keys(FEATURE_DETAIL_PRESETS).join(', ');
    throw new UnsupportedError(`detail must be one of ${names}, got '${String(detail)}'`);
  }
  const tiling = detail ? FEATURE_DETAIL_PRESETS[detail] : FEATURE_DEFAULTS;
  const o: ExtractOptions = {
    cropScales: tiling.cropScales,
    cropOverlap: tiling.cropOverlap,
    cellFraction: FEATURE_DEFAULTS.cellFraction,
    frameStride: FEATURE_DEFAULTS.frameStride,
    batchSize: FEATURE_DEFAULTS.batchSize,
    visibilityThreshold: FEATURE_DEFAULTS.visibilityThreshold,
    fusionMaxDim: FEATURE_DEFAULTS.fusionMaxDim,
    maxAccumulatorBytes: FEATURE_DEFAULTS.maxAccumulatorBytes,
  };
  for (const [k, v] of Object.entries(options))
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  if (!Number.isInteger(o.frameStride) || o.frameStride < 1) {
    throw new UnsupportedError(`frame stride must be a positive integer, got ${o.frameStride}`);
  }
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new UnsupportedError(`batch size must be a positive integer, got ${o.batchSize}`);
  }
  if (o.cropScales.length < 2) throw new UnsupportedError('at least two crop scales are needed');
  return o;
}

/** CLIP-preprocesses an image or a sub-rectangle into slot `index` of a [B,3,224,224] batch. */
export type CropPreprocessor = (
  out: Float32Array,
  index: number,
  image: RgbImage,
  rect?: CropRect,
) => void;

export interface ExtractResult {
  sceneName: string;
  modelId: string;
  dim: number;
  count: number;
  positions: Float32Array;
  colors: Uint8Array;
  /** N×dim fused features (mean over views; 0 for unseen points). */
  features: Float32Array;
  viewCounts: Uint16Array;
  /** Frame indices used, in order. */
  frames: number[];
  options: ExtractOptions;
  stats: {
    views: number;
    crops: number;
    seenPoints: number;
    pointViewsTested: number;
    pointViewsPassed: number;
    /** Dimension fusion accumulated in (= dim when exact). */
    fusionDim: number;
    /** Smallest cosine between a cell feature and its projection (1 when exact). */
    fusionMinCellCosine: number;
  };
  timings: { loadS: number; encodeS: number; fuseS: number };
  warnings: string[];
}

export interface ExtractWork extends WorkOptions {
  /** Default: CLIP's preprocessing (clip/preprocess). */
  preprocess?: CropPreprocessor;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

interface EncodedView {
  frame: RgbdFrame;
  colorIntrinsics: Intrinsics;
  layout: CropLayout;
  /** tiles×D per-crop features f_i. */
  cropFeatures: Float32Array;
}

function sameSize(a: Intrinsics, w: number, h: number) {
  return a.width === w && a.height === h;
}

export async function extractFeatures(
  scene: Scene,
  encoder: ClipEncoder,
  partialOptions: ExtractRequest,
  work: ExtractWork = {},
): Promise<ExtractResult> {
  const options = resolveExtractOptions(partialOptions);
  const { signal, onProgress } = work;
  const preprocess = work.preprocess ?? clipCropPreprocessor();
  const warnings: string[] = [];
  const t0 = now();
  const cloud = await ensureCloud(scene, { signal, onProgress });
  if (!cloud || cloud.positions.length === 0) {
    throw new UnsupportedError(
      `${scene.name}: no points to put features on (no cloud and no frames)`,
    );
  }
  const count = cloud.positions.length / 3;
  const D = encoder.dim;
  const fusionDim = Math.min(D, options.fusionMaxDim);
  const accBytes = count * fusionDim * 4 + (fusionDim < D ? count * D * 4 : 0);
  if (accBytes > options.maxAccumulatorBytes) {
    throw new BudgetError(
      `${scene.name}: ${count} points × ${D} dims need ${(accBytes / 2 ** 20).toFixed(0)} MiB, over the ` +
        `${(options.maxAccumulatorBytes / 2 ** 20).toFixed(0)} MiB budget; voxel-downsample the cloud first`,
    );
  }
  const frames: RgbdFrame[] = [];
  for (let i = 0; i < scene.frames.length; i += options.frameStride) {
    const f = scene.frames[i];
    if (!isFiniteMatrix(f.cameraToWorld))
      warnings.push(`frame ${f.name}: pose has non-finite values; skipped`);
    else frames.push(f);
  }
  if (frames.length === 0) {
    throw new UnsupportedError(
      `${scene.name}: no usable views (${scene.frames.length} frames, stride ${options.frameStride})`,
    );
  }
  const loadS = (now() - t0) / 1000;

  // 1. Encode.
  const t1 = now();
  const layouts = new Map<string, CropLayout>();
  const encoded: EncodedView[] = [];
  const side = 224;
  const per = 3 * side * side;
  let cropsDone = 0;
  const estimatedCrops =
    frames.length *
    (1 + planCrops(frames[0].intrinsics.width, frames[0].intrinsics.height, options).rects.length);
  for (let v = 0; v < frames.length; v++) {
    throwIfAborted(signal);
    const frame = frames[v];
    const image = await frame.loadColor();
    let colorIntrinsics = frame.intrinsics;
    if (!sameSize(colorIntrinsics, image.width, image.height)) {
      colorIntrinsics = scaleIntrinsics(colorIntrinsics, image.width, image.height);
      if (v === 0 || warnings.length < 20) {
        warnings.push(
          `frame ${frame.name}: colour image is ${image.width}×${image.height} but intrinsics say ` +
            `${frame.intrinsics.width}×${frame.intrinsics.height}; intrinsics scaled`,
        );
      }
    }
    const key = `${image.width}x${image.height}`;
    let layout = layouts.get(key);
    if (!layout) layouts.set(key, (layout = planCrops(image.width, image.height, options)));
    const rects: (CropRect | undefined)[] = [undefined, ...layout.rects];
    const embeddings = new Float32Array(rects.length * D);
    for (let b = 0; b < rects.length; b += options.batchSize) {
      throwIfAborted(signal);
      const batch = Math.min(options.batchSize, rects.length - b);
      const pixels = new Float32Array(batch * per);
      for (let j = 0; j < batch; j++) preprocess(pixels, j, image, rects[b + j]);
      const out = await encoder.embedImages(pixels, batch);
      embeddings.set(out.subarray(0, batch * D), b * D);
      cropsDone += batch;
    }
    const global = embeddings.subarray(0, D);
    const cropFeatures = fuseCropEmbeddings(global, embeddings.subarray(D), D);
    encoded.push({ frame, colorIntrinsics, layout, cropFeatures });
    if (onProgress) {
      const elapsed = (now() - t1) / 1000;
      const rate = elapsed > 0 ? cropsDone / elapsed : undefined;
      onProgress({
        stage: 'encode',
        done: v + 1,
        total: frames.length,
        unit: 'views',
        rate: elapsed > 0 ? (v + 1) / elapsed : undefined,
        etaSeconds: rate ? Math.max(0, (estimatedCrops - cropsDone) / rate) : undefined,
        message: rate ? `${rate.toFixed(1)} crops/s` : undefined,
      });
    }
  }
  const encodeS = (now() - t1) / 1000;

  // 2. Accumulation basis when D is large.
  const t2 = now();
  let basis: { rows: Float32Array; count: number } | undefined;
  if (fusionDim < D) {
    const all = new Float32Array(encoded.reduce((s, e) => s + e.cropFeatures.length, 0));
    let o = 0;
    for (const e of encoded) {
      all.set(e.cropFeatures, o);
      o += e.cropFeatures.length;
    }
    const rows = Uint32Array.from({ length: all.length / D }, (_, i) => i);
    const m = secondMoment(all, rows, D, true);
    basis = { rows: topEigenvectors(m, D, fusionDim, 20).basis, count: fusionDim };
  }

  // 3. Fuse.
  const acc = new FusionAccumulator(
    cloud.positions,
    fusionDim,
    {
      visibilityThreshold: options.visibilityThreshold,
      borderPx: options.borderPx,
    } satisfies FusionRules,
    options.maxAccumulatorBytes,
  );
  let minCellCos = 1;
  const fuseReport = progressTracker('fuse', encoded.length, 'views', onProgress);
  for (let v = 0; v < encoded.length; v++) {
    throwIfAborted(signal);
    const e = encoded[v];
    const depth = await e.frame.loadDepth();
    let depthIntrinsics = e.frame.depthIntrinsics;
    if (!sameSize(depthIntrinsics, depth.width, depth.height)) {
      depthIntrinsics = scaleIntrinsics(depthIntrinsics, depth.width, depth.height);
      if (warnings.length < 40) {
        warnings.push(
          `frame ${e.frame.name}: depth image is ${depth.width}×${depth.height} but its intrinsics say ` +
            `${e.frame.depthIntrinsics.width}×${e.frame.depthIntrinsics.height}; intrinsics scaled`,
        );
      }
    }
    const map = buildFeatureMap(e.layout, e.cropFeatures, D, basis);
    if (basis) {
      for (let c = 0; c < map.cellsX * map.cellsY; c++) {
        let sq = 0;
        for (let k = 0; k < fusionDim; k++) sq += map.features[c * fusionDim + k] ** 2;
        minCellCos = Math.min(minCellCos, Math.sqrt(sq));
      }
    }
    acc.addView({
      name: e.frame.name,
      cameraToWorld: e.frame.cameraToWorld,
      depthIntrinsics,
      colorIntrinsics: e.colorIntrinsics,
      depth,
      featureMap: map,
    });
    fuseReport(v + 1);
  }
  const fused = acc.finish();
  let features = fused;
  if (basis) {
    features = new Float32Array(count * D);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < fusionDim; k++) {
        const c = fused[i * fusionDim + k];
        if (c === 0) continue;
        const row = k * D;
        for (let d = 0; d < D; d++) features[i * D + d] += c * basis.rows[row + d];
      }
    }
  }
  const fuseS = (now() - t2) / 1000;
  let seen = 0;
  for (let i = 0; i < count; i++) if (acc.viewCounts[i] > 0) seen++;
  if (seen === 0)
    warnings.push('no point was seen by any view (check poses, intrinsics and depth scale)');
  return {
    sceneName: scene.name,
    modelId: encoder.modelId,
    dim: D,
    count,
    positions: cloud.positions,
    colors: cloud.colors,
    features,
    viewCounts: acc.viewCounts,
    frames: frames.map((f) => f.index),
    options,
    stats: {
      views: frames.length,
      crops: cropsDone,
      seenPoints: seen,
      pointViewsTested: acc.pointViewsTested,
      pointViewsPassed: acc.pointViewsPassed,
      fusionDim,
      fusionMinCellCosine: minCellCos,
    },
    timings: { loadS, encodeS, fuseS },
    warnings,
  };
}
