/**
 * Encoding: per view, the global embedding and the multi-scale crop embeddings (tiles planned
 * once per image size), combined into per-crop features f_i (pixel-features.ts). Progress per
 * view: views/s, crops/s and an ETA from the estimated crop count.
 */
import type { ClipEncoder } from '../../clip/types';
import { throwIfAborted } from '../../errors';
import type { WorkOptions } from '../../progress';
import type { RgbImage, RgbdFrame } from '../../scene/types';
import {
  buildFeatureMap,
  fuseCropEmbeddings,
  planCrops,
  type CropLayout,
  type CropRect,
} from '../pixel-features';
import { now } from './clock';
import { loadViewColour } from './load-view';
import type { ExtractOptions } from './options';
import type { CropPreprocessor, EncodedView } from './types';

const CLIP_SIDE = 224;
const PIXELS_PER_CROP = 3 * CLIP_SIDE * CLIP_SIDE;

/** Encodes every view in order; returns them with the number of crops (globals included). */
export async function encodeViews(
  frames: RgbdFrame[],
  encoder: ClipEncoder,
  options: ExtractOptions,
  preprocess: CropPreprocessor,
  work: WorkOptions,
  warnings: string[],
): Promise<{ encoded: EncodedView[]; crops: number }> {
  const { signal, onProgress } = work;
  const start = now();
  const layouts = new Map<string, CropLayout>();
  const encoded: EncodedView[] = [];
  let cropsDone = 0;
  const estimatedCrops =
    frames.length *
    (1 + planCrops(frames[0].intrinsics.width, frames[0].intrinsics.height, options).rects.length);
  for (let v = 0; v < frames.length; v++) {
    throwIfAborted(signal);
    const frame = frames[v];
    const { image, colorIntrinsics } = await loadViewColour(frame, v === 0, warnings);
    const key = `${image.width}x${image.height}`;
    let layout = layouts.get(key);
    if (!layout) layouts.set(key, (layout = planCrops(image.width, image.height, options)));
    const cropFeatures = await encodeViewCrops(image, layout, encoder, preprocess, options, signal);
    cropsDone += 1 + layout.rects.length;
    const tiles = layout;
    encoded.push({
      frame,
      colorIntrinsics,
      features: cropFeatures,
      buildMap: (basis) => buildFeatureMap(tiles, cropFeatures, encoder.dim, basis),
    });
    if (onProgress) {
      const elapsed = (now() - start) / 1000;
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
  return { encoded, crops: cropsDone };
}

/** The whole image and every tile in batches of `batchSize`, then the per-crop features f_i. */
async function encodeViewCrops(
  image: RgbImage,
  layout: CropLayout,
  encoder: ClipEncoder,
  preprocess: CropPreprocessor,
  options: ExtractOptions,
  signal: AbortSignal | undefined,
): Promise<Float32Array> {
  const D = encoder.dim;
  const rects: (CropRect | undefined)[] = [undefined, ...layout.rects];
  const embeddings = new Float32Array(rects.length * D);
  for (let b = 0; b < rects.length; b += options.batchSize) {
    throwIfAborted(signal);
    const batch = Math.min(options.batchSize, rects.length - b);
    const pixels = new Float32Array(batch * PIXELS_PER_CROP);
    for (let j = 0; j < batch; j++) preprocess(pixels, j, image, rects[b + j]);
    const out = await encoder.embedImages(pixels, batch);
    embeddings.set(out.subarray(0, batch * D), b * D);
  }
  const global = embeddings.subarray(0, D);
  return fuseCropEmbeddings(global, embeddings.subarray(D), D);
}
