/**
 * ClipEncoder over two onnxruntime sessions (ort-runtime.ts: onnxruntime-web, or the host's
 * native runtime in the Node CLI), for CLIP exports in the transformers.js layout
 * (vision: pixel_values [B,3,224,224] → image_embeds [B,D]; text: input_ids int64 [B,77] →
 * text_embeds [B,D]) and for the bundled offline encoder, which has the same contract.
 * Outputs are L2-normalised here (the graphs do not).
 */
import type * as ort from 'onnxruntime-web';
import { CLIP_MODEL_DEFAULTS } from '../../defaults';
import { ModelError, OrtRuntimeError } from '../../errors';
import type { ClipEncoder, TextTokenizer } from '../types';
import { fromFloat16Array, toFloat16Array } from '../../io/float16';
import { l2NormaliseRows } from './l2-normalise';
import { checkFiniteOutput } from './finite-output';
import type { DenseFeatureSource } from '../dense/types';
import {
  NATIVE_PATCH_OUTPUT,
  nativePatchGrid,
  nativePatchSource,
} from '../dense/native-patch-source';
import {
  createOrtSession,
  ensureOrtConfigured,
  ortModule,
  preferredExecutionProviders,
  type OrtRuntimeOptions,
} from './ort-runtime';
import { checkSessionContract, type CheckedSession } from './session-contract';
import { ClosedVocabulary, type ClosedVocabularySpec } from '../tokenizer/closed-vocabulary';
import type { DenseBlockMethod } from '../dense/types';
import {
  createVitDenseSource,
  planVitDense,
  type VitDensePlan,
  type VitDenseSource,
} from '../dense/vit-dense-source';

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
  /** false: skip dense patch features (clip/dense); default: on when the graph is a CLIP ViT. */
  dense?: boolean;
  /** The last-block rewrite for dense features (default clearclip). */
  denseMethod?: DenseBlockMethod;
  /** config.json vision_config.num_attention_heads, for graphs whose reshapes are dynamic. */
  visionNumHeads?: number;
}

/** Raw (unnormalised) embeddings and the norms the L2 normalisation divided by. */
export interface RawEmbeddings {
  embeddings: Float32Array;
  norms: Float32Array;
}

export async function createSession(
  bytes: Uint8Array,
  file: string,
  providers: string[],
): Promise<ort.InferenceSession> {
  const attempt = (eps: string[]) =>
    createOrtSession(bytes, file, { executionProviders: eps, graphOptimizationLevel: 'all' });
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
    const reason =
      err instanceof OrtRuntimeError
        ? err.reason
        : err instanceof Error
          ? err.message
          : String(err);
    throw new ModelError(
      `${file}: not a loadable ONNX model (${bytes.byteLength} bytes): ${reason.split('\n')[0]}`,
    );
  }
}

