import { promises as fs } from 'node:fs';
import type { CliCommand } from '../command';
import { denseMethodFlag } from '../feature-flags';
import { CliUsageError, flagNumber, flagString } from '../args';
import { MissingFileError, ModelError } from '../../pipeline/errors';
import type { DenseBlockMethod } from '../../pipeline/clip/dense/types';
import { decodeColorImage } from '../../pipeline/image/decode';
import { preprocessImage, type PixelRect } from '../../pipeline/clip/preprocess/clip-preprocess';
import { loadNodeClipModel } from '../../hosts/node/model-spec';
import type { OrtRuntimeInfo } from '../../pipeline/clip/encoder/ort-runtime';
import { formatRuntime, modelRuntime } from '../model-runtime';

const FIRST_VALUES = 8;

export interface EmbedImageResult {
  model: string;
  image: string;
  width: number;
  height: number;
  crop?: PixelRect;
  dim: number;
  /** L2 norm of the model's output before normalisation. */
  norm: number;
  /** The first values of the normalised embedding. */
  first: number[];
  /** The onnxruntime that ran the model (native or wasm) and its threads. */
  runtime: OrtRuntimeInfo;
}

/** `--dense --json`: the patch grid's features, row-major (patch (r,c) at r·cols + c). */
export interface EmbedImageDenseResult {
  model: string;
  image: string;
  grid: [number, number];
  dim: number;
  method: DenseBlockMethod | 'native';
  /** rows·cols·dim values, each patch L2-normalised. */
  features: number[];
  runtime: OrtRuntimeInfo;
}

function parseCrop(text: string | undefined, width: number, height: number): PixelRect | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map(Number);
  if (parts.length !== 4 || !parts.every((v) => Number.isInteger(v))) {
    throw new CliUsageError(`--crop expects x,y,width,height in whole pixels, got '${text}'`);
  }
  const [x, y, w, h] = parts;
  if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
    throw new CliUsageError(`--crop ${text} is not inside the ${width}x${height} image`);
  }
  return { x, y, width: w, height: h };
}

export const embedImageCommand: CliCommand = {
  name: 'embed-image',
  usage:
    'embed-image [--model offline|hub[:REPO]|DIR] [--variant quantized|fp32|fp16] [--crop x,y,w,h] [--dense [--method clearclip|naclip|maskclip|sclip]] [--threads n] [--cache-dir DIR] IMAGE',
  summary:
    'embed a JPEG/PNG (or a crop of it) with a CLIP model: dimension, norm before normalisation, first values; --dense: one-pass patch features',
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) throw new CliUsageError('embed-image needs an IMAGE (JPEG or PNG)');
    const dense = args.flags.dense === true;
    const method = denseMethodFlag(args, 'method');
    if (method && !dense) throw new CliUsageError('--method applies to --dense');
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await fs.readFile(file));
    } catch {
      throw new MissingFileError(file);
    }
    const image = await decodeColorImage(bytes, file);
    const crop = parseCrop(flagString(args, 'crop'), image.width, image.height);
    const pixels = preprocessImage(image, crop);
    const model = await loadNodeClipModel(flagString(args, 'model'), {
      dense,
      denseMethod: method,
      variant: flagString(args, 'variant'),
      cacheDir: flagString(args, 'cache-dir'),
      numThreads: flagNumber(args, 'threads'),
      onProgress: (p) =>
        io.progress(`${p.stage} ${p.message ?? ''} ${p.done}/${p.total || '?'} ${p.unit ?? ''}`),
    });
    try {
      if (dense) {
        const source = model.encoder.dense;
        if (!source) {
          throw new ModelError(
            `${model.config.modelId}: no dense features: ${model.encoder.denseUnavailable ?? 'not supported by this model'}`,
          );
        }
        const features = await source.embedPatches(pixels, 1);
        const denseResult: EmbedImageDenseResult = {
          model: model.config.modelId,
          image: file,
          grid: [source.grid.rows, source.grid.cols],
          dim: source.dim,
          method: source.method,
          features: Array.from(features),
          runtime: modelRuntime(io),
        };
        return denseResult;
      }
      const { embeddings, norms } = await model.encoder.embedImagesWithNorms(pixels, 1);
      const result: EmbedImageResult = {
        model: model.config.modelId,
        image: file,
        width: image.width,
        height: image.height,
        crop,
        dim: model.encoder.dim,
        norm: norms[0],
        first: Array.from(embeddings.subarray(0, FIRST_VALUES)),
        runtime: modelRuntime(io),
      };
      return result;
    } finally {
      await model.encoder.dispose();
    }
  },
  format(result) {
    if ('features' in (result as object)) {
      const d = result as EmbedImageDenseResult;
      return [
        `model: ${d.model}`,
        `dense: ${d.method}, ${d.grid[0]}x${d.grid[1]} patches of ${d.dim} dims`,
        `patch (0,0) first values: ${d.features
          .slice(0, FIRST_VALUES)
          .map((v) => v.toFixed(5))
          .join(' ')}`,
        `runtime: ${formatRuntime(d.runtime)}`,
      ].join('\n');
    }
    const r = result as EmbedImageResult;
    const crop = r.crop ? ` crop ${r.crop.x},${r.crop.y} ${r.crop.width}x${r.crop.height}` : '';
    return [
      `model: ${r.model}`,
      `image: ${r.width}x${r.height}${crop}`,
      `dim: ${r.dim}`,
      `norm before normalisation: ${r.norm.toPrecision(6)}`,
      `first values: ${r.first.map((v) => v.toFixed(5)).join(' ')}`,
      `runtime: ${formatRuntime(r.runtime)}`,
    ].join('\n');
  },
};
