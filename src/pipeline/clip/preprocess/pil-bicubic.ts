/**
 * Pillow's antialiased BICUBIC resampling (libImaging/Resample.c, Pillow 9.x), bit-exact for 8-bit
 * RGB: separable passes (horizontal first, rounded to 8 bits in between), a cubic kernel with
 * a = -0.5 whose support widens by the downscale factor, coefficients normalised per output
 * pixel and converted to 22-bit fixed point.
 *
 * Only a window of the output is computed (CLIP centre-crops right after resizing): every output
 * pixel depends only on its own coefficients, so skipping the cropped-away ones changes nothing.
 */

/** 32 - 8 - 2: 8 bits of result, 2 for the kernel's overshoot, as in Pillow. */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);
const BICUBIC_SUPPORT = 2;

function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Fixed-point filter taps for a window of output samples along one axis. */
export interface AxisCoefficients {
  /** Taps per output sample (Pillow's ksize). */
  ksize: number;
  /** Per output sample: first input index, number of taps. */
  bounds: Int32Array;
  /** count * ksize fixed-point weights. */
  weights: Int32Array;
}

/**
 * Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for resizing `inSize` samples to
 * `outSize`, for outputs `first .. first + count - 1` only.
 */
export function bicubicCoefficients(
  inSize: number,
  outSize: number,
  first = 0,
  count = outSize,
): AxisCoefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = BICUBIC_SUPPORT * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(count * 2);
  const weights = new Int32Array(count * ksize);
  const taps = new Float64Array(ksize);
  const invFilterScale = 1 / filterScale;
  for (let i = 0; i < count; i++) {
    const xx = first + i;
    const center = (xx + 0.5) * scale;
    // C's (int) truncates toward zero.
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) * invFilterScale);
      taps[x] = w;
      total += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? taps[x] / total : taps[x];
      weights[i * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[i * 2] = xmin;
    bounds[i * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

function clip8(sum: number): number {
  const v = sum >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** A region of an interleaved RGB image: `stride` bytes per row, origin at (x0, y0). */
export interface RgbRegion {
  data: Uint8Array;
  stride: number;
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * Resizes `region` to outWidth x outHeight and returns the window (left, top, width, height) of
 * the result as interleaved RGB, exactly as Pillow's `Image.resize(..., BICUBIC)` then `crop`.
 * `scratch` is reused between calls when large enough.
 */
export function resizeBicubicWindow(
  region: RgbRegion,
  outWidth: number,
  outHeight: number,
  window: { left: number; top: number; width: number; height: number },
  horizontal: AxisCoefficients = bicubicCoefficients(
    region.width,
    outWidth,
    window.left,
    window.width,
  ),
  vertical: AxisCoefficients = bicubicCoefficients(
    region.height,
    outHeight,
    window.top,
    window.height,
  ),
  scratch?: Uint8Array,
): { pixels: Uint8Array; scratch: Uint8Array } {
  const { data, stride, x0, y0 } = region;
  const w = window.width;
  const h = window.height;
  // Source rows the vertical pass reads.
  const rowFirst = vertical.bounds[0];
  const lastRow = (h - 1) * 2;
  const rowEnd = vertical.bounds[lastRow] + vertical.bounds[lastRow + 1];
  const rows = rowEnd - rowFirst;
  const tempSize = rows * w * 3;
  const temp = scratch && scratch.length >= tempSize ? scratch : new Uint8Array(tempSize);

  // Horizontal pass: rows rowFirst..rowEnd-1 → temp (rows x w).
  const hk = horizontal.ksize;
  const hb = horizontal.bounds;
  const hw = horizontal.weights;
  for (let r = 0; r < rows; r++) {
    const rowBase = (y0 + rowFirst + r) * stride + x0 * 3;
    let o = r * w * 3;
    for (let j = 0; j < w; j++) {
      const xmin = hb[j * 2];
      const taps = hb[j * 2 + 1];
      const k = j * hk;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      let p = rowBase + xmin * 3;
      for (let t = 0; t < taps; t++, p += 3) {
        const wt = hw[k + t];
        s0 += data[p] * wt;
        s1 += data[p + 1] * wt;
        s2 += data[p + 2] * wt;
      }
      temp[o++] = clip8(s0);
      temp[o++] = clip8(s1);
      temp[o++] = clip8(s2);
    }
  }

  // Vertical pass: temp → out (h x w).
  const out = new Uint8Array(w * h * 3);
  const vk = vertical.ksize;
  const vb = vertical.bounds;
  const vw = vertical.weights;
  const rowBytes = w * 3;
  for (let i = 0; i < h; i++) {
    const ymin = vb[i * 2] - rowFirst;
    const taps = vb[i * 2 + 1];
    const k = i * vk;
    const o = i * rowBytes;
    for (let c = 0; c < rowBytes; c++) {
      let s = HALF;
      let p = ymin * rowBytes + c;
      for (let t = 0; t < taps; t++, p += rowBytes) s += temp[p] * vw[k + t];
      out[o + c] = clip8(s);
    }
  }
  return { pixels: out, scratch: temp };
}
