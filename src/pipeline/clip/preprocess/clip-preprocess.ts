import { CLIP_PREPROCESS_DEFAULTS } from '../../defaults';
import { UnsupportedError, throwIfAborted } from '../../errors';
import { progressTracker, type WorkOptions } from '../../progress';
import type { RgbImage } from '../../scene/types';
import { clipCropGeometry } from './geometry';
import { bicubicCoefficients, resizeBicubicWindow, type AxisCoefficients } from './pil-bicubic';

/**
 * CLIP image preprocessing (openai/CLIP `_transform`, as run with PIL 9.4 + torchvision):
 * resize the shorter side to 224 with antialiased bicubic, centre crop 224, ÷255, normalise per
 * channel, NCHW float32. Any integer sub-rectangle of an image (multi-scale crops) goes through
 * the same path, as if cut out with `Image.crop` first.
 */

/** An integer pixel rectangle inside an image. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ClipPreprocessOptions {
  size?: number;
  mean?: readonly number[];
  std?: readonly number[];
}

export interface BatchItem {
  image: RgbImage;
  rect?: PixelRect;
}

/** Most coefficient tables kept (crops at a few scales reuse a handful of sizes). */
const COEFFICIENT_CACHE_SIZE = 64;

/**
 * Holds the normalisation tables, a coefficient cache and scratch memory, so preprocessing many
 * crops allocates almost nothing. One instance per worker/thread.
 */
export class ClipPreprocessor {
  readonly size: number;
  /** Per channel, value for each byte: float32((float32(v/255) - mean) / std), as torch computes it. */
  private readonly lut: Float32Array[];
  private readonly coefficients = new Map<string, AxisCoefficients>();
  private scratch: Uint8Array | undefined;

  constructor(options: ClipPreprocessOptions = {}) {
    this.size = options.size ?? CLIP_PREPROCESS_DEFAULTS.imageSize;
    const mean = options.mean ?? CLIP_PREPROCESS_DEFAULTS.mean;
    const std = options.std ?? CLIP_PREPROCESS_DEFAULTS.std;
    if (!Number.isInteger(this.size) || this.size < 1) {
      throw new UnsupportedError(`preprocess size must be a positive integer, got ${this.size}`);
    }
    if (mean.length !== 3 || std.length !== 3 || std.some((s) => !(s > 0))) {
      throw new UnsupportedError('preprocess mean and std need 3 values each, std > 0');
    }
    const f = Math.fround;
    this.lut = [0, 1, 2].map((c) => {
      const table = new Float32Array(256);
      const m = f(mean[c]);
      const s = f(std[c]);
      for (let v = 0; v < 256; v++) table[v] = f(f(f(v / 255) - m) / s);
      return table;
    });
  }

  /** Floats per preprocessed image (3 * size * size). */
  get imageLength(): number {
    return 3 * this.size * this.size;
  }

  private axis(inSize: number, outSize: number, first: number): AxisCoefficients {
    const key = `${inSize}/${outSize}/${first}`;
    let table = this.coefficients.get(key);
    if (!table) {
      if (this.coefficients.size >= COEFFICIENT_CACHE_SIZE) {
        this.coefficients.delete(this.coefficients.keys().next().value!);
      }
      table = bicubicCoefficients(inSize, outSize, first, this.size);
      this.coefficients.set(key, table);
    }
    return table;
  }

  /** The resized-and-cropped 8-bit RGB pixels (size x size x 3), before normalisation. */
  resizeAndCrop(image: RgbImage, rect?: PixelRect): Uint8Array {
    const r = checkRect(image, rect);
    const g = clipCropGeometry(r.width, r.height, this.size);
    const { pixels, scratch } = resizeBicubicWindow(
      {
        data: image.data,
        stride: image.width * 3,
        x0: r.x,
        y0: r.y,
        width: r.width,
        height: r.height,
      },
      g.resizedWidth,
      g.resizedHeight,
      { left: g.cropLeft, top: g.cropTop, width: this.size, height: this.size },
      this.axis(r.width, g.resizedWidth, g.cropLeft),
      this.axis(r.height, g.resizedHeight, g.cropTop),
      this.scratch,
    );
    this.scratch = scratch;
    return pixels;
  }

  /**
   * The size×size window at (left, top) of the whole image resized to resizedWidth×resizedHeight
   * (dense features' sliding windows), exactly as Pillow's resize then crop.
   */
  resizedWindow(
    image: RgbImage,
    resizedWidth: number,
    resizedHeight: number,
    left: number,
    top: number,
  ): Uint8Array {
    checkRect(image);
    const inside =
      [resizedWidth, resizedHeight, left, top].every(Number.isInteger) &&
      left >= 0 &&
      top >= 0 &&
      left + this.size <= resizedWidth &&
      top + this.size <= resizedHeight;
    if (!inside) {
      throw new UnsupportedError(
        `window (${left}, ${top}) of ${this.size} px is not inside the ${resizedWidth}x${resizedHeight} resized image`,
      );
    }
    const { pixels, scratch } = resizeBicubicWindow(
      {
        data: image.data,
        stride: image.width * 3,
        x0: 0,
        y0: 0,
        width: image.width,
        height: image.height,
      },
      resizedWidth,
      resizedHeight,
      { left, top, width: this.size, height: this.size },
      this.axis(image.width, resizedWidth, left),
      this.axis(image.height, resizedHeight, top),
      this.scratch,
    );
    this.scratch = scratch;
    return pixels;
  }

