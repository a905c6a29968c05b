/**
 * GPT-2's reversible byte → printable-character table (`bytes_to_unicode` in CLIP's
 * `simple_tokenizer.py`): printable Latin-1 bytes map to themselves, the other 68 bytes to
 * U+0100 upwards, so every byte string becomes a string of visible symbols.
 */

function buildByteToUnicode(): string[] {
  const direct: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) direct.push(b);
  for (let b = 0xa1; b <= 0xac; b++) direct.push(b);
  for (let b = 0xae; b <= 0xff; b++) direct.push(b);
  const table = new Array<string>(256);
  for (const b of direct) table[b] = String.fromCharCode(b);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) table[b] = String.fromCharCode(256 + next++);
  }
  return table;
}

/** BYTE_TO_UNICODE[b] is the symbol for byte b. */
export const BYTE_TO_UNICODE: readonly string[] = buildByteToUnicode();

/**
 * The 256 byte symbols in the order CLIP numbers them (its vocab starts with
 * `list(bytes_to_unicode().values())`: the direct bytes first, then the remapped ones).
 */
export function byteSymbolsInVocabOrder(): string[] {
  const direct: number[] = [];
  const remapped: number[] = [];
  for (let b = 0; b < 256; b++) {
    if (BYTE_TO_UNICODE[b].charCodeAt(0) === b) direct.push(b);
    else remapped.push(b);
  }
  return [...direct, ...remapped].map((b) => BYTE_TO_UNICODE[b]);
}

const encoder = new TextEncoder();

/** UTF-8 bytes of `word` as byte symbols. */
export function wordToByteSymbols(word: string): string {
  const bytes = encoder.encode(word);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_UNICODE[bytes[i]];
  return out;
}
