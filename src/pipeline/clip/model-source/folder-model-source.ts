/** A model folder behind a FileSource: a dropped/picked folder, a CLI path, or files in memory. */
import { MissingFileError, ModelError, throwIfAborted } from '../../errors';
import type { FileSource } from '../../io/file-source';
import type { WorkOptions } from '../../progress';
import { MODEL_VARIANTS, onnxFiles, type ModelSource, type ModelVariant } from './model-source';

export interface FolderModelSourceOptions {
  /** Force a variant; default: the first the folder has (quantized, fp32, fp16). */
  variant?: ModelVariant;
  /** Fixed model id (the bundled offline model keeps one id however it is loaded). */
  id?: string;
}

export class FolderModelSource implements ModelSource {
  readonly label: string;

  constructor(
    private readonly files: FileSource,
    private readonly options: FolderModelSourceOptions = {},
  ) {
    this.label = files.name;
  }

  async resolveVariant(): Promise<ModelVariant> {
    if (this.options.variant) return this.options.variant;
    for (const variant of MODEL_VARIANTS) {
      const { vision, text } = onnxFiles(variant);
      if ((await this.files.exists(vision)) && (await this.files.exists(text))) return variant;
    }
    const listed = (await this.files.list()).filter((f) => f.endsWith('.onnx'));
    throw new ModelError(
      `${this.label}: no CLIP model here: expected onnx/vision_model{,_quantized,_fp16}.onnx and the matching onnx/text_model*.onnx` +
        (listed.length ? ` (found ${listed.slice(0, 6).join(', ')})` : ' (no .onnx files)'),
    );
  }

  modelId(variant: ModelVariant): string {
    return this.options.id ?? `folder:${this.label}#${variant}`;
  }

  describeFile(path: string): string {
    return `${this.label}/${path}`;
  }

  async readFile(path: string, options: WorkOptions = {}): Promise<Uint8Array> {
    throwIfAborted(options.signal);
    try {
      const bytes = await this.files.read(path);
      options.onProgress?.({
        stage: 'read',
        done: bytes.byteLength,
        total: bytes.byteLength,
        unit: 'bytes',
        message: path,
      });
      return bytes;
    } catch (err) {
      if (err instanceof MissingFileError)
        throw new MissingFileError(this.describeFile(path), 'missing from the model folder');
      throw err;
    }
  }
}
