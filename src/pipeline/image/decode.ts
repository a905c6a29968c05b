/**
 * Image decoding for every environment the pipeline runs in.
 *
 * - JPEG colour: the platform's decoder where the host installed one (src/pipeline/platform.ts;
 *   browsers: `createImageBitmap` + `OffscreenCanvas`), jpeg-js in Node and for JPEGs with an EXIF rotation (browsers apply it;
 *   depth maps follow the sensor's pixel order). The two may differ by a few levels per channel (IDCT and
 *   chroma upsampling differ between libjpeg-turbo and jpeg-js). Measured on the ICL-NUIM frames
 *   in Chromium: max 3 levels, mean ≈ 0.10 (see compare.ts, JPEG_DECODER_TOLERANCE).
 * - PNG (8-bit colour and 16-bit depth): fast-png everywhere. PNG is lossless, so both
 *   environments give bit-identical pixels, and canvas cannot return 16 bits or un-premultiplied
 *   alpha anyway.
 * Output colour is always 8-bit RGB (alpha dropped, grey expanded, palettes resolved, 16-bit
 * channels reduced to their high byte). Garbage input throws ParseError naming the file.
 */
import { decode as decodePngRaw, type DecodedPng } from 'fast-png';
import jpeg from 'jpeg-js';
import { checkPixels } from '../budget/resource-budget';
import { IMAGE_DEFAULTS, RESOURCE_BUDGET } from '../defaults';
import { platform } from '../platform';
import { BudgetError, ParseError, UnsupportedError } from '../errors';
import type { RgbImage } from '../scene/types';
import { jpegExifOrientation } from './exif-orientation';
import { isPlainYcbcrJpeg, ycbcrToRgb } from './jpeg-color';
import { readJpegFrameHeader } from './image-size';
import { PNG_CHANNELS, verifyPngIntegrity } from './png-chunks';
import { hasJpegSignature, hasPngSignature, readPngHeader } from './png-header';

export interface DecodeOptions {
  /** 'auto' uses the browser decoder for JPEG when available; 'pure-js' forces jpeg-js. */
  decoder?: 'auto' | 'platform' | 'pure-js';
}

export interface Depth16 {
  width: number;
  height: number;
  data: Uint16Array;
}

const MAX_DEFLATE_RATIO = RESOURCE_BUDGET.maxDeflateRatio;

/**
 * A declared image size against the resource budget (src/pipeline/budget): ParseError when it is
 * not a positive size, BudgetError above the pixel limit. `byteOffset` is where it was read.
 */
export function checkImageSize(width: number, height: number, file: string, byteOffset = 16): void {
  checkPixels(width, height, { file, byteOffset }, 'image', 4);
}

/**
 * A JPEG's frame header, checked before any decoder sees the file: the declared size against
 * the pixel budget, and against the file's length (each 8×8 block costs at least a bit, so a
 * 2 KB file cannot hold 10000×10000; decoding it would allocate gigabytes first).
 */
function checkJpegHeader(bytes: Uint8Array, file: string): number {
  const sof = readJpegFrameHeader(bytes, file);
  if (sof.width === 0 || sof.height === 0) {
    throw new ParseError(
      { file, byteOffset: sof.byteOffset },
      `JPEG declares a ${sof.width}x${sof.height} frame`,
    );
  }
  checkImageSize(sof.width, sof.height, file, sof.byteOffset);
  const minBytes = Math.floor(sof.width * sof.height * RESOURCE_BUDGET.minJpegBytesPerPixel);
  if (bytes.length < minBytes) {
    throw new ParseError(
      { file, byteOffset: sof.byteOffset },
      `JPEG declares ${sof.width}x${sof.height} but its ${bytes.length} bytes are too few to hold it (at least ${minBytes})`,
    );
  }
  return sof.byteOffset;
}

export async function decodeColorImage(
  bytes: Uint8Array,
  file: string,
  options: DecodeOptions = {},
): Promise<RgbImage> {
  const mode = options.decoder ?? 'auto';
  if (hasPngSignature(bytes)) return decodePngColor(bytes, file);
  if (hasJpegSignature(bytes)) {
    checkJpegHeader(bytes, file);
    const native = platform().decodeImage;
    if (mode === 'platform' && !native) {
      throw new UnsupportedError(`no platform image decoder on this host (${platform().name})`);
    }
    // Browsers always apply EXIF rotation; keep the sensor's pixel order (depth aligns to it).
    const rotated = jpegExifOrientation(bytes) !== 1;
    if (native && (mode === 'platform' || (mode === 'auto' && !rotated))) {
      return native(bytes, file);
    }
    return decodeJpegPureJs(bytes, file);
  }
  throw new ParseError({ file, byteOffset: 0 }, 'not a JPEG or PNG image (unknown magic bytes)');
}

function decodePngSafely(bytes: Uint8Array, file: string): DecodedPng {
  const header = readPngHeader(bytes, file);
  checkImageSize(header.width, header.height, file);
  // Deflate expands at most ~1032:1, so a header promising more raw bytes than that is corrupt;
  // refusing it here avoids allocating for a size the file cannot hold.
  const channels = PNG_CHANNELS[header.colorType] ?? 4;
  const rawBytes = header.height * (1 + Math.ceil((header.width * channels * header.bitDepth) / 8));
  if (rawBytes > MAX_DEFLATE_RATIO * bytes.length) {
    throw new ParseError(
      { file, byteOffset: 16 },
      `PNG declares ${header.width}x${header.height} but is too small to hold it`,
    );
  }
  const dataAt = verifyPngIntegrity(bytes, header, file);
  let png: DecodedPng;
  try {
    png = decodePngRaw(bytes);
  } catch (err) {
    throw new ParseError({ file, byteOffset: dataAt }, `corrupt PNG: ${(err as Error).message}`);
  }
  // fast-png trusts IHDR; a short IDAT stream yields a short data array.
  const bitsPerRow = png.width * png.channels * png.depth;
  const expected =
    png.depth < 8 ? Math.ceil(bitsPerRow / 8) * png.height : png.width * png.height * png.channels;
  if (png.data.length < expected) {
    throw new ParseError(
      { file, byteOffset: dataAt },
      `PNG pixel data truncated (${png.data.length} of ${expected})`,
    );
  }
  return png;
}

