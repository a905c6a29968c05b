/**
 * The offline encoder's own byte-level BPE vocabulary, laid out like CLIP's: the 256 byte symbols
 * (GPT-2/CLIP byte-to-unicode order), the same 256 with '</w>', one token per merge, then
 * <|startoftext|> and <|endoftext|>. The merges are learned here by plain BPE training on a short
 * word list, so each listed word encodes to exactly one token, and any other text still tokenizes
 * through the byte symbols.
 */
import { OFFLINE_VOCAB_WORDS } from './offline-spec';

export const END_OF_WORD = '</w>';
export const START_TOKEN = '<|startoftext|>';
export const END_TOKEN = '<|endoftext|>';

/** CLIP's bytes_to_unicode(): printable bytes map to themselves, the rest to U+0100 onwards. */
export function byteSymbols(): string[] {
  const bytes: number[] = [];
  const push = (from: number, to: number) => {
    for (let b = from; b <= to; b++) bytes.push(b);
  };
  push(0x21, 0x7e);
  push(0xa1, 0xac);
  push(0xae, 0xff);
  const codes = [...bytes];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      codes.push(256 + n++);
    }
  }
  return codes.map((c) => String.fromCodePoint(c));
}

export interface OfflineVocabulary {
  /** token string → id, in id order. */
  tokens: string[];
  /** Merges as 'left right' strings, in rank order. */
  merges: string[];
  startId: number;
  endId: number;
}

/** Greedy BPE training: merge the most frequent adjacent pair (ties: first seen) until every word is one symbol. */
export function learnMerges(words: readonly string[]): [string, string][] {
  const segmented = words.map((w) => {
    const chars = [...w];
    chars[chars.length - 1] += END_OF_WORD;
    return chars;
  });
  const merges: [string, string][] = [];
  for (;;) {
    const counts = new Map<string, { pair: [string, string]; count: number; order: number }>();
    let order = 0;
    for (const symbols of segmented) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        const entry = counts.get(key);
        if (entry) entry.count++;
        else counts.set(key, { pair: [symbols[i], symbols[i + 1]], count: 1, order: order++ });
      }
    }
    if (counts.size === 0) return merges;
    let best: { pair: [string, string]; count: number; order: number } | undefined;
    for (const entry of counts.values()) {
      if (
        !best ||
        entry.count > best.count ||
        (entry.count === best.count && entry.order < best.order)
      )
        best = entry;
    }
    const [left, right] = best!.pair;
    merges.push([left, right]);
    for (const symbols of segmented) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        if (symbols[i] === left && symbols[i + 1] === right) symbols.splice(i, 2, left + right);
      }
    }
  }
}

export function buildOfflineVocabulary(
  words: readonly string[] = OFFLINE_VOCAB_WORDS,
): OfflineVocabulary {
  const symbols = byteSymbols();
  const tokens = [...symbols, ...symbols.map((s) => s + END_OF_WORD)];
  const seen = new Set(tokens);
  const merges: string[] = [];
  for (const [left, right] of learnMerges(words)) {
    const merged = left + right;
    if (seen.has(merged))
      throw new Error(`offline vocabulary: merge '${left} ${right}' repeats a token`);
    seen.add(merged);
    tokens.push(merged);
    merges.push(`${left} ${right}`);
  }
  const startId = tokens.push(START_TOKEN) - 1;
  const endId = tokens.push(END_TOKEN) - 1;
  return { tokens, merges, startId, endId };
}
