import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode as encodePngRaw } from 'fast-png';
import { decodeColorImage, decodeDepthPng } from '../../../src/pipeline/image/decode';
import { encodeJpeg, encodePng16, encodePngRgb } from '../../../src/pipeline/image/encode';
import { BudgetError, ParseError } from '../../../src/pipeline/errors';
import type { RgbImage } from '../../../src/pipeline/scene/types';
import { imageDifference } from '../../../src/pipeline/image/compare';
import { jpegExifOrientation } from '../../../src/pipeline/image/exif-orientation';
import jpeg from 'jpeg-js';

/** A deterministic test image with smooth gradients and a hard edge. */
function testImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((x / (width - 1)) * 255);
      data[i + 1] = Math.round((y / (height - 1)) * 255);
      data[i + 2] = x < width / 2 ? 40 : 200;
    }
  }
  return { width, height, data };
}

async function expectOurError(p: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    // A mutated header may declare a size above the pixel budget: typed too, naming the file.
    expect(err instanceof ParseError || err instanceof BudgetError).toBe(true);
    expect((err as ParseError).message).toContain('img.bin');
  }
}

describe('decodeColorImage', () => {
  it('round-trips an RGB PNG exactly', async () => {
    const img = testImage(37, 23);
    const out = await decodeColorImage(encodePngRgb(img), 'a.png');
    expect(out.width).toBe(37);
    expect(out.height).toBe(23);
    expect(out.data).toEqual(img.data);
  });

  it('drops alpha, expands grey and reduces 16-bit channels to their high byte', async () => {
    const rgba = encodePngRaw({
      width: 2,
      height: 1,
      channels: 4,
      depth: 8,
      data: new Uint8Array([1, 2, 3, 0, 4, 5, 6, 255]),
    });
    expect([...(await decodeColorImage(rgba, 'rgba.png')).data]).toEqual([1, 2, 3, 4, 5, 6]);
    const grey = encodePngRaw({
      width: 2,
      height: 1,
      channels: 1,
      depth: 8,
      data: new Uint8Array([7, 250]),
    });
    expect([...(await decodeColorImage(grey, 'g.png')).data]).toEqual([7, 7, 7, 250, 250, 250]);
    const grey16 = encodePngRaw({
      width: 1,
      height: 1,
      channels: 2,
      depth: 16,
      data: new Uint16Array([0x1234, 0xffff]),
    });
    expect([...(await decodeColorImage(grey16, 'g16.png')).data]).toEqual([0x12, 0x12, 0x12]);
  });

  it('decodes a JPEG close to its source (lossy)', async () => {
    const img = testImage(64, 48);
    const out = await decodeColorImage(encodeJpeg(img, 95), 'a.jpg');
    expect(out.width).toBe(64);
    let sum = 0;
    for (let i = 0; i < img.data.length; i++) sum += Math.abs(out.data[i] - img.data[i]);
    expect(sum / img.data.length).toBeLessThan(3);
  });

  it('rejects unknown magic bytes naming the file', async () => {
    await expect(decodeColorImage(new Uint8Array([1, 2, 3, 4]), 'x/y.jpg')).rejects.toThrow(
      /x\/y\.jpg/,
    );
    await expect(decodeColorImage(new Uint8Array(0), 'e.png')).rejects.toBeInstanceOf(ParseError);
  });

  it('refuses absurd PNG sizes before allocating', async () => {
    const png = encodePngRgb(testImage(4, 4));
    const huge = png.slice();
    new DataView(huge.buffer).setUint32(16, 1_000_000);
    new DataView(huge.buffer).setUint32(20, 1_000_000);
    await expect(decodeColorImage(huge, 'huge.png')).rejects.toThrow(/pixel limit/);
    // Within the pixel limit but far more than a few hundred bytes can inflate to.
    new DataView(huge.buffer).setUint32(16, 5000);
    new DataView(huge.buffer).setUint32(20, 5000);
    await expect(decodeColorImage(huge, 'big.png')).rejects.toThrow(/too small to hold it/);
  });

  it('fuzz: mutated PNG and JPEG input only ever throws ParseError or BudgetError', async () => {
    const seeds = [encodePngRgb(testImage(16, 12)), encodeJpeg(testImage(16, 12), 80)];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (which, flips, cut) => {
          const bytes = seeds[which].slice();
          for (const [pos, val] of flips) bytes[pos % bytes.length] = val;
          const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          await expectOurError(decodeColorImage(input, 'img.bin'));
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('decodeDepthPng', () => {
  it('round-trips 16-bit depth exactly, including 0 and 65535', () => {
    const data = new Uint16Array(30 * 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) % 65536;
    data[0] = 0;
    data[1] = 65535;
    const out = decodeDepthPng(encodePng16(30, 20, data), 'd.png');
    expect(out.width).toBe(30);
    expect(out.height).toBe(20);
    expect(out.data).toEqual(data);
  });

  it('rejects 8-bit and colour PNGs as depth', () => {
    expect(() => decodeDepthPng(encodePngRgb(testImage(2, 2)), 'c.png')).toThrow(
      /16-bit greyscale/,
    );
  });

  it('fuzz: mutated depth PNGs only ever throw ParseError or BudgetError', async () => {
    const seed = encodePng16(
      16,
      8,
      Uint16Array.from({ length: 128 }, (_, i) => i * 500),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (flips, cut) => {
          const bytes = seed.slice();
          for (const [pos, val] of flips) bytes[pos % bytes.length] = val;
          const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          await expectOurError(() => {
            const d = decodeDepthPng(input, 'img.bin');
            expect(d.data.length).toBe(d.width * d.height);
          });
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('imageDifference', () => {
  it('measures max and mean absolute channel differences', () => {
    const a = { width: 2, height: 1, data: new Uint8Array([0, 10, 20, 30, 40, 50]) };
    const b = { width: 2, height: 1, data: new Uint8Array([3, 10, 20, 30, 40, 47]) };
    expect(imageDifference(a, b)).toEqual({ maxAbs: 3, meanAbs: 1 });
    expect(() => imageDifference(a, { ...b, width: 1 })).toThrow(RangeError);
  });

  it('the pure-JS and auto paths agree exactly in Node (no browser decoder here)', async () => {
    const bytes = encodeJpeg(testImage(40, 30), 85);
    const auto = await decodeColorImage(bytes, 'a.jpg');
    const pure = await decodeColorImage(bytes, 'a.jpg', { decoder: 'pure-js' });
    expect(imageDifference(auto, pure)).toEqual({ maxAbs: 0, meanAbs: 0 });
  });
});

describe('jpegExifOrientation', () => {
  /** An APP1 Exif block with IFD0 holding only the orientation tag. */
  function exif(orientation: number, littleEndian: boolean): Uint8Array {
    const tiff = littleEndian
      ? [
          0x49,
          0x49,
          0x2a,
          0,
          8,
          0,
          0,
          0,
          1,
          0,
          0x12,
          0x01,
          3,
          0,
          1,
          0,
          0,
          0,
          orientation,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
        ]
      : [
          0x4d,
          0x4d,
          0,
          0x2a,
          0,
          0,
          0,
          8,
          0,
          1,
          0x01,
          0x12,
          0,
          3,
          0,
          0,
          0,
          1,
          0,
          orientation,
          0,
          0,
          0,
          0,
          0,
          0,
        ];
    return new Uint8Array([0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]);
  }

  function jpegWithExif(block: Uint8Array | undefined): Uint8Array {
    const rgba = new Uint8Array(8 * 4 * 4).fill(200);
    return new Uint8Array(
      jpeg.encode({ width: 8, height: 4, data: rgba, exifBuffer: block } as never, 90).data,
    );
  }

  it('reads the tag in both byte orders and defaults to 1', () => {
    expect(jpegExifOrientation(jpegWithExif(exif(6, false)))).toBe(6);
    expect(jpegExifOrientation(jpegWithExif(exif(3, true)))).toBe(3);
    expect(jpegExifOrientation(jpegWithExif(undefined))).toBe(1);
    expect(jpegExifOrientation(encodeJpeg(testImage(4, 4)))).toBe(1);
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const bytes = new Uint8Array([
          0xff,
          0xd8,
          0xff,
          0xe1,
          0,
          40,
          0x45,
          0x78,
          0x69,
          0x66,
          0,
          0,
          ...tail,
        ]);
        const o = jpegExifOrientation(bytes);
        expect(o >= 1 && o <= 8).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
