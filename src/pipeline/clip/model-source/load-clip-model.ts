/**
 * One loader for every model source: config → tokenizer → both ONNX graphs, each checked against
 * the CLIP contract, with download/read progress and cancellation. Returns a ready ClipEncoder.
 */
import { CLIP_PREPROCESS_DEFAULTS } from '../../defaults';
import { MissingFileError, ModelError, throwIfAborted } from '../../errors';
import type { WorkOptions } from '../../progress';
import { OnnxClipEncoder } from '../encoder/onnx-clip-encoder';
import type { OrtRuntimeOptions } from '../encoder/ort-runtime';
import { ClipTokenizer } from '../tokenizer/clip-tokenizer';
import { createClipTokenizer } from '../tokenizer/load-tokenizer';
import {
  checkPreprocessorConfig,
  parseModelConfig,
  type ClipModelConfig,
} from './clip-model-config';
import { onnxFiles, type ModelSource } from './model-source';
import type { DenseBlockMethod } from '../dense/types';

export interface LoadClipModelOptions extends WorkOptions, OrtRuntimeOptions {
  executionProviders?: string[];
  /** Largest batch per session.run. */
  maxBatch?: number;
  /** false: no dense patch features; default: on for CLIP ViT graphs (clip/dense). */
  dense?: boolean;
  /** The last-block rewrite for dense features (default clearclip). */
  denseMethod?: DenseBlockMethod;
}

export interface LoadedClipModel {
  encoder: OnnxClipEncoder;
  tokenizer: ClipTokenizer;
  config: ClipModelConfig;
}

async function readOptional(
  source: ModelSource,
  path: string,
  options: WorkOptions,
): Promise<Uint8Array | undefined> {
  try {
    return await source.readFile(path, options);
  } catch (err) {
    if (
      err instanceof MissingFileError ||
      (err instanceof ModelError && /HTTP 404/.test(err.message))
    )
      return undefined;
    throw err;
  }
}

export async function loadClipModel(
  source: ModelSource,
  options: LoadClipModelOptions = {},
): Promise<LoadedClipModel> {
  const { signal, onProgress } = options;
  const work = { signal, onProgress };
  const variant = await source.resolveVariant();
  const modelId = source.modelId(variant);

  const config = parseModelConfig(
    await source.readFile('config.json', work),
    source.describeFile('config.json'),
  );
  const preprocessor = await readOptional(source, 'preprocessor_config.json', work);
  if (preprocessor)
    checkPreprocessorConfig(preprocessor, source.describeFile('preprocessor_config.json'));

  const tokenizerFile = source.describeFile('tokenizer.json');
  let tokenizer: ClipTokenizer;
  try {
    tokenizer = createClipTokenizer(await source.readFile('tokenizer.json', work), tokenizerFile, {
      contextLength: config.contextLength,
    });
  } catch (err) {
    if (
      err instanceof ModelError ||
      err instanceof MissingFileError ||
      (err as Error).name === 'CancelledError'
    )
      throw err;
    throw new ModelError(`${tokenizerFile}: not a CLIP tokenizer (${(err as Error).message})`);
  }
  if (config.vocabSize !== undefined && tokenizer.vocabSize > config.vocabSize) {
    throw new ModelError(
      `${tokenizerFile}: ${tokenizer.vocabSize} tokens, but config.json says the text model has ${config.vocabSize}: the tokenizer belongs to another model`,
    );
  }

  const files = onnxFiles(variant);
  const visionBytes = await source.readFile(files.vision, work);
  const textBytes = await source.readFile(files.text, work);
  throwIfAborted(signal);
  onProgress?.({ stage: 'load', done: 0, total: 2, unit: 'graphs', message: modelId });
  const encoder = await OnnxClipEncoder.create({
    modelId,
    vision: { bytes: visionBytes, file: source.describeFile(files.vision) },
    text: { bytes: textBytes, file: source.describeFile(files.text) },
    tokenizer,
    endId: tokenizer.endId,
    closedVocabulary: config.closedVocabulary,
    expectedDim: config.projectionDim,
    executionProviders: options.executionProviders,
    maxBatch: options.maxBatch,
    numThreads: options.numThreads,
    wasmPaths: options.wasmPaths,
    dense: options.dense,
    denseMethod: options.denseMethod,
    visionNumHeads: config.visionHeads,
  });
  onProgress?.({ stage: 'load', done: 2, total: 2, unit: 'graphs', message: modelId });
  if (signal?.aborted) {
    await encoder.dispose();
    throwIfAborted(signal);
  }
  return {
    encoder,
    tokenizer,
    config: {
      modelId,
      variant,
      dim: encoder.dim,
      contextLength: tokenizer.contextLength,
      vocabSize: config.vocabSize,
      imageSize: CLIP_PREPROCESS_DEFAULTS.imageSize,
      imageMean: CLIP_PREPROCESS_DEFAULTS.mean,
      imageStd: CLIP_PREPROCESS_DEFAULTS.std,
      ...(config.closedVocabulary ? { closedVocabulary: config.closedVocabulary } : {}),
    },
  };
}