  /** Writes 8-bit RGB pixels (size×size×3) normalised into slot `index` of a [B,3,size,size] batch. */
  normaliseInto(out: Float32Array, index: number, pixels: Uint8Array): void {
    const plane = this.size * this.size;
    const offset = index * 3 * plane;
    if (!Number.isInteger(index) || index < 0 || offset + 3 * plane > out.length) {
      throw new UnsupportedError(
        `batch slot ${index} does not fit an output of ${out.length} floats`,
      );
    }
    const [lr, lg, lb] = this.lut;
    for (let i = 0, p = 0; i < plane; i++, p += 3) {
      out[offset + i] = lr[pixels[p]];
      out[offset + plane + i] = lg[pixels[p + 1]];
      out[offset + 2 * plane + i] = lb[pixels[p + 2]];
    }
  }

  /** Writes image `index` of a batch into `out` ([B,3,size,size] NCHW). */
  preprocessInto(out: Float32Array, index: number, image: RgbImage, rect?: PixelRect): void {
    const plane = this.size * this.size;
    const offset = index * 3 * plane;
    if (!Number.isInteger(index) || index < 0 || offset + 3 * plane > out.length) {
      throw new UnsupportedError(
        `batch slot ${index} does not fit an output of ${out.length} floats`,
      );
    }
    const pixels = this.resizeAndCrop(image, rect);
    const [lr, lg, lb] = this.lut;
    for (let i = 0, p = 0; i < plane; i++, p += 3) {
      out[offset + i] = lr[pixels[p]];
      out[offset + plane + i] = lg[pixels[p + 1]];
      out[offset + 2 * plane + i] = lb[pixels[p + 2]];
    }
  }

  /** One image (or sub-rectangle) → Float32Array [3,size,size]. */
  preprocess(image: RgbImage, rect?: PixelRect): Float32Array {
    const out = new Float32Array(this.imageLength);
    this.preprocessInto(out, 0, image, rect);
    return out;
  }

  /** Many images or crops → [B,3,size,size], into `out` when given (preallocated, reused). */
  preprocessBatch(items: BatchItem[], out?: Float32Array, work: WorkOptions = {}): Float32Array {
    const target = out ?? new Float32Array(items.length * this.imageLength);
    const report = progressTracker('preprocess', items.length, 'images', work.onProgress);
    items.forEach((item, i) => {
      throwIfAborted(work.signal);
      this.preprocessInto(target, i, item.image, item.rect);
      report(i + 1);
    });
    return target;
  }
}

function checkRect(image: RgbImage, rect?: PixelRect): PixelRect {
  if (image.data.length < image.width * image.height * 3) {
    throw new UnsupportedError(
      `image data has ${image.data.length} bytes, ${image.width}x${image.height} RGB needs ${image.width * image.height * 3}`,
    );
  }
  const r = rect ?? { x: 0, y: 0, width: image.width, height: image.height };
  const ok =
    [r.x, r.y, r.width, r.height].every(Number.isInteger) &&
    r.x >= 0 &&
    r.y >= 0 &&
    r.width >= 1 &&
    r.height >= 1 &&
    r.x + r.width <= image.width &&
    r.y + r.height <= image.height;
  if (!ok) {
    throw new UnsupportedError(
      `crop rectangle ${JSON.stringify(r)} is not an integer rectangle inside the ${image.width}x${image.height} image`,
    );
  }
  return r;
}

let sharedPreprocessor: ClipPreprocessor | undefined;

function defaultPreprocessor(): ClipPreprocessor {
  sharedPreprocessor ??= new ClipPreprocessor();
  return sharedPreprocessor;
}

/** CLIP-preprocess one image or sub-rectangle → Float32Array [3,224,224]. */
export function preprocessImage(image: RgbImage, rect?: PixelRect): Float32Array {
  return defaultPreprocessor().preprocess(image, rect);
}

/** CLIP-preprocess into slot `index` of a preallocated [B,3,224,224] Float32Array. */
export function preprocessImageInto(
  out: Float32Array,
  index: number,
  image: RgbImage,
  rect?: PixelRect,
): void {
  defaultPreprocessor().preprocessInto(out, index, image, rect);
}

/** CLIP-preprocess a batch of images or crops → [B,3,224,224]. */
export function preprocessBatch(
  items: BatchItem[],
  out?: Float32Array,
  work?: WorkOptions,
): Float32Array {
  return defaultPreprocessor().preprocessBatch(items, out, work);
}
