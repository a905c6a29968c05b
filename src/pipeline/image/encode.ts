/**
 * Image encoding for tests, generated scenes and scene bundles (pure JS, synchronous).
 * PNG round-trips exactly through decode.ts; JPEG is lossy.
 */
import { encode as encodePngRaw } from 'fast-png';
import jpeg from 'jpeg-js';
import type { RgbImage } from '../scene/types';

export function encodePngRgb(img: RgbImage): Uint8Array {
  return encodePngRaw({
    width: img.width,
    height: img.height,
    data: img.data,
    channels: 3,
    depth: 8,
  });
}

export function encodePng16(width: number, height: number, data: Uint16Array): Uint8Array {
  return encodePngRaw({ width, height, data, channels: 1, depth: 16 });
}

/**
 * Baseline JPEG via jpeg-js (quality 1..100). Node only in practice: jpeg-js returns a Buffer
 * when bundled as CommonJS.
 */
export function encodeJpeg(img: RgbImage, quality = 90): Uint8Array {
  const n = img.width * img.height;
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    rgba[i * 4] = img.data[i * 3];
    rgba[i * 4 + 1] = img.data[i * 3 + 1];
    rgba[i * 4 + 2] = img.data[i * 3 + 2];
    rgba[i * 4 + 3] = 255;
  }
  const out = jpeg.encode({ width: img.width, height: img.height, data: rgba }, quality).data;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
