import { gunzipSync } from 'fflate';
import { crc32 } from '../../io/checksums';
import { ParseError } from '../../errors';
import { byteSymbolsInVocabOrder } from './byte-unicode';
import { END_OF_WORD, END_TOKEN, START_TOKEN, type BpeModelSpec } from './bpe-model';

/**
 * CLIP's merges file (`bpe_simple_vocab_16e6.txt.gz`), read exactly as `SimpleTokenizer.__init__`:
 * line 0 is a version header, lines 1..48894 are merges (49152 - 256 - 2 of them); the vocab is the
 * 256 byte symbols, the same with `</w>`, one token per merge, then start and end (49,408 ids).
 */
export const CLIP_MERGE_COUNT = 49152 - 256 - 2;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
// Python's str.isspace() includes the information separators U+001C..U+001F.
// eslint-disable-next-line no-control-regex
const MERGE_SEPARATOR = /[\p{White_Space}\x1c-\x1f]+/u;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/** Deflate cannot expand more than ~1032:1; a larger stated size is a corrupt trailer. */
const MAX_DEFLATE_RATIO = 1032;
/** CLIP's merges file is 1.4 MB uncompressed; refuse anything absurdly larger. */
const MAX_MERGES_FILE_BYTES = 64 * 1024 * 1024;

function gunzip(bytes: Uint8Array, file: string): Uint8Array {
  // fflate allocates the output from the trailer's ISIZE: check it before trusting it.
  const n = bytes.length;
  const statedSize =
    n >= 18
      ? (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0
      : -1;
  if (statedSize < 0 || statedSize > MAX_MERGES_FILE_BYTES || statedSize > n * MAX_DEFLATE_RATIO) {
    throw new ParseError(
      { file, byteOffset: Math.max(0, n - 4) },
      `gzip stream is truncated or states an impossible size (${statedSize} bytes)`,
    );
  }
  let out: Uint8Array;
  try {
    out = gunzipSync(bytes);
  } catch (err) {
    throw new ParseError({ file, byteOffset: 0 }, `not a valid gzip stream (${String(err)})`);
  }
  // fflate checks neither the CRC-32 nor ISIZE of the trailer: a flipped bit inside the deflate
  // body can decode to different merges without any error.
  const statedCrc =
    (bytes[n - 8] | (bytes[n - 7] << 8) | (bytes[n - 6] << 16) | (bytes[n - 5] << 24)) >>> 0;
  if (out.length !== statedSize) {
    throw new ParseError(
      { file, byteOffset: n - 4 },
      `gzip stream inflates to ${out.length} bytes but its trailer states ${statedSize}`,
    );
  }
  if (crc32(out) !== statedCrc) {
    throw new ParseError(
      { file, byteOffset: n - 8 },
      'gzip CRC-32 does not match the inflated data (the file is corrupt)',
    );
  }
  return out;
}

/** Builds the BPE spec from the merges file, gzipped or plain text. */
export function parseClipBpeVocab(
  bytes: Uint8Array,
  file = 'bpe_simple_vocab_16e6.txt.gz',
): BpeModelSpec {
  const raw = isGzip(bytes) ? gunzip(bytes, file) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new ParseError({ file, byteOffset: 0 }, 'merges file is not valid UTF-8 text');
  }
  const lines = text.split('\n');
  if (lines.length < 2) throw new ParseError({ file, line: 1 }, 'no merges after the header line');
  const mergeLines = lines.slice(1, CLIP_MERGE_COUNT + 1);
  // A short file ends with a newline: that empty last piece is not a merge.
  if (
    mergeLines.length > 0 &&
    mergeLines[mergeLines.length - 1] === '' &&
    lines.length <= CLIP_MERGE_COUNT + 1
  ) {
    mergeLines.pop();
  }
  const merges: Array<[string, string]> = mergeLines.map((line, i) => {
    const parts = line.trim().split(MERGE_SEPARATOR);
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new ParseError(
        { file, line: i + 2 },
        `expected a merge 'a b', got ${JSON.stringify(line.slice(0, 40))}`,
      );
    }
    return [parts[0], parts[1]];
  });
  // Any one-line text would otherwise pass as a vocabulary that merges nothing.
  if (merges.length === 0) {
    throw new ParseError(
      { file, line: 2 },
      'no merges after the header line: not a BPE merges file',
    );
  }

  const byteSymbols = byteSymbolsInVocabOrder();
  const tokens = [
    ...byteSymbols,
    ...byteSymbols.map((s) => s + END_OF_WORD),
    ...merges.map(([a, b]) => a + b),
    START_TOKEN,
    END_TOKEN,
  ];
  // dict(zip(vocab, range(len(vocab)))): a repeated token keeps its last index.
  const vocab = new Map<string, number>();
  tokens.forEach((token, id) => vocab.set(token, id));
  return {
    vocab,
    merges,
    startId: vocab.get(START_TOKEN)!,
    endId: vocab.get(END_TOKEN)!,
    padId: 0,
    source: file,
  };
}
