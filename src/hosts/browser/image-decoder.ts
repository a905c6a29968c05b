/**
 * The browser's own image decoder (createImageBitmap + OffscreenCanvas), installed as the
 * platform decoder in workers and pages. The pipeline uses it for JPEG colour only (PNG is
 * lossless and decoded by fast-png everywhere); the worker's decoder check uses it for PNG too.
 */
import { checkImageSize, rgbaToRgb } from '../../pipeline/image/decode';
import { ParseError } from '../../pipeline/errors';
import type { RgbImage } from '../../pipeline/scene/types';

export function browserImageDecoderAvailable(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

export async function decodeWithBrowser(bytes: Uint8Array, file: string): Promise<RgbImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch (err) {
    throw new ParseError({ file }, `corrupt image: ${(err as Error).message}`);
  }
  try {
    const { width, height } = bitmap;
    checkImageSize(width, height, file);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new ParseError({ file }, 'no 2D canvas context to decode the image');
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    return { width, height, data: rgbaToRgb(rgba, width, height) };
  } finally {
    bitmap.close();
  }
}
