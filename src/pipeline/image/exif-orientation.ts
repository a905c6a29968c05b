/**
 * The EXIF orientation tag (0x0112) of a JPEG, 1 when absent. Browsers always apply it in
 * createImageBitmap (Chromium treats imageOrientation 'none' as 'from-image'); jpeg-js never does.
 * Depth maps are aligned to the sensor's pixel order, so decode.ts sends rotated JPEGs to the
 * pure-JS decoder in every environment.
 */
export function jpegExifOrientation(bytes: Uint8Array): number {
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end: no more headers
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    if (length < 2) break;
    const start = pos + 4;
    if (
      marker === 0xe1 &&
      start + 14 <= bytes.length &&
      bytes[start] === 0x45 && // "Exif\0\0"
      bytes[start + 1] === 0x78 &&
      bytes[start + 2] === 0x69 &&
      bytes[start + 3] === 0x66
    ) {
      return readTiffOrientation(bytes, start + 6, Math.min(bytes.length, pos + 2 + length));
    }
    pos += 2 + length;
  }
  return 1;
}

function readTiffOrientation(bytes: Uint8Array, tiff: number, end: number): number {
  const little = bytes[tiff] === 0x49; // "II" little endian, "MM" big endian
  const u16 = (at: number) =>
    at + 2 > end
      ? -1
      : little
        ? bytes[at] | (bytes[at + 1] << 8)
        : (bytes[at] << 8) | bytes[at + 1];
  const u32 = (at: number) =>
    at + 4 > end
      ? -1
      : little
        ? (u16(at) | (u16(at + 2) << 16)) >>> 0
        : ((u16(at) << 16) | u16(at + 2)) >>> 0;
  const ifd = u32(tiff + 4);
  if (ifd < 0) return 1;
  const count = u16(tiff + ifd);
  for (let i = 0; i < count && i < 1000; i++) {
    const entry = tiff + ifd + 2 + i * 12;
    if (entry + 12 > end) break;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}
