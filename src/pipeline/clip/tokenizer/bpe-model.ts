import { ModelError } from '../../errors';
import { BYTE_TO_UNICODE } from './byte-unicode';

/** CLIP marks the last symbol of every word with this suffix. */
export const END_OF_WORD = '</w>';
export const START_TOKEN = '<|startoftext|>';
export const END_TOKEN = '<|endoftext|>';

/** Ids must stay below this so that a pair of ids is an exact number key (id * base + id). */
export const MAX_TOKEN_ID = 2 ** 24;

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
  /**
   * True when every merged symbol has one producing merge and every merge ranks after the merges
   * producing its parts (true of real BPE tables). Then a merge never creates a pair that ranks
   * before it, so the heap algorithm for long words gives exactly the reference result.
   */
  readonly mergesOrdered: boolean;
  private readonly rules = new Map<number, MergeRule>();
  private readonly pairBase: number;

  constructor(readonly spec: BpeModelSpec) {
    let maxId = -1;
    for (const id of spec.vocab.values()) {
      if (!Number.isInteger(id) || id < 0 || id >= MAX_TOKEN_ID) {
        throw new ModelError(
          `${spec.source}: token id ${id} is not an integer in [0, ${MAX_TOKEN_ID})`,
        );
      }
      if (id > maxId) maxId = id;
    }
    for (const [name, id] of [
      ['start', spec.startId],
      ['end', spec.endId],
      ['pad', spec.padId],
    ] as const) {
      if (!Number.isInteger(id) || id < 0 || id >= MAX_TOKEN_ID) {
        throw new ModelError(
          `${spec.source}: ${name} token id ${id} is not an integer in [0, ${MAX_TOKEN_ID})`,
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
    this.mergesOrdered = this.checkMergeOrder();
  }

  private checkMergeOrder(): boolean {
    const producerRank = new Map<number, number>();
    for (const rule of this.rules.values()) {
      if (producerRank.has(rule.merged)) return false;
      producerRank.set(rule.merged, rule.rank);
    }
    for (const [key, rule] of this.rules) {
      const left = Math.floor(key / this.pairBase);
      const right = key - left * this.pairBase;
      if ((producerRank.get(left) ?? -1) >= rule.rank) return false;
      if ((producerRank.get(right) ?? -1) >= rule.rank) return false;
    }
    return true;
  }

  /** Initial symbols of a word: one per UTF-8 byte, the last one with `</w>`. */
  private initialSymbols(bytes: Uint8Array): number[] {
    const n = bytes.length;
    const word: number[] = new Array<number>(n);
    for (let i = 0; i < n - 1; i++) word[i] = this.byteIds[bytes[i]];
    word[n - 1] = this.byteEndIds[bytes[n - 1]];
    return word;
  }

  /** Ids of one word given as UTF-8 bytes (quadratic reference loop, or a heap for long words). */
  encodeWordBytes(bytes: Uint8Array): number[] {
    if (bytes.length === 0) return [];
    if (bytes.length > LONG_WORD_BYTES && this.mergesOrdered) return this.encodeWordHeap(bytes);
    return this.encodeWordReference(bytes);
  }

  get mergeCount(): number {
    return this.rules.size;
  }

  /**
   * BPE of one word exactly as `SimpleTokenizer.bpe`: repeatedly merge the lowest-ranked adjacent
   * pair (every non-overlapping occurrence, left to right). O(n²) in the word length.
   */
  encodeWordReference(bytes: Uint8Array): number[] {
    if (bytes.length === 0) return [];
    let word = this.initialSymbols(bytes);

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

  /**
   * The same result in O(n log n) (as HF tokenizers' `Word::merge_all`): a min-heap of candidate
   * merges keyed by (rank, position) over a linked list of symbols; stale entries are skipped.
   */
  encodeWordHeap(bytes: Uint8Array): number[] {
    const n = bytes.length;
    if (n === 0) return [];
    const symbols = Int32Array.from(this.initialSymbols(bytes));
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    const alive = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = new MinHeap();
    const base = this.pairBase;
    const pushPair = (pos: number) => {
      const right = next[pos];
      if (right < 0) return;
      const rule = this.rules.get(symbols[pos] * base + symbols[right]);
      if (rule !== undefined) heap.push(rule.rank * POSITION_RANGE + pos);
    };
    for (let i = 0; i < n - 1; i++) pushPair(i);
    while (heap.size > 0) {
      const key = heap.pop();
      const rank = Math.floor(key / POSITION_RANGE);
      const pos = key - rank * POSITION_RANGE;
      const right = next[pos];
      if (!alive[pos] || right < 0) continue;
      const rule = this.rules.get(symbols[pos] * base + symbols[right]);
      if (rule === undefined || rule.rank !== rank) continue; // stale entry
      symbols[pos] = rule.merged;
      alive[right] = 0;
      next[pos] = next[right];
      if (next[right] >= 0) prev[next[right]] = pos;
      if (prev[pos] >= 0) pushPair(prev[pos]);
      pushPair(pos);
    }
    const out: number[] = [];
    for (let i = 0; i >= 0; i = next[i]) out.push(symbols[i]);
    return out;
  }
}

/** Words longer than this many bytes use the heap algorithm (when the merge table allows). */
const LONG_WORD_BYTES = 64;
/** Heap keys are rank * POSITION_RANGE + position: exact in a double for ranks < 2^21. */
const POSITION_RANGE = 2 ** 32;

/** A binary min-heap of numbers. */
class MinHeap {
  private items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && items[r] < items[l] ? r : l;
        if (items[child] >= last) break;
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
