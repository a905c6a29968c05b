/**
 * Dense (one-pass) CLIP features: one feature per ViT patch from a single forward pass, with only
 * the last transformer block changed (MaskCLIP, SCLIP, ClearCLIP, NACLIP). Extraction slides
 * 224-px windows over a view and averages overlapping patches (features/dense-views.ts), so the
 * view's feature map has cells = patches instead of crop tiles.
 */

/** How the last block is rewritten (formulas in ./README.md). */
export type DenseBlockMethod = 'clearclip' | 'naclip' | 'maskclip' | 'sclip';

export const DENSE_BLOCK_METHODS: readonly DenseBlockMethod[] = [
  'clearclip',
  'naclip',
  'maskclip',
  'sclip',
];

/** The patch grid of one 224×224 window (ViT-B/32: 7×7 of 32 px; ViT-B/16: 14×14 of 16 px). */
export interface PatchGrid {
  rows: number;
  cols: number;
  /** Patch side in window pixels (224 / rows). */
  patch: number;
}

export interface DenseFeatureSource {
  readonly grid: PatchGrid;
  /** Feature dimension D (the encoder's embedding dimension: patch features share the text space). */
  readonly dim: number;
  /** The last-block rewrite in use, or 'native' for a model whose graph emits patch features itself. */
  readonly method: DenseBlockMethod | 'native';
  /**
   * pixel_values: NCHW Float32 [batch,3,224,224], CLIP-preprocessed (as for embedImages).
   * Returns batch·rows·cols·dim features, row-major per window (patch (r,c) at r·cols + c),
   * each L2-normalised.
   */
  embedPatches(pixelValues: Float32Array, batch: number): Promise<Float32Array>;
}
