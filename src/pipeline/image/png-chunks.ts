/**
 * PNG integrity before decoding: every chunk's CRC-32, the chunk layout (IHDR first, IDAT
 * present, IEND reached within the file) and the image data's zlib stream (its inflated size
 * and Adler-32), with the byte offset of the first fault. fast-png checks none of these by
 * default, so a corrupt depth map would otherwise decode to wrong depths.
 */
import { ParseError } from '../errors';
import { crc32 } from '../io/checksums';
import { inflateZlibExact } from '../io/inflate-checked';
import type { PngHeader } from './png-header';

/** Samples per pixel by PNG colour type. */
export const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Bytes of the filtered scanlines (one filter byte per row) the image data must inflate to. */
export function pngRawDataBytes(header: PngHeader, interlaced: boolean): number {
  const channels = PNG_CHANNELS[header.colorType] ?? 4;
  const rowBytes = (w: number) => 1 + Math.ceil((w * channels * header.bitDepth) / 8);
  if (!interlaced) return header.height * rowBytes(header.width);
  let total = 0;
  for (const [xs, ys, dx, dy] of ADAM7) {
    const w = header.width > xs ? Math.ceil((header.width - xs) / dx) : 0;
    const h = header.height > ys ? Math.ceil((header.height - ys) / dy) : 0;
    if (w > 0 && h > 0) total += h * rowBytes(w);
  }
  return total;
}

/**
 * Throws ParseError (with the byte offset) unless every checksum of the PNG holds; returns the
 * offset of the first image data byte (where later decoding faults are reported).
 */
export function verifyPngIntegrity(bytes: Uint8Array, header: PngHeader, file: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: { start: number; end: number }[] = [];
  let idatBytes = 0;
  let firstIdatAt = -1;
  let pos = 8;
  let sawEnd = false;
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length)
      throw new ParseError({ file, byteOffset: pos }, 'PNG chunk truncated');
    const length = view.getUint32(pos);
    const dataStart = pos + 8;
    const dataEnd = dataStart + length;
    if (length > 0x7fffffff || dataEnd + 4 > bytes.length) {
      throw new ParseError(
        { file, byteOffset: pos },
        `PNG chunk of ${length} bytes runs past the end of the file`,
      );
    }
    const type = String.fromCharCode(
      bytes[pos + 4],
      bytes[pos + 5],
      bytes[pos + 6],
      bytes[pos + 7],
    );
    const stored = view.getUint32(dataEnd);
    if (crc32(bytes, pos + 4, dataEnd) !== stored) {
      throw new ParseError(
        { file, byteOffset: dataEnd },
        `PNG ${type.replace(/[^ -~]/g, '?')} chunk CRC mismatch`,
      );
    }
    if (type === 'IDAT') {
      if (firstIdatAt < 0) firstIdatAt = dataStart;
      idat.push({ start: dataStart, end: dataEnd });
      idatBytes += length;
    } else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    pos = dataEnd + 4;
  }
  if (idat.length === 0)
    throw new ParseError({ file, byteOffset: pos }, 'PNG has no image data (IDAT)');
  if (!sawEnd)
    throw new ParseError({ file, byteOffset: bytes.length }, 'PNG truncated (no IEND chunk)');
  let stream: Uint8Array;
  if (idat.length === 1) stream = bytes.subarray(idat[0].start, idat[0].end);
  else {
    stream = new Uint8Array(idatBytes);
    let o = 0;
    for (const c of idat) {
      stream.set(bytes.subarray(c.start, c.end), o);
      o += c.end - c.start;
    }
  }
  const interlaced = bytes[28] === 1;
  // Offsets within a multi-chunk stream are reported from the first IDAT's data.
  inflateZlibExact(
    stream,
    pngRawDataBytes(header, interlaced),
    { file, byteOffset: firstIdatAt },
    'PNG image data',
  );
  return firstIdatAt;
}
