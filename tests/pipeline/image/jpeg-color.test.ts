import { describe, expect, it } from 'vitest';
import { isPlainYcbcrJpeg, ycbcrToRgb } from '../../../src/pipeline/image/jpeg-color';
import { encodeJpeg } from '../../../src/pipeline/image/encode';

describe('libjpeg fixed-point YCbCr → RGB', () => {
  it('matches a hand-computed pixel (jdcolor.c tables)', () => {
    // Y=100, Cb=150, Cr=90: R = 100 + ((91881·-38 + 32768) >> 16) = 47,
    // G = 100 + ((-22554·22 + 32768 + 46802·38) >> 16) = 120, B = 100 + ((116130·22 + 32768) >> 16) = 139.
    expect([...ycbcrToRgb([100, 150, 90], 1, 3)]).toEqual([47, 120, 139]);
    // Neutral chroma leaves luma untouched; saturated chroma clamps.
    expect([...ycbcrToRgb([77, 128, 128, 255], 1, 4)]).toEqual([77, 77, 77]);
    expect([...ycbcrToRgb([128, 128, 255], 1, 3)][0]).toBe(255);
  });

  it('is within one level of the rounded floating-point JFIF formula everywhere', () => {
    let worst = 0;
    const px = new Uint8Array(3);
    for (let y = 0; y < 256; y += 5)
      for (let cb = 0; cb < 256; cb += 3)
        for (let cr = 0; cr < 256; cr += 3) {
          px[0] = y;
          px[1] = cb;
          px[2] = cr;
          const [r, g, b] = ycbcrToRgb(px, 1, 3);
          const c = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
          worst = Math.max(
            worst,
            Math.abs(r - c(y + 1.402 * (cr - 128))),
            Math.abs(g - c(y - 0.34414 * (cb - 128) - 0.71414 * (cr - 128))),
            Math.abs(b - c(y + 1.772 * (cb - 128))),
          );
        }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('recognises a plain JFIF colour JPEG and rejects non-JPEG bytes', () => {
    const img = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 3).fill(90) };
    expect(isPlainYcbcrJpeg(encodeJpeg(img, 90))).toBe(true);
    expect(isPlainYcbcrJpeg(new Uint8Array([0xff, 0xd8, 0x00, 0x01, 0x02]))).toBe(false);
  });
});
