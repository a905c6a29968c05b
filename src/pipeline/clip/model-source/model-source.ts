/**
 * Where a CLIP model's files come from. Every source serves the same folder layout (the
 * transformers.js export: onnx/{vision,text}_model{,_quantized,_fp16}.onnx, tokenizer.json,
 * config.json, preprocessor_config.json), so one loader (`loadClipModel`) handles the hub, a
 * local folder and the bundled offline encoder alike.
 */
import type { WorkOptions } from '../../progress';

export type ModelVariant = 'fp32' | 'quantized' | 'fp16';

export const MODEL_VARIANTS: readonly ModelVariant[] = ['quantized', 'fp32', 'fp16'];

export interface ModelSource {
  /** Human-readable name for messages ('Xenova/clip-vit-base-patch32', a folder name, ...). */
  readonly label: string;
  /** The ONNX variant to load (a folder picks the first it has, in MODEL_VARIANTS order). */
  resolveVariant(): Promise<ModelVariant>;
  /** Stable id for caches and bundle metadata, e.g. 'Xenova/clip-vit-base-patch32#quantized'. */
  modelId(variant: ModelVariant): string;
  /** Bytes of one file of the folder; throws MissingFileError, ModelError or CancelledError. */
  readFile(path: string, options?: WorkOptions): Promise<Uint8Array>;
  /** Where a file lives (URL or path), for error messages. */
  describeFile(path: string): string;
}

export function onnxFiles(variant: ModelVariant): { vision: string; text: string } {
  const suffix = variant === 'fp32' ? '' : `_${variant}`;
  return { vision: `onnx/vision_model${suffix}.onnx`, text: `onnx/text_model${suffix}.onnx` };
}

export function parseModelVariant(text: string): ModelVariant | undefined {
  return (MODEL_VARIANTS as readonly string[]).includes(text) ? (text as ModelVariant) : undefined;
}
