import { ModelError } from '../../errors';
import { BYTE_TO_UNICODE } from './byte-unicode';

/** CLIP marks the last symbol of every word with this suffix. */
export const END_OF_WORD = '</w>';
export const START_TOKEN = '<|startoftext|>';
export const END_TOKEN = '<|endoftext|>';

/** What a loader hands to the tokenizer: a vocabulary, ranked merges and the special tokens. */
export interface BpeModelSpec {
  /** Token string → id (CLIP: 49,408 entries; the offline encoder's is much smaller). */
  vocab: Map<string, number>;
  /** Merges in rank order (rank = index). */
  merges: Array<[string, string]>;
  startId: number;
  endId: number;
  /** Padding id for `encodeBatch` (CLIP's `tokenize` pads with 0). */
  padId: number;
  /** Where the vocabulary came from, for error messages. */
  source: string;
}

/** A merge of two adjacent symbols: its rank and the id of the merged symbol. */
interface MergeRule {
  rank: number;
  merged: number;
}

/**
 * The BPE tables in id space: every symbol is an id, a merge is looked up by the pair of ids.
 * Ids come from the file, never assumed (any vocabulary size works).
 */
export class BpeModel {
  readonly vocabSize: number;
  /** Id of byte b's symbol, and of the symbol with `</w>` (a word's last byte). */
  readonly byteIds: Int32Array;
  readonly byteEndIds: Int32Array;
  private readonly rules = new Map<number, MergeRule>();
  private readonly pairBase: number;

  constructor(readonly spec: BpeModelSpec) {
    let maxId = -1;
    for (const id of spec.vocab.values()) {
      if (!Number.isInteger(id) || id < 0) {
        throw new ModelError(`${spec.source}: token id ${id} is not a non-negative integer`);
      }
      if (id > maxId) maxId = id;
    }
    for (const [name, id] of [
      ['start', spec.startId],
      ['end', spec.endId],
      ['pad', spec.padId],
    ] as const) {
      if (!Number.isInteger(id) || id < 0) {
        throw new ModelError(
          `${spec.source}: ${name} token id ${id} is not a non-negative integer`,
        );
      }
    }
    this.vocabSize = Math.max(maxId, spec.startId, spec.endId, spec.padId) + 1;
    this.pairBase = this.vocabSize;

    this.byteIds = new Int32Array(256);
    this.byteEndIds = new Int32Array(256);
    for (let b = 0; b < 256; b++) {
      const symbol = BYTE_TO_UNICODE[b];
      const id = spec.vocab.get(symbol);
      const endId = spec.vocab.get(symbol + END_OF_WORD);
      if (id === undefined || endId === undefined) {
        throw new ModelError(
          `${spec.source}: not a CLIP byte-level vocabulary (no token for byte 0x${b.toString(16)}` +
            ` '${symbol}' and '${symbol}${END_OF_WORD}')`,
        );
      }
      this.byteIds[b] = id;
      this.byteEndIds[b] = endId;
    }

    spec.merges.forEach(([a, b], rank) => {
      const left = spec.vocab.get(a);
      const right = spec.vocab.get(b);
      const merged = spec.vocab.get(a + b);
      if (left === undefined || right === undefined || merged === undefined) {
        throw new ModelError(
          `${spec.source}: merge ${rank + 1} '${a} ${b}' refers to a token missing from the vocabulary`,
        );
      }
      const key = left * this.pairBase + right;
      // Like a Python dict built in rank order, a repeated pair keeps its last rank.
      this.rules.set(key, { rank, merged });
    });
  }

  get mergeCount(): number {
    return this.rules.size;
  }

  /**
   * BPE of one word given as UTF-8 bytes: repeatedly merge the lowest-ranked adjacent pair
   * (every non-overlapping occurrence, left to right), as `SimpleTokenizer.bpe` does.
   */
  encodeWordBytes(bytes: Uint8Array): number[] {
    const n = bytes.length;
    if (n === 0) return [];
    let word: number[] = new Array<number>(n);
    for (let i = 0; i < n - 1; i++) word[i] = this.byteIds[bytes[i]];
    word[n - 1] = this.byteEndIds[bytes[n - 1]];

    const rules = this.rules;
    const base = this.pairBase;
    while (word.length > 1) {
      let best: MergeRule | undefined;
      let bestLeft = -1;
      let bestRight = -1;
      for (let i = 0; i < word.length - 1; i++) {
        const rule = rules.get(word[i] * base + word[i + 1]);
        if (rule !== undefined && (best === undefined || rule.rank < best.rank)) {
          best = rule;
          bestLeft = word[i];
          bestRight = word[i + 1];
        }
      }
      if (best === undefined) break;
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === bestLeft && word[i + 1] === bestRight) {
          next.push(best.merged);
          i++;
        } else next.push(word[i]);
      }
      word = next;
    }
    return word;
  }
}
