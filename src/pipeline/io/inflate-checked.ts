/**
 * zlib streams (RFC 1950) of a known inflated size, checked end to end: the header, the size
 * against the deflate ratio and the allocation budget before the output is allocated, the
 * inflated length, and the Adler-32 trailer (fflate's unzlibSync does not verify it). Used for
 * .sens depth, scene-bundle instance maps and PNG image data.
 */
import { inflateSync } from 'fflate';
import { checkInflatedSize } from '../budget/resource-budget';
import { ParseError } from '../errors';
import { adler32 } from './checksums';

export interface ZlibLocation {
  file: string;
  /** Offset of the stream in the file (errors add their offset within the stream). */
  byteOffset?: number;
}

/** Inflates `stream` to exactly `expectedBytes` or throws a ParseError / BudgetError. */
export function inflateZlibExact(
  stream: Uint8Array,
  expectedBytes: number,
  location: ZlibLocation,
  what: string,
): Uint8Array {
  const base = location.byteOffset ?? 0;
  const at = (offset: number) => ({ file: location.file, byteOffset: base + offset });
  if (stream.length < 6)
    throw new ParseError(at(0), `${what}: corrupt zlib data (stream too short)`);
  const cmf = stream[0];
  const flg = stream[1];
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) {
    throw new ParseError(at(0), `${what}: corrupt zlib data (bad header)`);
  }
  if (flg & 0x20)
    throw new ParseError(at(1), `${what}: zlib preset dictionaries are not supported`);
  checkInflatedSize(expectedBytes, stream.length, at(0), what);
  // One spare byte: a stream that fills it is too long (and cannot balloon memory).
  let raw: Uint8Array;
  try {
    raw = inflateSync(stream.subarray(2, stream.length - 4), {
      out: new Uint8Array(expectedBytes + 1),
    });
  } catch (err) {
    throw new ParseError(at(2), `${what}: corrupt zlib data (${(err as Error).message})`);
  }
  if (raw.length !== expectedBytes) {
    throw new ParseError(
      at(2),
      `${what} has ${raw.length > expectedBytes ? 'more than ' + expectedBytes : raw.length} bytes once inflated, expected ${expectedBytes}`,
    );
  }
  const n = stream.length;
  const stored =
    ((stream[n - 4] << 24) | (stream[n - 3] << 16) | (stream[n - 2] << 8) | stream[n - 1]) >>> 0;
  const actual = adler32(raw);
  if (stored !== actual) {
    throw new ParseError(
      at(n - 4),
      `${what}: corrupt zlib data: Adler-32 checksum mismatch (stored ${stored.toString(16).padStart(8, '0')}, data ${actual.toString(16).padStart(8, '0')})`,
    );
  }
  return raw;
}
