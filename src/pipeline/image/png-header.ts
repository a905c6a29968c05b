/**
 * Reads a PNG's IHDR without decoding, so decoders can refuse absurd sizes before allocating.
 */
import { ParseError } from '../errors';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType: number;
}

export function hasPngSignature(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return false;
  return true;
}

export function hasJpegSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

export function readPngHeader(bytes: Uint8Array, file: string): PngHeader {
  if (!hasPngSignature(bytes)) throw new ParseError({ file, byteOffset: 0 }, 'not a PNG file');
  if (bytes.length < 33) throw new ParseError({ file, byteOffset: bytes.length }, 'PNG truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (chunkType !== 'IHDR') {
    throw new ParseError({ file, byteOffset: 12 }, 'PNG does not start with an IHDR chunk');
  }
  return {
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: bytes[24],
    colorType: bytes[25],
  };
}
