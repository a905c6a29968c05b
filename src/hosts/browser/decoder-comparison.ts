/**
 * Diagnostics: one JPEG or PNG through the browser's decoder and the pure-JS one Node uses, and
 * how far apart they are (JPEG decoders may differ by a few levels; PNG must match exactly).
 */
import { imageDifference } from '../../pipeline/image/compare';
import { decodeColorImage } from '../../pipeline/image/decode';
import type { RgbImage } from '../../pipeline/scene/types';
import type { RgbPixels } from '../../pipeline/session/types';
import { decodeWithBrowser } from './image-decoder';

export interface DecoderComparison {
  /** The platform decoder: createImageBitmap + OffscreenCanvas, for JPEG and PNG alike. */
  browser: RgbPixels;
  /** The pure-JS decoders Node uses (jpeg-js with libjpeg's colour conversion, fast-png). */
  pureJs: RgbPixels;
  /** What the pipeline itself decodes with in this worker (`decoder: 'auto'`). */
  auto: RgbPixels;
  /** Per-channel |browser - pureJs| in 8-bit levels. */
  difference: { maxAbs: number; meanAbs: number };
}

const pixelsOf = (img: RgbImage): RgbPixels => ({
  width: img.width,
  height: img.height,
  rgb: img.data,
});

export async function compareImageDecoders(
  bytes: Uint8Array,
  name: string,
): Promise<DecoderComparison> {
  const browser = await decodeWithBrowser(bytes, name);
  const pureJs = await decodeColorImage(bytes, name, { decoder: 'pure-js' });
  const auto = await decodeColorImage(bytes, name, { decoder: 'auto' });
  return {
    browser: pixelsOf(browser),
    pureJs: pixelsOf(pureJs),
    auto: pixelsOf(auto),
    difference: imageDifference(browser, pureJs),
  };
}
