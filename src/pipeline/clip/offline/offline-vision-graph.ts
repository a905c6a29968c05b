/**
 * The offline vision graph: CLIP pixel values → colour-term probabilities per 2x2 block (shading
 * robust) → mean over pixels → fixed projection → `image_embeds` [batch, D].
 */
import { GraphBuilder } from '../onnx/graph-builder';
import { COLOR_TERMS, FOCAL_SRGB, type ColorTerm } from './color-terms';
import {
  CLIP_IMAGE_MEAN,
  CLIP_IMAGE_SIZE,
  CLIP_IMAGE_STD,
  OFFLINE_CLASSIFIER,
  OFFLINE_EMBED_DIM,
  OFFLINE_GENERIC_CHANNEL,
  OFFLINE_IMAGE_GENERIC,
  OFFLINE_PATCH_SIDE,
  OFFLINE_TERM_COUNT,
} from './offline-spec';

/** Feature channels per pixel: chromaticity r, g, b, log-lightness, its square. */
const FEATURE_COUNT = 5;

function chromaticity([r, g, b]: readonly number[]): [number, number, number] {
  const eps = OFFLINE_CLASSIFIER.chromaEpsilon;
  const sum = r + g + b + 3 * eps;
  return [(r + eps) / sum, (g + eps) / sum, (b + eps) / sum];
}

/**
 * Logit_k = -(wc·|c − μc_k|² + wl_k·(ℓ − μℓ_k)²) with the term common to every class (wc·|c|²)
 * dropped, which softmax ignores; what is left is linear in (c, ℓ, ℓ²): a 1x1 convolution.
 */
export function classifierWeights(): { weights: Float32Array; bias: Float32Array } {
  const { chromaWeight: wc, lightnessWeight, achromaticLogLightness } = OFFLINE_CLASSIFIER;
  const weights = new Float32Array(OFFLINE_TERM_COUNT * FEATURE_COUNT);
  const bias = new Float32Array(OFFLINE_TERM_COUNT);
  COLOR_TERMS.forEach((term: ColorTerm, k) => {
    const achromatic = (achromaticLogLightness as Record<string, number>)[term];
    const mu =
      achromatic === undefined
        ? chromaticity(FOCAL_SRGB[term].map((v) => v / 255))
        : [1 / 3, 1 / 3, 1 / 3];
    const wl = achromatic === undefined ? 0 : lightnessWeight;
    const muL = achromatic ?? 0;
    const row = weights.subarray(k * FEATURE_COUNT, (k + 1) * FEATURE_COUNT);
    row[0] = 2 * wc * mu[0];
    row[1] = 2 * wc * mu[1];
    row[2] = 2 * wc * mu[2];
    row[3] = 2 * wl * muL;
    row[4] = -wl;
    bias[k] = -wc * (mu[0] * mu[0] + mu[1] * mu[1] + mu[2] * mu[2]) - wl * muL * muL;
  });
  return { weights, bias };
}

