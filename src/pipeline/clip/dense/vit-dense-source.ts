/**
 * Dense patch features for a CLIP ViT ONNX model, from one forward pass: the vision session
 * (created once, from the model bytes with the last block's input stream added as an extra graph
 * output) yields the stream, and a small second session runs the rewritten last block
 * (dense-block-graph.ts) on it. The vision model is never loaded twice.
 *
 * Use in two steps around the vision session's creation:
 *   const planned = planVitDense(bytes, file, { method });        // before: analyse, add output
 *   session = createSession(planned.plan?.visionBytes ?? bytes);   // the encoder's one session
 *   const dense = await createVitDenseSource(planned.plan, session, …);
 */
import { checkFiniteOutput } from '../encoder/finite-output';
import type * as ort from 'onnxruntime-web';
import { ModelError } from '../../errors';
import { ortModule } from '../encoder/ort-runtime';
import { fromFloat16Array, toFloat16Array } from '../../io/float16';
import { l2NormaliseRows } from '../encoder/l2-normalise';
import { readOnnxModel, withExtraOutputs } from '../onnx/onnx-reader';
import { buildDenseBlockGraph, DENSE_PATCH_OUTPUT, DENSE_STREAM_INPUT } from './dense-block-graph';
import type { DenseBlockMethod, DenseFeatureSource, PatchGrid } from './types';
import { analyseVitGraph, VIT_INPUT_SIDE, type VitLastBlock } from './vit-analysis';

export const DEFAULT_DENSE_METHOD: DenseBlockMethod = 'clearclip';

export interface VitDensePlan {
  file: string;
  method: DenseBlockMethod;
  block: VitLastBlock;
  /** The vision model with the stream as an extra output: create the vision session from this. */
  visionBytes: Uint8Array;
}

export interface PlanVitDenseOptions {
  method?: DenseBlockMethod;
  /** config.json vision_config.num_attention_heads (used when the graph's reshapes are dynamic). */
  numHeads?: number;
}

/** Analyses the vision graph; the reason (a ModelError's message) when it is not a usable ViT. */
export function planVitDense(
  visionBytes: Uint8Array,
  file: string,
  options: PlanVitDenseOptions = {},
): { plan: VitDensePlan; unavailable?: undefined } | { plan?: undefined; unavailable: string } {
  try {
    const model = readOnnxModel(visionBytes, file);
    const block = analyseVitGraph(model, { numHeads: options.numHeads });
    // A graph that already outputs the stream (e.g. all hidden states) needs no extra output.
    const present = model.graph.outputs.some((o) => o.name === block.stream.name);
    return {
      plan: {
        file,
        method: options.method ?? DEFAULT_DENSE_METHOD,
        block,
        visionBytes: present ? visionBytes : withExtraOutputs(visionBytes, [block.stream]),
      },
    };
  } catch (err) {
    if (err instanceof ModelError) return { unavailable: err.message };
    // Dense features are optional: an analysis bug must not stop a loadable model from loading.
    const reason = err instanceof Error ? err.message : String(err);
    return {
      unavailable: `${file}: no dense patch features (the graph analysis failed: ${reason})`,
    };
  }
}

export type SessionFactory = (bytes: Uint8Array, file: string) => Promise<ort.InferenceSession>;

export interface VitDenseSourceOptions {
  /** Creates an ORT session (the encoder's createSession with its execution providers). */
  createSession: SessionFactory;
  /** The vision session's pixel_values element type. */
  pixelType: 'float32' | 'float16';
  /** Largest batch per session.run. */
  maxBatch: number;
}

export class VitDenseSource implements DenseFeatureSource {
  readonly grid: PatchGrid;
  readonly dim: number;
  readonly method: DenseBlockMethod;
  private readonly streamName: string;
  private readonly tokens: number;
  private readonly width: number;
  private readonly file: string;

