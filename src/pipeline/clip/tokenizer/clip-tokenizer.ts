import type { TextTokenizer } from '../types';
import { CLIP_TOKENIZER_DEFAULTS } from '../../defaults';
import { BpeModel, END_TOKEN, START_TOKEN, type BpeModelSpec } from './bpe-model';
import { CLIP_WORD_PATTERN, normaliseClipText } from './clean';

export interface ClipTokenizerOptions {
  /** Sequence length including start and end (CLIP: 77). */
  contextLength?: number;
  /** Most words kept in the word → ids cache. */
  cacheSize?: number;
}

const utf8 = new TextEncoder();

/**
 * CLIP's tokenizer (openai/CLIP `simple_tokenizer.py` + `clip.tokenize`): clean, lowercase, split
 * into words, byte-level BPE per word, wrap in start/end, truncate to the context with the end
 * token kept last, pad for batches.
 */
export class ClipTokenizer implements TextTokenizer {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly startId: number;
  readonly endId: number;
  readonly padId: number;
  private readonly model: BpeModel;
  private readonly cache = new Map<string, readonly number[]>();
  private readonly cacheSize: number;

  constructor(spec: BpeModelSpec | BpeModel, options: ClipTokenizerOptions = {}) {
    this.model = spec instanceof BpeModel ? spec : new BpeModel(spec);
    this.vocabSize = this.model.vocabSize;
    this.startId = this.model.spec.startId;
    this.endId = this.model.spec.endId;
    this.padId = this.model.spec.padId;
    this.contextLength = options.contextLength ?? CLIP_TOKENIZER_DEFAULTS.contextLength;
    if (!Number.isInteger(this.contextLength) || this.contextLength < 2) {
      throw new RangeError(`context length must be an integer >= 2, got ${this.contextLength}`);
    }
    this.cacheSize = options.cacheSize ?? CLIP_TOKENIZER_DEFAULTS.wordCacheSize;
  }

  /** The tokenizer with a different context length or cache, sharing the BPE tables. */
  withOptions(options: ClipTokenizerOptions): ClipTokenizer {
    return new ClipTokenizer(this.model, {
      contextLength: this.contextLength,
      cacheSize: this.cacheSize,
      ...options,
    });
  }

  /** Ids of one word (after normalisation and splitting). */
  encodeWord(word: string): readonly number[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    let ids: readonly number[];
    // simple_tokenizer's cache is seeded with the two special tokens: they encode as themselves.
    if (word === START_TOKEN) ids = [this.startId];
    else if (word === END_TOKEN) ids = [this.endId];
    else ids = this.model.encodeWordBytes(utf8.encode(word));
    if (this.cacheSize > 0) {
      if (this.cache.size >= this.cacheSize) {
        // Bounded: drop the oldest entry (Map iterates in insertion order).
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
      this.cache.set(word, ids);
    }
    return ids;
  }

  /** BPE ids of the text without start/end and without truncation. */
  encodeContent(text: string, limit = Infinity): number[] {
    const out: number[] = [];
    const normalised = normaliseClipText(text);
    // A fresh regex per call: the shared one is global (stateful lastIndex).
    const pattern = new RegExp(CLIP_WORD_PATTERN.source, CLIP_WORD_PATTERN.flags);
    let match: RegExpExecArray | null;
    while (out.length < limit && (match = pattern.exec(normalised)) !== null) {
      for (const id of this.encodeWord(match[0])) out.push(id);
    }
    return out;
  }

  encode(text: string): number[] {
    // Only the first contextLength-2 content ids survive truncation, so stop there.
    const room = this.contextLength - 2;
    const content = this.encodeContent(text, room);
    if (content.length > room) content.length = room;
    return [this.startId, ...content, this.endId];
  }

  encodeBatch(texts: string[]): { ids: BigInt64Array; batch: number; contextLength: number } {
    const batch = texts.length;
    const ctx = this.contextLength;
    const ids = new BigInt64Array(batch * ctx);
    const pad = BigInt(this.padId);
    for (let b = 0; b < batch; b++) {
      const row = this.encode(texts[b]);
      for (let i = 0; i < ctx; i++) ids[b * ctx + i] = i < row.length ? BigInt(row[i]) : pad;
    }
    return { ids, batch, contextLength: ctx };
  }

  /** Words currently cached (for tests and benches). */
  get cachedWords(): number {
    return this.cache.size;
  }

  clearCache(): void {
    this.cache.clear();
  }
}
