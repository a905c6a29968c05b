/**
 * ClipEncoder over two onnxruntime-web sessions, for CLIP exports in the transformers.js layout
 * (vision: pixel_values [B,3,224,224] → image_embeds [B,D]; text: input_ids int64 [B,77] →
 * text_embeds [B,D]) and for the bundled offline encoder, which has the same contract.
 * Outputs are L2-normalised here (the graphs do not).
 */
import * as ort from 'onnxruntime-web';
import { CLIP_MODEL_DEFAULTS } from '../../defaults';
import { ModelError } from '../../errors';
import type { ClipEncoder, TextTokenizer } from '../types';
import { fromFloat16Array, toFloat16Array } from '../../io/float16';
import { l2NormaliseRows } from './l2-normalise';
import {
  ensureOrtConfigured,
  preferredExecutionProviders,
  type OrtRuntimeOptions,
} from './ort-runtime';
import { checkSessionContract, type CheckedSession } from './session-contract';
import { ClosedVocabulary, type ClosedVocabularySpec } from '../tokenizer/closed-vocabulary';

export const CLIP_IMAGE_SIDE = 224;

export interface OnnxClipEncoderOptions extends OrtRuntimeOptions {
  modelId: string;
  vision: { bytes: Uint8Array; file: string };
  text: { bytes: Uint8Array; file: string };
  tokenizer: TextTokenizer;
  /** The end-of-text id, for models that also take an attention_mask. */
  endId?: number;
  /** config.json projection_dim, cross-checked against both graphs. */
  expectedDim?: number;
  /** Default: WebGPU when an adapter exists, else wasm. */
  executionProviders?: string[];
  /** Largest batch per session.run (bigger inputs are split). */
  maxBatch?: number;
  /** The model's declared closed vocabulary (config.json), for unknownWords. */
  closedVocabulary?: ClosedVocabularySpec;
}

/** Raw (unnormalised) embeddings and the norms the L2 normalisation divided by. */
export interface RawEmbeddings {
  embeddings: Float32Array;
  norms: Float32Array;
}

