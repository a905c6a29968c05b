import { htmlUnescape } from './html-unescape';

/**
 * Text cleaning and word splitting exactly as openai/CLIP `simple_tokenizer.py`, except that
 * `ftfy.fix_text` (mojibake repair, not available in JS) is replaced by NFC normalisation, which
 * is what it does to well-formed text.
 *
 * Whitespace follows Python: the `regex` module's `\s` is the Unicode White_Space property, while
 * `str.strip()` also strips the information separators U+001C..U+001F.
 */

// Python's str.isspace() includes the information separators U+001C..U+001F.
// eslint-disable-next-line no-control-regex
const PY_STRIP_EDGES = /^[\p{White_Space}\x1c-\x1f]+|[\p{White_Space}\x1c-\x1f]+$/gu;
const WHITESPACE_RUN = /\p{White_Space}+/gu;

/**
 * CLIP's pre-tokenizer: special tokens, English contractions, runs of letters, single digits,
 * runs of other non-space symbols. Flags `iu` as the original's `re.IGNORECASE` on a str.
 */
export const CLIP_WORD_PATTERN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\p{White_Space}\p{L}\p{N}]+/giu;

function pyStrip(text: string): string {
  return text.replace(PY_STRIP_EDGES, '');
}

/** `basic_clean`: fix text (NFC here), unescape HTML twice, strip. */
export function basicClean(text: string): string {
  return pyStrip(htmlUnescape(htmlUnescape(text.normalize('NFC'))));
}

/** `whitespace_clean`: every whitespace run becomes one space, then strip. */
export function whitespaceClean(text: string): string {
  return pyStrip(text.replace(WHITESPACE_RUN, ' '));
}

/** The full normalisation before splitting: clean, collapse whitespace, lowercase. */
export function normaliseClipText(text: string): string {
  return whitespaceClean(basicClean(text)).toLowerCase();
}

/** Words in order (unmatched characters, i.e. whitespace, are dropped, as `re.findall` does). */
export function splitClipWords(normalised: string): string[] {
  return normalised.match(CLIP_WORD_PATTERN) ?? [];
}
