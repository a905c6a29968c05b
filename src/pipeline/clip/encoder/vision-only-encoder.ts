/**
 * A vision-only encoder: any ONNX image model with a `pixel_values` [B, 3, 224, 224] input and
 * one embedding output of any width — [B, D] (e.g. `image_embeds`, `pooler_output`) or
 * [B, T, D] token features, averaged over the tokens as 3D-LLM does with EVA-ViT-g (D = 1408).
 * It has no text tower: its features can be fused and exported (export-3dllm,
 * export-openscene), and any text query is refused with a ModelError that says so.
 */
import type * as ort from 'onnxruntime-web';
import { CLIP_MODEL_DEFAULTS } from '../../defaults';
import { ModelError } from '../../errors';
import { fromFloat16Array, toFloat16Array } from '../../io/float16';
import type { ClipEncoder } from '../types';
import { checkFiniteOutput } from './finite-output';
import { l2NormaliseRows } from './l2-normalise';
import { CLIP_IMAGE_SIDE, createSession } from './onnx-clip-encoder';
import {
  ensureOrtConfigured,
  ortModule,
  preferredExecutionProviders,
  type OrtRuntimeOptions,
} from './ort-runtime';

/** Output names tried, in order, when the graph has more than one. */
const PREFERRED_OUTPUTS = ['image_embeds', 'pooler_output', 'last_hidden_state'];

export interface VisionOnlyEncoderOptions extends OrtRuntimeOptions {
  modelId: string;
  vision: { bytes: Uint8Array; file: string };
  /** The output to use (default: the only one, else image_embeds, pooler_output, last_hidden_state). */
  output?: string;
  executionProviders?: string[];
  maxBatch?: number;
}

export function textQueryUnavailable(modelId: string): string {
  return `'${modelId}' is a vision-only encoder (no text tower): its features can be extracted and exported (export-3dllm, export-openscene) but not queried by text; query with a CLIP model whose text encoder shares their space`;
}

export class VisionOnlyEncoder implements ClipEncoder {
  readonly visionOnly = true;
  readonly denseUnavailable: string;

  private constructor(
    readonly modelId: string,
    readonly dim: number,
    private readonly session: ort.InferenceSession,
    private readonly file: string,
    private readonly output: string,
    /** Tokens per image for a [B, T, D] output (averaged), 0 for [B, D]. */
    private readonly tokens: number,
    private readonly inputType: string,
    private readonly maxBatch: number,
  ) {
    this.denseUnavailable = `${file}: a vision-only encoder gives one embedding per image (crop features only)`;
  }

  static async create(options: VisionOnlyEncoderOptions): Promise<VisionOnlyEncoder> {
    ensureOrtConfigured(options);
    const providers = options.executionProviders ?? (await preferredExecutionProviders());
    const file = options.vision.file;
    const session = await createSession(options.vision.bytes, file, providers);
    try {
      const input = session.inputMetadata.find((m) => m.name === 'pixel_values');
      const inputShape = input?.isTensor ? input.shape : undefined;
      if (
        !input?.isTensor ||
        !['float32', 'float16'].includes(input.type) ||
        inputShape?.length !== 4 ||
        [1, 2, 3].some(
          (i) => typeof inputShape[i] === 'number' && inputShape[i] !== [0, 3, 224, 224][i],
        )
      ) {
        throw new ModelError(
          `${file}: a vision-only encoder needs a float 'pixel_values' [batch, 3, ${CLIP_IMAGE_SIDE}, ${CLIP_IMAGE_SIDE}] input; the graph has ${session.inputNames.join(', ') || 'no inputs'}`,
        );
      }
      const names = session.outputNames;
      const output =
        options.output ??
        (names.length === 1 ? names[0] : PREFERRED_OUTPUTS.find((n) => names.includes(n)));
      const meta = session.outputMetadata.find((m) => m.name === output);
      if (!output || !meta) {
        throw new ModelError(
          `${file}: no embedding output${options.output ? ` '${options.output}'` : ''} among ${names.join(', ')} (name one of ${PREFERRED_OUTPUTS.join(', ')})`,
        );
      }
      const shape = meta.isTensor ? meta.shape : [];
      const dim = shape[shape.length - 1];
      const tokens = shape.length === 3 ? shape[1] : 0;
      if (
        !meta.isTensor ||
        !['float32', 'float16'].includes(meta.type) ||
        (shape.length !== 2 && shape.length !== 3) ||
        typeof dim !== 'number' ||
        dim < 1 ||
        (shape.length === 3 && !(typeof tokens === 'number' && tokens >= 1))
      ) {
        throw new ModelError(
          `${file}: output '${output}' is ${meta.isTensor ? `${meta.type}[${shape.join(',')}]` : 'not a tensor'}; expected float [batch, D] or [batch, tokens, D] with a fixed D`,
        );
      }
      return new VisionOnlyEncoder(
        options.modelId,
        dim,
        session,
        file,
        output,
        tokens as number,
        input.type,
        options.maxBatch ?? CLIP_MODEL_DEFAULTS.encoderMaxBatch,
      );
    } catch (err) {
      await session.release().catch(() => undefined);
      throw err;
    }
  }

