import { basename, type FileSource } from '../../io/file-source';
import type { BpeModelSpec } from './bpe-model';
import { ClipTokenizer, type ClipTokenizerOptions } from './clip-tokenizer';
import { isGzip, parseClipBpeVocab } from './load-bpe-vocab';
import { parseTokenizerJson } from './load-tokenizer-json';

/**
 * One entry point for every tokenizer file: a Hugging Face `tokenizer.json` (starts with '{') or
 * CLIP's merges file (`bpe_simple_vocab_16e6.txt.gz`, gzipped or plain).
 */
export function parseTokenizerFile(bytes: Uint8Array, file: string): BpeModelSpec {
  if (isGzip(bytes)) return parseClipBpeVocab(bytes, file);
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 BOM
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  )
    i++;
  if (bytes[i] === 0x7b /* '{' */) return parseTokenizerJson(bytes, file);
  return parseClipBpeVocab(bytes, file);
}

export function createClipTokenizer(
  bytes: Uint8Array,
  file: string,
  options?: ClipTokenizerOptions,
): ClipTokenizer {
  return new ClipTokenizer(parseTokenizerFile(bytes, file), options);
}

/** Reads and parses a tokenizer file from a FileSource (model folder, dropped files, Node path). */
export async function loadClipTokenizer(
  source: FileSource,
  path: string,
  options?: ClipTokenizerOptions,
): Promise<ClipTokenizer> {
  const bytes = await source.read(path);
  // A single-file source is already named by the file's path.
  const label = source.name.endsWith(basename(path)) ? source.name : `${source.name}/${path}`;
  return createClipTokenizer(bytes, label, options);
}
