/**
 * The CLIP crop preprocessor extractFeatures uses by default (clip/preprocess), as a value the
 * worker and CLI can pass explicitly. A test can pass another one (e.g. a cheaper resize).
 */
import { ClipPreprocessor } from '../clip/preprocess/clip-preprocess';
import type { CropPreprocessor } from './extract';

/** A preprocessor with its own coefficient cache and scratch memory. */
export function clipCropPreprocessor(): CropPreprocessor {
  const pre = new ClipPreprocessor();
  return (out, index, image, rect) => pre.preprocessInto(out, index, image, rect);
}