/** Unpacks 1/2/4-bit samples to one value per sample (rows are byte-aligned in PNG). */
function unpackLowBitDepth(png: DecodedPng): Uint8Array {
  const { width, height, depth } = png;
  const samplesPerRow = width * png.channels;
  const bytesPerRow = Math.ceil((samplesPerRow * depth) / 8);
  const out = new Uint8Array(samplesPerRow * height);
  const mask = (1 << depth) - 1;
  const src = png.data as Uint8Array;
  for (let y = 0; y < height; y++) {
    for (let s = 0; s < samplesPerRow; s++) {
      const bit = s * depth;
      const byte = src[y * bytesPerRow + (bit >> 3)];
      out[y * samplesPerRow + s] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function decodePngColor(bytes: Uint8Array, file: string): RgbImage {
  const png = decodePngSafely(bytes, file);
  const { width, height, channels } = png;
  const n = width * height;
  const out = new Uint8Array(n * 3);
  let samples: ArrayLike<number> = png.data;
  if (png.depth < 8) samples = unpackLowBitDepth(png);
  if (png.palette) {
    const palette = png.palette;
    for (let i = 0; i < n; i++) {
      const entry = palette[samples[i]];
      if (!entry) throw new ParseError({ file }, `palette index ${samples[i]} out of range`);
      out[i * 3] = entry[0];
      out[i * 3 + 1] = entry[1];
      out[i * 3 + 2] = entry[2];
    }
    return { width, height, data: out };
  }
  // Scale every sample to 8 bits: 16-bit → high byte, 1/2/4-bit grey → full range.
  const shift = png.depth === 16 ? 8 : 0;
  const lowScale = png.depth < 8 ? 255 / ((1 << png.depth) - 1) : 1;
  const to8 = (v: number) => (shift ? v >> shift : lowScale === 1 ? v : Math.round(v * lowScale));
  const isGrey = channels <= 2;
  for (let i = 0; i < n; i++) {
    const base = i * channels;
    if (isGrey) {
      const g = to8(samples[base]);
      out[i * 3] = g;
      out[i * 3 + 1] = g;
      out[i * 3 + 2] = g;
    } else {
      out[i * 3] = to8(samples[base]);
      out[i * 3 + 1] = to8(samples[base + 1]);
      out[i * 3 + 2] = to8(samples[base + 2]);
    }
  }
  return { width, height, data: out };
}

export function rgbaToRgb(rgba: ArrayLike<number>, width: number, height: number): Uint8Array {
  const n = width * height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = rgba[i * 4];
    out[i * 3 + 1] = rgba[i * 4 + 1];
    out[i * 3 + 2] = rgba[i * 4 + 2];
  }
  return out;
}

function decodeJpegPureJs(bytes: Uint8Array, file: string): RgbImage {
  const frameAt = checkJpegHeader(bytes, file);
  let decoded: { width: number; height: number; data: Uint8Array };
  // Plain JFIF YCbCr comes back raw and is converted with libjpeg's fixed-point tables, so our
  // pixels match browsers and PIL to rounding.
  const rawYcbcr = isPlainYcbcrJpeg(bytes);
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      colorTransform: rawYcbcr ? false : undefined,
      formatAsRGBA: true,
      // Truncated JPEGs (interrupted copies) still yield the decoded part, as browsers do.
      tolerantDecoding: true,
      maxResolutionInMP: IMAGE_DEFAULTS.maxPixels / 1e6,
      maxMemoryUsageInMB: IMAGE_DEFAULTS.maxDecodeMemoryMB,
    });
  } catch (err) {
    if (err instanceof ParseError || err instanceof BudgetError) throw err;
    // jpeg-js does not say where it stopped: report the frame header it was decoding.
    throw new ParseError({ file, byteOffset: frameAt }, `corrupt JPEG: ${(err as Error).message}`);
  }
  checkImageSize(decoded.width, decoded.height, file, frameAt);
  if (decoded.data.length < decoded.width * decoded.height * 4) {
    throw new ParseError({ file, byteOffset: frameAt }, 'JPEG pixel data truncated');
  }
  const pixels = decoded.width * decoded.height;
  return {
    width: decoded.width,
    height: decoded.height,
    data: rawYcbcr
      ? ycbcrToRgb(decoded.data, pixels, 4)
      : rgbaToRgb(decoded.data, decoded.width, decoded.height),
  };
}

/** A 16-bit single-channel PNG (depth maps), via fast-png in every environment. */
export function decodeDepthPng(bytes: Uint8Array, file: string): Depth16 {
  const header = readPngHeader(bytes, file);
  if (header.colorType !== 0 || header.bitDepth !== 16) {
    throw new ParseError(
      { file, byteOffset: 24 },
      `depth PNG must be 16-bit greyscale (got colour type ${header.colorType}, ` +
        `${header.bitDepth} bits)`,
    );
  }
  const png = decodePngSafely(bytes, file);
  const data = png.data instanceof Uint16Array ? png.data : Uint16Array.from(png.data);
  return {
    width: png.width,
    height: png.height,
    data: data.length === png.width * png.height ? data : data.slice(0, png.width * png.height),
  };
}