/** `projection`: row-major [joint dim (12), D]. */
export function buildOfflineVisionModel(projection: Float64Array): Uint8Array {
  const D = OFFLINE_EMBED_DIM;
  const g = new GraphBuilder('offline_colors_vision', 13);
  const pixels = g.input('pixel_values', 'float', [
    'batch_size',
    3,
    CLIP_IMAGE_SIZE,
    CLIP_IMAGE_SIZE,
  ]);

  // Undo CLIP's normalisation: sRGB in 0..1, clamped (bicubic resizing overshoots).
  const std = g.floats('clip_std', [1, 3, 1, 1], CLIP_IMAGE_STD);
  const mean = g.floats('clip_mean', [1, 3, 1, 1], CLIP_IMAGE_MEAN);
  const zero = g.floats('zero', [], [0]);
  const one = g.floats('one', [], [1]);
  // Classify 2x2-pixel blocks rather than single pixels: ~6x faster on wasm, and a block's mean
  // colour is the pixel colour except on the thin edges between two colours.
  const pool = OFFLINE_CLASSIFIER.blockSize;
  const blocks = g.node('AveragePool', [pixels], {
    kernel_shape: { ints: [pool, pool] },
    strides: { ints: [pool, pool] },
  });
  const rgb = g.node('Clip', [g.node('Add', [g.node('Mul', [blocks, std]), mean]), zero, one]);

  const { chromaEpsilon, lightnessDelta } = OFFLINE_CLASSIFIER;
  const channelAxis = g.int64s('channel_axis', [1], [1]);
  const sum = g.node('ReduceSum', [rgb, channelAxis], { keepdims: { int: 1 } });
  const chroma = g.node('Div', [
    g.node('Add', [rgb, g.floats('chroma_eps', [], [chromaEpsilon])]),
    g.node('Add', [sum, g.floats('chroma_eps3', [], [3 * chromaEpsilon])]),
  ]);
  const lightness = g.node('Mul', [sum, g.floats('one_third', [], [1 / 3])]);
  const logLightness = g.node('Log', [
    g.node('Add', [lightness, g.floats('lightness_delta', [], [lightnessDelta])]),
  ]);
  const logLightnessSq = g.node('Mul', [logLightness, logLightness]);
  const features = g.node('Concat', [chroma, logLightness, logLightnessSq], { axis: { int: 1 } });

  const { weights, bias } = classifierWeights();
  const logits = g.node('Conv', [
    features,
    g.floats('classifier_weight', [OFFLINE_TERM_COUNT, FEATURE_COUNT, 1, 1], weights),
    g.floats('classifier_bias', [OFFLINE_TERM_COUNT], bias),
  ]);
  const probabilities = g.node('Softmax', [logits], { axis: { int: 1 } });
  const termShares = g.node('ReduceMean', [probabilities], {
    axes: { ints: [2, 3] },
    keepdims: { int: 0 },
  });

  // The constant generic channel is folded into the bias: generic · projection row.
  const termProjection = projection.subarray(0, OFFLINE_TERM_COUNT * D);
  const genericRow = projection.subarray(
    OFFLINE_GENERIC_CHANNEL * D,
    (OFFLINE_GENERIC_CHANNEL + 1) * D,
  );
  const projectionTerms = g.floats('projection_terms', [OFFLINE_TERM_COUNT, D], termProjection);
  const genericBias = g.floats(
    'generic_bias',
    [D],
    Array.from(genericRow, (v) => v * OFFLINE_IMAGE_GENERIC),
  );
  const projected = g.node('MatMul', [termShares, projectionTerms]);
  const embeds = g.node('Add', [projected, genericBias], {}, 'image_embeds');
  g.output(embeds, 'float', ['batch_size', D]);

  // Dense variant: the same term shares per patch (OFFLINE_PATCH_SIDE), projected the same way:
  // `patch_embeds` [batch, rows·cols, D], row-major over the grid (clip/dense, method 'native').
  const patchBlocks = OFFLINE_PATCH_SIDE / pool;
  const patchShares = g.node('AveragePool', [probabilities], {
    kernel_shape: { ints: [patchBlocks, patchBlocks] },
    strides: { ints: [patchBlocks, patchBlocks] },
  });
  const grid = CLIP_IMAGE_SIZE / OFFLINE_PATCH_SIDE;
  const patchRows = g.node('Reshape', [
    g.node('Transpose', [patchShares], { perm: { ints: [0, 2, 3, 1] } }),
    g.int64s('patch_rows_shape', [3], [0, grid * grid, OFFLINE_TERM_COUNT]),
  ]);
  const patchEmbeds = g.node(
    'Add',
    [g.node('MatMul', [patchRows, projectionTerms]), genericBias],
    {},
    'patch_embeds',
  );
  g.output(patchEmbeds, 'float', ['batch_size', grid * grid, D]);
  return g.encode({
    docString: 'Offline colour-term image encoder (hand-set weights); see README.md.',
  });
}
