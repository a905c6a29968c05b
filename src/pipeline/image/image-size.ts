/**
 * Image width and height from the header alone (PNG IHDR, JPEG SOFn), so readers can set up
 * intrinsics without decoding whole frames.
 */
import { ParseError } from '../errors';
import { hasJpegSignature, hasPngSignature, readPngHeader } from './png-header';

/** Bytes to read from the start of a file to find its size (JPEG EXIF blocks can be large). */
export const IMAGE_HEADER_PROBE_BYTES = 256 * 1024;

export function readImageSize(bytes: Uint8Array, file: string): { width: number; height: number } {
  if (hasPngSignature(bytes)) {
    const h = readPngHeader(bytes, file);
    return { width: h.width, height: h.height };
  }
  if (hasJpegSignature(bytes)) {
    const { width, height } = readJpegFrameHeader(bytes, file);
    return { width, height };
  }
  throw new ParseError({ file, byteOffset: 0 }, 'not a JPEG or PNG image (unknown magic bytes)');
}

/** The first SOFn segment's size and the byte offset of its height field. */
export function readJpegFrameHeader(
  bytes: Uint8Array,
  file: string,
): { width: number; height: number; byteOffset: number } {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) {
      throw new ParseError({ file, byteOffset: pos }, 'JPEG marker expected');
    }
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    // Markers without a length field.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2;
      continue;
    }
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    if (length < 2) throw new ParseError({ file, byteOffset: pos + 2 }, 'bad JPEG segment length');
    const isSof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (pos + 9 > bytes.length) break;
      const height = (bytes[pos + 5] << 8) | bytes[pos + 6];
      const width = (bytes[pos + 7] << 8) | bytes[pos + 8];
      return { width, height, byteOffset: pos + 5 };
    }
    pos += 2 + length;
  }
  throw new ParseError(
    { file, byteOffset: Math.min(pos, bytes.length) },
    'no JPEG frame header found',
  );
}
