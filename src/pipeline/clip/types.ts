/**
 * The CLIP contract shared by the real hub models (transformers.js ONNX exports) and the bundled
 * offline encoder. Everything downstream (features, fusion, relevancy) sees only this.
 */

import type { DenseFeatureSource } from './dense/types';

export interface TextTokenizer {
  /** Ids with start and end tokens, truncated to the context (last id = end), before padding. */
  encode(text: string): number[];
  /** Padded to `contextLength` with `padId`. */
  encodeBatch(texts: string[]): { ids: BigInt64Array; batch: number; contextLength: number };
  readonly vocabSize: number;
  readonly contextLength: number;
}

export interface ClipEncoder {
  /** Model id for caches and bundle metadata, e.g. 'Xenova/clip-vit-base-patch32#quantized' or 'offline-colors'. */
  readonly modelId: string;
  /** Embedding dimension D. */
  readonly dim: number;
  /**
   * pixel_values: NCHW Float32 [batch,3,224,224], already CLIP-preprocessed.
   * Returns batch*D L2-normalised embeddings.
   */
  embedImages(pixelValues: Float32Array, batch: number): Promise<Float32Array>;
  /** Returns texts.length*D L2-normalised embeddings. */
  embedTexts(texts: string[]): Promise<Float32Array>;
  dispose(): Promise<void>;
  /**
   * The words of a text the model has no meaning for, when it can tell (a closed vocabulary such
   * as the offline encoder's); open-vocabulary models leave this out.
   */
  unknownWords?(text: string): string[];
  /**
   * Patch features from one forward pass (clip/dense), when the model supports them: a ViT whose
   * last block could be found in the graph, or a model that emits patch features itself.
   */
  readonly dense?: DenseFeatureSource;
  /** Why `dense` is absent (shown when extraction falls back to crops). */
  readonly denseUnavailable?: string;
}
