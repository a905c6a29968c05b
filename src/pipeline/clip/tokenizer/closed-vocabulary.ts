/**
 * A model's declared closed vocabulary: the words it has a meaning for, so a query can say "the
 * model does not know 'chair'" instead of returning a confident-looking guess.
 *
 * A model folder declares one in config.json (the bundled offline colour encoder does; CLIP
 * models do not, and are treated as open-vocabulary):
 *
 *   "closed_vocabulary": {
 *     "words": ["red", "gray", "object", ...],   // words the model has a meaning for
 *     "ignored_words": ["a", "the", "of", ...]   // function words it may ignore harmlessly
 *   }
 *
 * Both lists are optional-in-content but must be arrays of single words (letters only, after the
 * tokenizer's normalisation). A word of a query is unknown when it is a run of letters (CLIP's
 * pre-tokenizer: `\p{L}+`; digits, punctuation, contractions such as "'s" and special tokens are
 * not words) that is in neither list. Matching uses the tokenizer's own normalisation
 * (normaliseClipText: NFC, HTML unescape, whitespace collapse, lower case), so "RED!" is "red"
 * and "Chair," is "chair".
 */
import { describeJsonValue } from '../../io/safe-json';
import { ModelError } from '../../errors';
import { CLIP_WORD_PATTERN, normaliseClipText } from './clean';

/** Most distinct unknown words reported for one text (a paragraph is not a query). */
export const MAX_UNKNOWN_WORDS = 16;
/** Only this many characters of a text are looked at (CLIP reads 75 tokens anyway). */
export const MAX_SCANNED_CHARS = 4096;
/** Declared lists longer than this are not a closed vocabulary. */
const MAX_DECLARED_WORDS = 100_000;
const MAX_WORD_LENGTH = 100;

const LETTERS = /^\p{L}+$/u;

export interface ClosedVocabularySpec {
  words: readonly string[];
  ignoredWords: readonly string[];
}

export class ClosedVocabulary {
  private readonly known: ReadonlySet<string>;

  constructor(readonly spec: ClosedVocabularySpec) {
    this.known = new Set([...spec.words, ...spec.ignoredWords].map((w) => normaliseClipText(w)));
  }

  /** The distinct unknown words of `text`, in order of first appearance (see the file comment). */
  unknownWords(text: string): string[] {
    if (typeof text !== 'string' || text.length === 0) return [];
    let head = text.length > MAX_SCANNED_CHARS ? text.slice(0, MAX_SCANNED_CHARS) : text;
    // Do not leave half a surrogate pair at the cut.
    if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
    const normalised = normaliseClipText(head);
    const pattern = new RegExp(CLIP_WORD_PATTERN.source, CLIP_WORD_PATTERN.flags);
    const unknown: string[] = [];
    const seen = new Set<string>();
    let match: RegExpExecArray | null;
    while (unknown.length < MAX_UNKNOWN_WORDS && (match = pattern.exec(normalised)) !== null) {
      const word = match[0];
      if (!LETTERS.test(word) || this.known.has(word) || seen.has(word)) continue;
      seen.add(word);
      unknown.push(word);
    }
    return unknown;
  }
}

/**
 * Reads config.json's `closed_vocabulary` (undefined when absent: an open-vocabulary model).
 * Anything malformed is a ModelError naming the file and the entry.
 */
export function parseClosedVocabulary(
  value: unknown,
  file: string,
): ClosedVocabularySpec | undefined {
  if (value === undefined) return undefined;
  const where = `${file}: closed_vocabulary`;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ModelError(`${where} must be an object with "words" and "ignored_words"`);
  const v = value as Record<string, unknown>;
  const list = (key: 'words' | 'ignored_words'): string[] => {
    const items = v[key];
    if (items === undefined) return [];
    if (!Array.isArray(items)) throw new ModelError(`${where}.${key} must be an array of words`);
    if (items.length > MAX_DECLARED_WORDS)
      throw new ModelError(
        `${where}.${key} lists ${items.length} words, more than ${MAX_DECLARED_WORDS}`,
      );
    return items.map((item, i) => {
      const word =
        typeof item === 'string' && item.length <= MAX_WORD_LENGTH
          ? normaliseClipText(item)
          : undefined;
      if (word === undefined || !LETTERS.test(word))
        throw new ModelError(
          // Never stringify a non-string: a nested value could be arbitrarily deep.
          `${where}.${key}[${i}] ${typeof item === 'string' ? JSON.stringify(item.slice(0, 40)) : describeJsonValue(item)} is not a single word of letters`,
        );
      return word;
    });
  };
  const words = list('words');
  const ignoredWords = list('ignored_words');
  if (words.length === 0) throw new ModelError(`${where}.words lists no words`);
  return { words, ignoredWords };
}
