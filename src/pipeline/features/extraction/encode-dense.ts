/**
 * Dense encoding: per view, the 224-px windows of the resized view (features/dense) in batches,
 * one forward pass each, one feature per ViT patch. Progress per view: views/s, windows/s and an
 * ETA. The windows are planned once per image size.
 */
import type { DenseFeatureSource } from '../../clip/dense/types';
import { ClipPreprocessor } from '../../clip/preprocess/clip-preprocess';
import { ModelError, throwIfAborted } from '../../errors';
import type { WorkOptions } from '../../progress';
import type { RgbImage, RgbdFrame } from '../../scene/types';
import { buildDenseFeatureMap } from '../dense/dense-feature-map';
import {
  DENSE_WINDOW_SIDE,
  planDenseWindows,
  windowCount,
  type DenseWindowLayout,
} from '../dense/window-layout';
import { now } from './clock';
import { loadViewColour } from './load-view';
import type { ExtractOptions } from './options';
import type { EncodedView } from './types';

const PIXELS_PER_WINDOW = 3 * DENSE_WINDOW_SIDE * DENSE_WINDOW_SIDE;

export async function encodeDenseViews(
  frames: RgbdFrame[],
  dense: DenseFeatureSource,
  options: ExtractOptions,
  work: WorkOptions,
  warnings: string[],
): Promise<{ encoded: EncodedView[]; windows: number }> {
  const { signal, onProgress } = work;
  const start = now();
  const layouts = new Map<string, DenseWindowLayout>();
  const preprocessor = new ClipPreprocessor();
  const encoded: EncodedView[] = [];
  const windowOptions = { shortSide: options.denseShortSide, stride: options.denseStride };
  let windowsDone = 0;
  const first = frames[0].intrinsics;
  const estimated =
    frames.length *
    windowCount(planDenseWindows(first.width, first.height, dense.grid, windowOptions));
  for (let v = 0; v < frames.length; v++) {
    throwIfAborted(signal);
    const frame = frames[v];
    const { image, colorIntrinsics } = await loadViewColour(frame, v === 0, warnings);
    const key = `${image.width}x${image.height}`;
    let layout = layouts.get(key);
    if (!layout) {
      layout = planDenseWindows(image.width, image.height, dense.grid, windowOptions);
      layouts.set(key, layout);
    }
    const patches = await encodeViewWindows(image, layout, dense, preprocessor, options, signal);
    windowsDone += windowCount(layout);
    const windowLayout = layout;
    encoded.push({
      frame,
      colorIntrinsics,
      features: patches,
      buildMap: (basis) => buildDenseFeatureMap(windowLayout, patches, dense.dim, basis),
    });
    if (onProgress) {
      const elapsed = (now() - start) / 1000;
      const rate = elapsed > 0 ? windowsDone / elapsed : undefined;
      onProgress({
        stage: 'encode',
        done: v + 1,
        total: frames.length,
        unit: 'views',
        rate: elapsed > 0 ? (v + 1) / elapsed : undefined,
        etaSeconds: rate ? Math.max(0, (estimated - windowsDone) / rate) : undefined,
        message: rate ? `${rate.toFixed(1)} windows/s` : undefined,
      });
    }
  }
  return { encoded, windows: windowsDone };
}

/** Every window of one view through the dense source, in batches of `batchSize`. */
async function encodeViewWindows(
  image: RgbImage,
  layout: DenseWindowLayout,
  dense: DenseFeatureSource,
  preprocessor: ClipPreprocessor,
  options: ExtractOptions,
  signal: AbortSignal | undefined,
): Promise<Float32Array> {
  const total = windowCount(layout);
  const perWindow = dense.grid.rows * dense.grid.cols * dense.dim;
  const out = new Float32Array(total * perWindow);
  for (let b = 0; b < total; b += options.batchSize) {
    throwIfAborted(signal);
    const batch = Math.min(options.batchSize, total - b);
    const pixels = new Float32Array(batch * PIXELS_PER_WINDOW);
    for (let j = 0; j < batch; j++) {
      const w = b + j;
      const window = preprocessor.resizedWindow(
        image,
        layout.resizedWidth,
        layout.resizedHeight,
        layout.windows[w * 2],
        layout.windows[w * 2 + 1],
      );
      preprocessor.normaliseInto(pixels, j, window);
    }
    const features = await dense.embedPatches(pixels, batch);
    if (features.length !== batch * perWindow) {
      throw new ModelError(
        `dense features: ${batch} windows gave ${features.length} values, expected ${batch * perWindow}`,
      );
    }
    out.set(features, b * perWindow);
  }
  return out;
}