export class OnnxClipEncoder implements ClipEncoder {
  readonly modelId: string;
  readonly dim: number;
  readonly executionProviders: string[];
  /** Patch features (clip/dense), when the model has them. */
  dense?: DenseFeatureSource;
  denseUnavailable?: string;
  /** The rewritten-last-block session behind `dense`, released with the encoder. */
  private denseBlock?: VitDenseSource;
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
    // Dense features need the last block's input as an extra output of the one vision session.
    let densePlan: VitDensePlan | undefined;
    let denseUnavailable: string | undefined;
    if (options.dense !== false) {
      const planned = planVitDense(options.vision.bytes, options.vision.file, {
        method: options.denseMethod,
        numHeads: options.visionNumHeads,
      });
      densePlan = planned.plan;
      denseUnavailable = planned.unavailable;
    }
    let visionSession: ort.InferenceSession;
    if (densePlan) {
      try {
        visionSession = await createSession(densePlan.visionBytes, options.vision.file, providers);
      } catch (err) {
        // The unmodified model may still load; it then just has no dense features.
        denseUnavailable = `${(err as Error).message} (with the dense output added)`;
        densePlan = undefined;
        visionSession = await createSession(options.vision.bytes, options.vision.file, providers);
      }
    } else {
      visionSession = await createSession(options.vision.bytes, options.vision.file, providers);
    }
    let textSession: ort.InferenceSession | undefined;
    let denseSource: VitDenseSource | undefined;
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
      const encoder = new OnnxClipEncoder(
        options,
        dim,
        providers,
        visionSession,
        textSession,
        vision,
        text,
        options.tokenizer,
      );
      encoder.attachNativePatches(visionSession);
      if (!encoder.dense && densePlan) {
        if (densePlan.block.dim !== dim) {
          denseUnavailable = `${options.vision.file}: the projection found for dense features gives ${densePlan.block.dim} dims, not the model's ${dim}`;
        } else {
          try {
            denseSource = await createVitDenseSource(densePlan, visionSession, {
              createSession: (bytes, file) => createSession(bytes, file, providers),
              pixelType:
                vision.inputs.get('pixel_values')!.type === 'float16' ? 'float16' : 'float32',
              maxBatch: Math.max(1, options.maxBatch ?? CLIP_MODEL_DEFAULTS.encoderMaxBatch),
            });
            encoder.dense = denseSource;
            encoder.denseBlock = denseSource;
          } catch (err) {
            if (!(err instanceof ModelError)) throw err;
            denseUnavailable = err.message;
          }
        }
      }
      if (!encoder.dense && !encoder.denseUnavailable && denseUnavailable !== undefined) {
        encoder.denseUnavailable = denseUnavailable;
      }
      return encoder;
    } catch (err) {
      await visionSession.release().catch(() => undefined);
      await textSession?.release().catch(() => undefined);
      await denseSource?.release().catch(() => undefined);
      throw err;
    }
  }

  private checkOutput(
    output: ort.Tensor | undefined,
    name: string,
    file: string,
    batch: number,
    rows = 0,
  ): Float32Array {
    if (!output) throw new ModelError(`${file}: produced no '${name}'`);
    const dims = output.dims;
    const want = rows ? [batch, rows, this.dim] : [batch, this.dim];
    if (dims.length !== want.length || dims.some((d, i) => d !== want[i])) {
      throw new ModelError(
        `${file}: '${name}' has shape [${dims.join(',')}], expected [${want.join(',')}]`,
      );
    }
    const data =
      output.type === 'float16'
        ? fromFloat16Array(output.data as Uint16Array)
        : Float32Array.from(output.data as Float32Array);
    const stage = file === this.textFile ? 'text encoding' : 'image encoding';
    checkFiniteOutput(data, this.dim, { file, output: name, stage });
    return data;
  }

  /** A vision graph with its own `patch_embeds` [batch, P, D] output serves dense features. */
  private attachNativePatches(session: ort.InferenceSession): void {
    if (!session.outputNames.includes(NATIVE_PATCH_OUTPUT)) return;
    const meta = session.outputMetadata.find((m) => m.name === NATIVE_PATCH_OUTPUT);
    const shape = meta?.isTensor ? meta.shape : [];
    const grid = nativePatchGrid(typeof shape[1] === 'number' ? shape[1] : undefined);
    if (!grid || shape[2] !== this.dim) {
      this.denseUnavailable = `${this.visionFile}: '${NATIVE_PATCH_OUTPUT}' has shape [${shape.join(',')}], expected [batch, rows·cols, ${this.dim}] with a square grid`;
      return;
    }
    this.dense = nativePatchSource(grid, this.dim, this.visionFile, (pixels, batch) =>
      this.embedImagesRaw(pixels, batch, NATIVE_PATCH_OUTPUT, grid.rows * grid.cols),
    );
  }

  /**
   * Image embeddings before normalisation (batch·D), in chunks of maxBatch; or another vision
   * output with `rows` D-vectors per image (batch·rows·D), e.g. patch features.
   */
  async embedImagesRaw(
    pixelValues: Float32Array,
    batch: number,
    outputName = 'image_embeds',
    rows = 0,
  ): Promise<Float32Array> {
    const per = 3 * CLIP_IMAGE_SIDE * CLIP_IMAGE_SIDE;
    if (!Number.isInteger(batch) || batch < 0 || pixelValues.length !== batch * per) {
      throw new RangeError(
        `pixel_values must hold batch·3·224·224 = ${batch * per} floats, got ${pixelValues.length}`,
      );
    }
    const perImage = (rows || 1) * this.dim;
    const out = new Float32Array(batch * perImage);
    const inputType = this.vision.inputs.get('pixel_values')!.type;
    for (let start = 0; start < batch; start += this.maxBatch) {
      const n = Math.min(this.maxBatch, batch - start);
      const chunk = pixelValues.subarray(start * per, (start + n) * per);
      const tensor =
        inputType === 'float16'
          ? new (ortModule().Tensor)('float16', toFloat16Array(chunk), [
              n,
              3,
              CLIP_IMAGE_SIDE,
              CLIP_IMAGE_SIDE,
            ])
          : new (ortModule().Tensor)('float32', chunk, [n, 3, CLIP_IMAGE_SIDE, CLIP_IMAGE_SIDE]);
      const result = await this.visionSession.run({ pixel_values: tensor }, [outputName]);
      out.set(
        this.checkOutput(result[outputName], outputName, this.visionFile, n, rows),
        start * perImage,
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
            ? new (ortModule().Tensor)('int32', Int32Array.from(chunk, Number), [n, ctx])
            : new (ortModule().Tensor)('int64', chunk, [n, ctx]),
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
            ? new (ortModule().Tensor)('int32', Int32Array.from(mask, Number), [n, ctx])
            : new (ortModule().Tensor)('int64', mask, [n, ctx]);
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
    await this.denseBlock?.release();
  }
}