async function createSession(
  bytes: Uint8Array,
  file: string,
  providers: string[],
): Promise<ort.InferenceSession> {
  const attempt = (eps: string[]) =>
    ort.InferenceSession.create(bytes, { executionProviders: eps, graphOptimizationLevel: 'all' });
  try {
    return await attempt(providers);
  } catch (err) {
    if (providers.some((p) => p !== 'wasm')) {
      try {
        return await attempt(['wasm']);
      } catch {
        // Report the original failure below.
      }
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new ModelError(
      `${file}: not a loadable ONNX model (${bytes.byteLength} bytes): ${reason.split('\n')[0]}`,
    );
  }
}

export class OnnxClipEncoder implements ClipEncoder {
  readonly modelId: string;
  readonly dim: number;
  readonly executionProviders: string[];
  private readonly maxBatch: number;

  private constructor(
    options: OnnxClipEncoderOptions,
    dim: number,
    providers: string[],
    private readonly visionSession: ort.InferenceSession,
    private readonly textSession: ort.InferenceSession,
    private readonly vision: CheckedSession,
    private readonly text: CheckedSession,
    private readonly tokenizer: TextTokenizer,
  ) {
    this.modelId = options.modelId;
    this.dim = dim;
    this.executionProviders = providers;
    this.maxBatch = Math.max(1, options.maxBatch ?? CLIP_MODEL_DEFAULTS.encoderMaxBatch);
    this.endId = options.endId;
    this.visionFile = options.vision.file;
    this.textFile = options.text.file;
    this.closedVocabulary = options.closedVocabulary
      ? new ClosedVocabulary(options.closedVocabulary)
      : undefined;
  }

  private readonly closedVocabulary?: ClosedVocabulary;

  /**
   * The words of `text` outside the model's declared closed vocabulary (stop words aside); []
   * for a model that declares none (CLIP: open vocabulary).
   */
  unknownWords(text: string): string[] {
    return this.closedVocabulary?.unknownWords(text) ?? [];
  }

  private readonly endId?: number;
  private readonly visionFile: string;
  private readonly textFile: string;

  static async create(options: OnnxClipEncoderOptions): Promise<OnnxClipEncoder> {
    ensureOrtConfigured(options);
    const providers = options.executionProviders ?? (await preferredExecutionProviders());
    const contextLength = options.tokenizer.contextLength;
    const visionSession = await createSession(options.vision.bytes, options.vision.file, providers);
    let textSession: ort.InferenceSession | undefined;
    try {
      const vision = checkSessionContract(visionSession, {
        file: options.vision.file,
        inputs: [
          {
            name: 'pixel_values',
            types: ['float32', 'float16'],
            dims: [null, 3, CLIP_IMAGE_SIDE, CLIP_IMAGE_SIDE],
          },
        ],
        outputs: [
          {
            name: 'image_embeds',
            types: ['float32', 'float16'],
            dims: [null, options.expectedDim ?? null],
          },
        ],
      });
      textSession = await createSession(options.text.bytes, options.text.file, providers);
      const text = checkSessionContract(textSession, {
        file: options.text.file,
        inputs: [{ name: 'input_ids', types: ['int64', 'int32'], dims: [null, contextLength] }],
        optionalInputs: [
          { name: 'attention_mask', types: ['int64', 'int32'], dims: [null, contextLength] },
        ],
        outputs: [
          {
            name: 'text_embeds',
            types: ['float32', 'float16'],
            dims: [null, options.expectedDim ?? null],
          },
        ],
      });
      const visionDim = vision.outputs.get('image_embeds')!.dims[1];
      const textDim = text.outputs.get('text_embeds')!.dims[1];
      if (visionDim !== null && textDim !== null && visionDim !== textDim) {
        throw new ModelError(
          `${options.vision.file} embeds to ${visionDim} dims but ${options.text.file} to ${textDim}: not one CLIP model`,
        );
      }
      const dim = visionDim ?? textDim ?? options.expectedDim;
      if (dim === undefined || dim === null) {
        throw new ModelError(
          `${options.vision.file}: the embedding dimension is not fixed in the graph and config.json has no projection_dim`,
        );
      }
      return new OnnxClipEncoder(
        options,
        dim,
        providers,
        visionSession,
        textSession,
        vision,
        text,
        options.tokenizer,
      );
    } catch (err) {
      await visionSession.release().catch(() => undefined);
      await textSession?.release().catch(() => undefined);
      throw err;
    }
  }

  private checkOutput(
    output: ort.Tensor | undefined,
    name: string,
    file: string,
    batch: number,
  ): Float32Array {
    if (!output) throw new ModelError(`${file}: produced no '${name}'`);
    const dims = output.dims;
    if (dims.length !== 2 || dims[0] !== batch || dims[1] !== this.dim) {
      throw new ModelError(
        `${file}: '${name}' has shape [${dims.join(',')}], expected [${batch},${this.dim}]`,
      );
    }
    if (output.type === 'float16') return fromFloat16Array(output.data as Uint16Array);
    return Float32Array.from(output.data as Float32Array);
  }

  /** Image embeddings before normalisation (batch·D), in chunks of maxBatch. */
  async embedImagesRaw(pixelValues: Float32Array, batch: number): Promise<Float32Array> {
    const per = 3 * CLIP_IMAGE_SIDE * CLIP_IMAGE_SIDE;
    if (!Number.isInteger(batch) || batch < 0 || pixelValues.length !== batch * per) {
      throw new RangeError(
        `pixel_values must hold batch·3·224·224 = ${batch * per} floats, got ${pixelValues.length}`,
      );
    }
    const out = new Float32Array(batch * this.dim);
    const inputType = this.vision.inputs.get('pixel_values')!.type;
    for (let start = 0; start < batch; start += this.maxBatch) {
      const n = Math.min(this.maxBatch, batch - start);
      const chunk = pixelValues.subarray(start * per, (start + n) * per);
      const tensor =
        inputType === 'float16'
          ? new ort.Tensor('float16', toFloat16Array(chunk), [
              n,
              3,
              CLIP_IMAGE_SIDE,
              CLIP_IMAGE_SIDE,
            ])
          : new ort.Tensor('float32', chunk, [n, 3, CLIP_IMAGE_SIDE, CLIP_IMAGE_SIDE]);
      const result = await this.visionSession.run({ pixel_values: tensor }, ['image_embeds']);
      out.set(
        this.checkOutput(result.image_embeds, 'image_embeds', this.visionFile, n),
        start * this.dim,
      );
      tensor.dispose();
    }
    return out;
  }

  /** Text embeddings before normalisation for already-tokenized ids [batch, contextLength]. */
  async embedTokenIdsRaw(ids: BigInt64Array, batch: number): Promise<Float32Array> {
    const ctx = this.tokenizer.contextLength;
    if (ids.length !== batch * ctx)
      throw new RangeError(`input_ids must hold batch·${ctx} ids, got ${ids.length}`);
    const out = new Float32Array(batch * this.dim);
    const idsType = this.text.inputs.get('input_ids')!.type;
    const maskInfo = this.text.inputs.get('attention_mask');
    for (let start = 0; start < batch; start += this.maxBatch) {
      const n = Math.min(this.maxBatch, batch - start);
      const chunk = ids.subarray(start * ctx, (start + n) * ctx);
      const feeds: Record<string, ort.Tensor> = {
        input_ids:
          idsType === 'int32'
            ? new ort.Tensor('int32', Int32Array.from(chunk, Number), [n, ctx])
            : new ort.Tensor('int64', chunk, [n, ctx]),
      };
      if (maskInfo) {
        const mask = new BigInt64Array(n * ctx);
        for (let b = 0; b < n; b++) {
          // Attend up to and including the first end token; the rest is padding.
          for (let i = 0; i < ctx; i++) {
            mask[b * ctx + i] = 1n;
            if (this.endId !== undefined && i > 0 && chunk[b * ctx + i] === BigInt(this.endId))
              break;
          }
        }
        feeds.attention_mask =
          maskInfo.type === 'int32'
            ? new ort.Tensor('int32', Int32Array.from(mask, Number), [n, ctx])
            : new ort.Tensor('int64', mask, [n, ctx]);
      }
      const result = await this.textSession.run(feeds, ['text_embeds']);
      out.set(
        this.checkOutput(result.text_embeds, 'text_embeds', this.textFile, n),
        start * this.dim,
      );
    }
    return out;
  }

  async embedTextsRaw(texts: string[]): Promise<Float32Array> {
    if (texts.length === 0) return new Float32Array(0);
    const { ids, batch } = this.tokenizer.encodeBatch(texts);
    return this.embedTokenIdsRaw(ids, batch);
  }

  /** Raw embeddings plus the norms, normalised in place (for CLI diagnostics). */
  async embedImagesWithNorms(pixelValues: Float32Array, batch: number): Promise<RawEmbeddings> {
    const embeddings = await this.embedImagesRaw(pixelValues, batch);
    return { embeddings, norms: l2NormaliseRows(embeddings, this.dim) };
  }

  async embedTextsWithNorms(texts: string[]): Promise<RawEmbeddings> {
    const embeddings = await this.embedTextsRaw(texts);
    return { embeddings, norms: l2NormaliseRows(embeddings, this.dim) };
  }

  async embedImages(pixelValues: Float32Array, batch: number): Promise<Float32Array> {
    return (await this.embedImagesWithNorms(pixelValues, batch)).embeddings;
  }

  async embedTexts(texts: string[]): Promise<Float32Array> {
    return (await this.embedTextsWithNorms(texts)).embeddings;
  }

  async dispose(): Promise<void> {
    await this.visionSession.release();
    await this.textSession.release();
  }
}