  /** Embeddings before L2 normalisation (token means for a [B, T, D] output). */
  async embedImagesRaw(pixelValues: Float32Array, batch: number): Promise<Float32Array> {
    const per = 3 * CLIP_IMAGE_SIDE * CLIP_IMAGE_SIDE;
    if (!Number.isInteger(batch) || batch < 0 || pixelValues.length !== batch * per) {
      throw new RangeError(
        `pixel_values must hold batch·3·224·224 = ${batch * per} floats, got ${pixelValues.length}`,
      );
    }
    const dim = this.dim;
    const out = new Float32Array(batch * dim);
    const Tensor = ortModule().Tensor;
    for (let start = 0; start < batch; start += this.maxBatch) {
      const n = Math.min(this.maxBatch, batch - start);
      const chunk = pixelValues.subarray(start * per, (start + n) * per);
      const dims = [n, 3, CLIP_IMAGE_SIDE, CLIP_IMAGE_SIDE];
      const input =
        this.inputType === 'float16'
          ? new Tensor('float16', toFloat16Array(chunk), dims)
          : new Tensor('float32', chunk, dims);
      const result = await this.session.run({ pixel_values: input }, [this.output]);
      input.dispose();
      const value = result[this.output];
      const rows = this.tokens || 1;
      const want = this.tokens ? [n, this.tokens, dim] : [n, dim];
      if (!value || value.dims.length !== want.length || value.dims.some((d, i) => d !== want[i])) {
        throw new ModelError(
          `${this.file}: '${this.output}' has shape [${value?.dims.join(',') ?? ''}], expected [${want.join(',')}]`,
        );
      }
      const data =
        value.type === 'float16'
          ? fromFloat16Array(value.data as Uint16Array)
          : (value.data as Float32Array);
      checkFiniteOutput(data, dim, {
        file: this.file,
        output: this.output,
        stage: 'image encoding',
      });
      for (let b = 0; b < n; b++) {
        const dst = (start + b) * dim;
        for (let t = 0; t < rows; t++) {
          const src = (b * rows + t) * dim;
          for (let d = 0; d < dim; d++) out[dst + d] += data[src + d] / rows;
        }
      }
      value.dispose();
    }
    return out;
  }

  async embedImages(pixelValues: Float32Array, batch: number): Promise<Float32Array> {
    const embeddings = await this.embedImagesRaw(pixelValues, batch);
    l2NormaliseRows(embeddings, this.dim);
    return embeddings;
  }

  embedTexts(_texts: string[]): Promise<Float32Array> {
    return Promise.reject(new ModelError(textQueryUnavailable(this.modelId)));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
