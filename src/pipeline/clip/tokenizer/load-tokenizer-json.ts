import { CLIP_TOKENIZER_DEFAULTS } from '../../defaults';
import { ModelError } from '../../errors';
import { describeJsonValue, parseJsonBytes } from '../../io/safe-json';
import { END_OF_WORD, END_TOKEN, START_TOKEN, type BpeModelSpec } from './bpe-model';

/**
 * A Hugging Face `tokenizer.json` as CLIP ONNX folders ship it (e.g. Xenova/clip-vit-base-patch32):
 * `model` {type 'BPE', vocab {token: id}, merges ["a b", ...] or [["a","b"], ...],
 * end_of_word_suffix '</w>'}, `added_tokens` with <|startoftext|> and <|endoftext|>, optional
 * `padding.pad_id`. Its normalizer (NFC, whitespace runs → ' ', lowercase) and Split pre-tokenizer
 * are CLIP's; we always apply openai/CLIP's cleaning (which adds HTML unescaping) and pattern.
 */

interface AddedToken {
  id?: unknown;
  content?: unknown;
}

/** A token id the encoder's int64 input and our Int32 buffers can hold exactly. */
const isTokenId = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= CLIP_TOKENIZER_DEFAULTS.maxTokenId;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function notClip(file: string, why: string): ModelError {
  return new ModelError(`${file}: not a CLIP tokenizer: ${why}`);
}

function parseMerge(entry: unknown, index: number, file: string): [string, string] {
  if (typeof entry === 'string') {
    const parts = entry.split(' ');
    if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return [parts[0], parts[1]];
  } else if (
    Array.isArray(entry) &&
    entry.length === 2 &&
    typeof entry[0] === 'string' &&
    typeof entry[1] === 'string'
  ) {
    return [entry[0], entry[1]];
  }
  throw new ModelError(`${file}: model.merges[${index}] is not a pair of tokens`);
}

function findSpecialId(
  name: string,
  added: AddedToken[],
  vocab: Map<string, number>,
): number | undefined {
  const token = added.find((t) => t.content === name);
  if (token && isTokenId(token.id)) return token.id;
  return vocab.get(name);
}

export function parseTokenizerJson(bytes: Uint8Array, file = 'tokenizer.json'): BpeModelSpec {
  // Size- and depth-limited; syntax errors are ParseErrors with the line and column.
  const root = parseJsonBytes(bytes, file);
  if (!isRecord(root)) throw notClip(file, 'the top level is not an object');
  const model = root.model;
  if (!isRecord(model)) throw notClip(file, 'no "model" section');
  if (model.type !== undefined && model.type !== 'BPE') {
    throw notClip(file, `model.type is ${describeJsonValue(model.type)}, expected "BPE"`);
  }
  if (model.end_of_word_suffix !== END_OF_WORD) {
    throw notClip(
      file,
      `model.end_of_word_suffix is ${describeJsonValue(model.end_of_word_suffix ?? null)}, expected "${END_OF_WORD}"`,
    );
  }
  const prefix = model.continuing_subword_prefix;
  if (prefix !== undefined && prefix !== null && prefix !== '') {
    throw notClip(
      file,
      `model.continuing_subword_prefix ${describeJsonValue(prefix)} is not supported`,
    );
  }
  if (!isRecord(model.vocab)) throw notClip(file, 'model.vocab is not a {token: id} object');
  if (!Array.isArray(model.merges)) throw notClip(file, 'model.merges is not an array');

  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab)) {
    if (!isTokenId(id)) {
      throw new ModelError(
        `${file}: model.vocab[${JSON.stringify(token.slice(0, 40))}] = ${describeJsonValue(id)} is not a token id`,
      );
    }
    vocab.set(token, id);
  }
  const merges = model.merges.map((m, i) => parseMerge(m, i, file));

  const added = Array.isArray(root.added_tokens) ? (root.added_tokens as AddedToken[]) : [];
  for (const [i, t] of added.entries()) {
    if (!isRecord(t) || typeof t.content !== 'string') continue;
    if (!isTokenId(t.id)) {
      throw new ModelError(
        `${file}: added_tokens[${i}].id = ${describeJsonValue(t.id)} is not a token id (0..${CLIP_TOKENIZER_DEFAULTS.maxTokenId})`,
      );
    }
    if (!vocab.has(t.content)) vocab.set(t.content, t.id);
  }
  const startId = findSpecialId(START_TOKEN, added, vocab);
  const endId = findSpecialId(END_TOKEN, added, vocab);
  if (startId === undefined || endId === undefined) {
    throw notClip(file, `no ${START_TOKEN} and ${END_TOKEN} tokens`);
  }
  const padding = root.padding;
  const padId =
    isRecord(padding) && padding.pad_id !== undefined && padding.pad_id !== null
      ? padding.pad_id
      : 0;
  if (!isTokenId(padId)) {
    throw new ModelError(`${file}: padding.pad_id = ${describeJsonValue(padId)} is not a token id`);
  }
  return { vocab, merges, startId, endId, padId, source: file };
}