  constructor(
    plan: VitDensePlan,
    private readonly vision: ort.InferenceSession,
    private readonly block: ort.InferenceSession,
    private readonly options: VitDenseSourceOptions,
  ) {
    this.grid = plan.block.grid;
    this.dim = plan.block.dim;
    this.method = plan.method;
    this.streamName = plan.block.stream.name;
    this.tokens = plan.block.tokens;
    this.width = plan.block.width;
    this.file = plan.file;
  }

  async embedPatches(pixelValues: Float32Array, batch: number): Promise<Float32Array> {
    const side = VIT_INPUT_SIDE;
    const per = 3 * side * side;
    if (!Number.isInteger(batch) || batch < 0 || pixelValues.length !== batch * per) {
      throw new RangeError(
        `pixel_values must hold batch·3·224·224 = ${batch * per} floats, got ${pixelValues.length}`,
      );
    }
    const patches = this.grid.rows * this.grid.cols;
    const out = new Float32Array(batch * patches * this.dim);
    const maxBatch = Math.max(1, this.options.maxBatch);
    for (let start = 0; start < batch; start += maxBatch) {
      const n = Math.min(maxBatch, batch - start);
      const chunk = pixelValues.subarray(start * per, (start + n) * per);
      const pixels =
        this.options.pixelType === 'float16'
          ? new (ortModule().Tensor)('float16', toFloat16Array(chunk), [n, 3, side, side])
          : new (ortModule().Tensor)('float32', chunk, [n, 3, side, side]);
      const visionOut = await this.vision.run({ pixel_values: pixels }, [this.streamName]);
      pixels.dispose();
      const stream = visionOut[this.streamName];
      this.checkDims(stream, [n, this.tokens, this.width], 'the last block input');
      const streamData =
        stream.type === 'float16'
          ? fromFloat16Array(stream.data as Uint16Array)
          : (stream.data as Float32Array);
      const feed = new (ortModule().Tensor)('float32', streamData, [n, this.tokens, this.width]);
      const blockOut = await this.block.run({ [DENSE_STREAM_INPUT]: feed }, [DENSE_PATCH_OUTPUT]);
      stream.dispose();
      const features = blockOut[DENSE_PATCH_OUTPUT];
      this.checkDims(features, [n, patches, this.dim], DENSE_PATCH_OUTPUT);
      checkFiniteOutput(features.data as Float32Array, this.dim, {
        file: this.file,
        output: DENSE_PATCH_OUTPUT,
        stage: `dense ${this.method} patch features`,
      });
      out.set(features.data as Float32Array, start * patches * this.dim);
      features.dispose();
    }
    l2NormaliseRows(out, this.dim);
    return out;
  }

  private checkDims(t: ort.Tensor | undefined, want: number[], what: string): asserts t {
    if (!t) throw new ModelError(`${this.file}: produced no ${what}`);
    if (t.dims.length !== want.length || t.dims.some((d, i) => d !== want[i])) {
      throw new ModelError(
        `${this.file}: ${what} has shape [${t.dims.join(',')}], expected [${want.join(',')}] (a ${this.grid.rows}×${this.grid.cols} grid + CLS)`,
      );
    }
  }

  async release(): Promise<void> {
    await this.block.release();
  }
}

/**
 * The dense source over an already created vision session (made from `plan.visionBytes`): builds
 * and loads the rewritten last block.
 */
export async function createVitDenseSource(
  plan: VitDensePlan,
  visionSession: ort.InferenceSession,
  options: VitDenseSourceOptions,
): Promise<VitDenseSource> {
  if (!visionSession.outputNames.includes(plan.block.stream.name)) {
    throw new ModelError(
      `${plan.file}: the vision session does not output the last block input '${plan.block.stream.name}'`,
    );
  }
  const bytes = buildDenseBlockGraph(plan.block, plan.method);
  const block = await options.createSession(bytes, `${plan.file} (dense ${plan.method} block)`);
  return new VitDenseSource(plan, visionSession, block, options);
}
