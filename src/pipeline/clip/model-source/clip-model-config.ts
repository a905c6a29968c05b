/**
 * Reads the parts of config.json and preprocessor_config.json the pipeline depends on, and
 * refuses configurations our preprocessing would silently get wrong.
 */
import { CLIP_PREPROCESS_DEFAULTS, CLIP_TOKENIZER_DEFAULTS } from '../../defaults';
import { ModelError } from '../../errors';
import { describeJsonValue, parseJsonBytes } from '../../io/safe-json';
import { parseClosedVocabulary, type ClosedVocabularySpec } from '../tokenizer/closed-vocabulary';

export interface ClipModelConfig {
  modelId: string;
  /** ONNX variant loaded. */
  variant: string;
  /** Embedding dimension D (config.json projection_dim, checked against the graphs). */
  dim: number;
  contextLength: number;
  /** Text vocabulary size from config.json, when given. */
  vocabSize?: number;
  imageSize: number;
  imageMean: readonly number[];
  imageStd: readonly number[];
  /** config.json `closed_vocabulary`, when the model declares one (tokenizer/closed-vocabulary.ts). */
  closedVocabulary?: ClosedVocabularySpec;
}

function parseJson(bytes: Uint8Array, file: string): Record<string, unknown> {
  // Size- and depth-limited; a syntax error is a ParseError with line and column.
  const value = parseJsonBytes(bytes, file);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ModelError(`${file}: expected a JSON object`);
  return value as Record<string, unknown>;
}

/** Dimensions and sizes far above any real CLIP (ViT-bigG: D = 1280, 49,408 tokens, 77 context). */
const MAX_CONFIG_SIZE = 1 << 20;

const isPositiveInt = (v: unknown, max = MAX_CONFIG_SIZE): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max;

export interface ParsedConfig {
  projectionDim?: number;
  contextLength: number;
  vocabSize?: number;
  closedVocabulary?: ClosedVocabularySpec;
  /** vision_config.num_attention_heads (dense features, when the graph's reshapes are dynamic). */
  visionHeads?: number;
}

export function parseModelConfig(bytes: Uint8Array, file: string): ParsedConfig {
  const json = parseJson(bytes, file);
  const text = (
    typeof json.text_config === 'object' && json.text_config !== null ? json.text_config : {}
  ) as Record<string, unknown>;
  const dim = json.projection_dim;
  if (dim !== undefined && !isPositiveInt(dim))
    throw new ModelError(
      `${file}: projection_dim ${describeJsonValue(dim)} is not a positive integer up to ${MAX_CONFIG_SIZE}`,
    );
  const ctx = text.max_position_embeddings ?? CLIP_TOKENIZER_DEFAULTS.contextLength;
  if (!isPositiveInt(ctx) || ctx < 2)
    throw new ModelError(
      `${file}: text_config.max_position_embeddings ${describeJsonValue(ctx)} is not a context length`,
    );
  const vocab = text.vocab_size;
  if (vocab !== undefined && !isPositiveInt(vocab, CLIP_TOKENIZER_DEFAULTS.maxTokenId + 1))
    throw new ModelError(
      `${file}: text_config.vocab_size ${describeJsonValue(vocab)} is not a positive integer up to ${CLIP_TOKENIZER_DEFAULTS.maxTokenId + 1}`,
    );
  const closed = parseClosedVocabulary(json.closed_vocabulary, file);
  const vision = (
    typeof json.vision_config === 'object' && json.vision_config !== null ? json.vision_config : {}
  ) as Record<string, unknown>;
  // Only a hint for dense features (the graph's own reshapes win), so a bad value is ignored.
  const heads = vision.num_attention_heads;
  return {
    projectionDim: dim,
    contextLength: ctx,
    vocabSize: vocab,
    ...(closed ? { closedVocabulary: closed } : {}),
    ...(isPositiveInt(heads) ? { visionHeads: heads } : {}),
  };
}

function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    const side = v.shortest_edge ?? v.height;
    if (typeof side === 'number' && (v.width === undefined || v.width === side)) return side;
  }
  return undefined;
}

/** A short numeric vector is shown as is (the useful case); anything else bounded. */
function describeVector(v: unknown): string {
  return Array.isArray(v) && v.length <= 8 && v.every((x) => typeof x === 'number')
    ? `[${v.join(',')}]`
    : describeJsonValue(v);
}

function sameVector(a: unknown, b: readonly number[]): boolean {
  return (
    Array.isArray(a) &&
    a.length === b.length &&
    a.every((v, i) => typeof v === 'number' && Math.abs(v - b[i]) < 1e-6)
  );
}

/** Checks the preprocessor matches what src/pipeline/clip/preprocess does (CLIP's constants). */
export function checkPreprocessorConfig(bytes: Uint8Array, file: string): void {
  const json = parseJson(bytes, file);
  const { imageSize, mean, std } = CLIP_PREPROCESS_DEFAULTS;
  if (json.image_mean !== undefined && !sameVector(json.image_mean, mean)) {
    throw new ModelError(
      `${file}: image_mean ${describeVector(json.image_mean)} is not CLIP's [${mean.join(', ')}], which this pipeline applies`,
    );
  }
  if (json.image_std !== undefined && !sameVector(json.image_std, std)) {
    throw new ModelError(
      `${file}: image_std ${describeVector(json.image_std)} is not CLIP's [${std.join(', ')}], which this pipeline applies`,
    );
  }
  for (const key of ['crop_size', 'size'] as const) {
    if (json[key] === undefined) continue;
    const side = sizeOf(json[key]);
    if (side !== imageSize)
      throw new ModelError(
        `${file}: ${key} ${describeJsonValue(json[key])} is not ${imageSize}x${imageSize}`,
      );
  }
}
