/** The types extractFeatures' steps share, and its public result and work options. */
import type { WorkOptions } from '../../progress';
import type { Intrinsics, RgbImage, RgbdFrame } from '../../scene/types';
import type { FeatureMap } from '../fusion';
import type { CropRect } from '../pixel-features';
import type { ExtractOptions, FeatureSource } from './options';

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
    /** Images the encoder ran on: crops (globals included) or dense windows. */
    crops: number;
    /** Where the per-view features came from (dense: one-pass patch features). */
    featureSource: FeatureSource;
    /** The dense last-block rewrite, when featureSource is 'dense'. */
    denseMethod?: string;
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

/** One view after encoding: what fusion needs from it. */
export interface EncodedView {
  frame: RgbdFrame;
  colorIntrinsics: Intrinsics;
  /** n×D unit vectors the view's feature map is made of: per-crop f_i or per-patch features. */
  features: Float32Array;
  /** The view's feature map from `features`, projected onto fusion's basis when given. */
  buildMap(basis?: { rows: Float32Array; count: number }): FeatureMap;
}
