/**
 * Dense features from a vision graph that emits them itself: an output `patch_embeds`
 * [batch, rows·cols, D] next to `image_embeds` (the bundled offline encoder's dense variant).
 * The graph's rows are only L2-normalised here, as the encoder does for image_embeds.
 */
import { ModelError } from '../../errors';
import { l2NormaliseRows } from '../encoder/l2-normalise';
import type { DenseFeatureSource, PatchGrid } from './types';

/** The output name a model declares its own patch features under. */
export const NATIVE_PATCH_OUTPUT = 'patch_embeds';

/** The square patch grid of a `patch_embeds` output with `patches` rows per image, if any. */
export function nativePatchGrid(patches: number | null | undefined): PatchGrid | undefined {
  if (!patches || !Number.isInteger(patches)) return undefined;
  const side = Math.round(Math.sqrt(patches));
  if (side * side !== patches || 224 % side !== 0) return undefined;
  return { rows: side, cols: side, patch: 224 / side };
}

export function nativePatchSource(
  grid: PatchGrid,
  dim: number,
  file: string,
  run: (pixelValues: Float32Array, batch: number) => Promise<Float32Array>,
): DenseFeatureSource {
  const perImage = grid.rows * grid.cols * dim;
  return {
    grid,
    dim,
    method: 'native',
    async embedPatches(pixelValues, batch) {
      const raw = await run(pixelValues, batch);
      if (raw.length !== batch * perImage) {
        throw new ModelError(
          `${file}: '${NATIVE_PATCH_OUTPUT}' gave ${raw.length} values for ${batch} images, expected ${batch * perImage}`,
        );
      }
      l2NormaliseRows(raw, dim);
      return raw;
    },
  };
}
