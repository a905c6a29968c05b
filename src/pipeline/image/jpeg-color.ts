/**
 * YCbCr → RGB exactly as libjpeg(-turbo)'s jdcolor.c does it (16-bit fixed point, rounded),
 * which is what browsers and PIL decode with. jpeg-js converts in floating point and truncates,
 * which biases every channel down by about half a level; we ask it for raw YCbCr and convert here.
 */
const SCALEBITS = 16;
const ONE_HALF = 1 << (SCALEBITS - 1);
const fix = (x: number) => Math.round(x * (1 << SCALEBITS));

const crR = new Int32Array(256);
const cbB = new Int32Array(256);
const crG = new Int32Array(256);
const cbG = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  crR[i] = (fix(1.402) * x + ONE_HALF) >> SCALEBITS;
  cbB[i] = (fix(1.772) * x + ONE_HALF) >> SCALEBITS;
  crG[i] = -fix(0.71414) * x;
  cbG[i] = -fix(0.34414) * x + ONE_HALF;
}

const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Converts interleaved YCbCr(A) pixels (stride 3 or 4) to packed RGB. */
export function ycbcrToRgb(ycc: ArrayLike<number>, pixels: number, stride: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let i = 0, s = 0, o = 0; i < pixels; i++, s += stride, o += 3) {
    const y = ycc[s];
    const cb = ycc[s + 1];
    const cr = ycc[s + 2];
    out[o] = clamp8(y + crR[cr]);
    out[o + 1] = clamp8(y + ((cbG[cb] + crG[cr]) >> SCALEBITS));
    out[o + 2] = clamp8(y + cbB[cb]);
  }
  return out;
}

/**
 * Whether a JPEG is plain three-component YCbCr with no Adobe APP14 marker (JFIF's default),
 * the case we convert ourselves. Adobe-marked files keep jpeg-js's handling (it forces its own
 * conversion for them). Reads marker segments up to the scan only.
 */
export function isPlainYcbcrJpeg(bytes: Uint8Array): boolean {
  let components = 0;
  let adobeTransform: number | undefined;
  let p = 2; // after SOI
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return false;
    const marker = bytes[p + 1];
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    if (length < 2) return false;
    const isSof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof && p + 9 < bytes.length) components = bytes[p + 9];
    if (
      marker === 0xee &&
      length >= 12 &&
      p + 15 < bytes.length &&
      String.fromCharCode(...bytes.subarray(p + 4, p + 9)) === 'Adobe'
    ) {
      adobeTransform = bytes[p + 15];
    }
    p += 2 + length;
  }
  return components === 3 && adobeTransform === undefined;
}
