import { ModelError, ParseError } from '../../errors';
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
  if (token && typeof token.id === 'number') return token.id;
  return vocab.get(name);
}

export function parseTokenizerJson(bytes: Uint8Array, file = 'tokenizer.json'): BpeModelSpec {
  let root: unknown;
  try {
    root = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch (err) {
    throw new ParseError({ file, byteOffset: 0 }, `invalid JSON (${(err as Error).message})`);
  }
  if (!isRecord(root)) throw notClip(file, 'the top level is not an object');
  const model = root.model;
  if (!isRecord(model)) throw notClip(file, 'no "model" section');
  if (model.type !== undefined && model.type !== 'BPE') {
    throw notClip(file, `model.type is ${JSON.stringify(model.type)}, expected "BPE"`);
  }
  if (model.end_of_word_suffix !== END_OF_WORD) {
    throw notClip(
      file,
      `model.end_of_word_suffix is ${JSON.stringify(model.end_of_word_suffix ?? null)}, expected "${END_OF_WORD}"`,
    );
  }
  const prefix = model.continuing_subword_prefix;
  if (prefix !== undefined && prefix !== null && prefix !== '') {
    throw notClip(
      file,
      `model.continuing_subword_prefix ${JSON.stringify(prefix)} is not supported`,
    );
  }
  if (!isRecord(model.vocab)) throw notClip(file, 'model.vocab is not a {token: id} object');
  if (!Array.isArray(model.merges)) throw notClip(file, 'model.merges is not an array');

  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new ModelError(
        `${file}: model.vocab[${JSON.stringify(token)}] = ${JSON.stringify(id)} is not a token id`,
      );
    }
    vocab.set(token, id);
  }
  const merges = model.merges.map((m, i) => parseMerge(m, i, file));

  const added = Array.isArray(root.added_tokens) ? (root.added_tokens as AddedToken[]) : [];
  for (const t of added) {
    if (
      isRecord(t) &&
      typeof t.content === 'string' &&
      typeof t.id === 'number' &&
      !vocab.has(t.content)
    ) {
      vocab.set(t.content, t.id);
    }
  }
  const startId = findSpecialId(START_TOKEN, added, vocab);
  const endId = findSpecialId(END_TOKEN, added, vocab);
  if (startId === undefined || endId === undefined) {
    throw notClip(file, `no ${START_TOKEN} and ${END_TOKEN} tokens`);
  }
  const padding = root.padding;
  const padId =
    isRecord(padding) && typeof padding.pad_id === 'number' && Number.isInteger(padding.pad_id)
      ? padding.pad_id
      : 0;
  return { vocab, merges, startId, endId, padId, source: file };
}
