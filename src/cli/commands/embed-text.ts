import type { CliCommand } from '../command';
import { CliUsageError, flagNumber, flagString } from '../args';
import { loadNodeClipModel } from '../../hosts/node/model-spec';
import type { OrtRuntimeInfo } from '../../pipeline/clip/encoder/ort-runtime';
import { formatRuntime, modelRuntime } from '../model-runtime';

/** How many leading values of the embedding to print. */
const FIRST_VALUES = 8;

export interface EmbedTextResult {
  model: string;
  text: string;
  tokens: number[];
  dim: number;
  /** L2 norm of the model's output before normalisation. */
  norm: number;
  /** The first values of the normalised embedding. */
  first: number[];
  /** The onnxruntime that ran the model (native or wasm) and its threads. */
  runtime: OrtRuntimeInfo;
}

export const embedTextCommand: CliCommand = {
  name: 'embed-text',
  usage:
    'embed-text [--model offline|hub[:REPO]|DIR] [--variant quantized|fp32|fp16] [--threads n] [--cache-dir DIR] TEXT',
  summary: 'embed a text with a CLIP model: dimension, norm before normalisation, first values',
  async run(args, io) {
    if (args.positionals.length === 0)
      throw new CliUsageError('embed-text needs the TEXT to embed');
    const text = args.positionals.join(' ');
    const model = await loadNodeClipModel(flagString(args, 'model'), {
      variant: flagString(args, 'variant'),
      cacheDir: flagString(args, 'cache-dir'),
      numThreads: flagNumber(args, 'threads'),
      onProgress: (p) =>
        io.progress(`${p.stage} ${p.message ?? ''} ${p.done}/${p.total || '?'} ${p.unit ?? ''}`),
    });
    try {
      const { embeddings, norms } = await model.encoder.embedTextsWithNorms([text]);
      const result: EmbedTextResult = {
        model: model.config.modelId,
        text,
        tokens: model.tokenizer.encode(text),
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
    const r = result as EmbedTextResult;
    return [
      `model: ${r.model}`,
      `tokens: ${r.tokens.length} [${r.tokens.join(', ')}]`,
      `dim: ${r.dim}`,
      `norm before normalisation: ${r.norm.toPrecision(6)}`,
      `first values: ${r.first.map((v) => v.toFixed(5)).join(' ')}`,
      `runtime: ${formatRuntime(r.runtime)}`,
    ].join('\n');
  },
};
