import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CancelledError, UnsupportedError } from '../../../../src/pipeline/errors';
import { clipCropGeometry, roundHalfEven } from '../../../../src/pipeline/clip/preprocess/geometry';
import {
  ClipPreprocessor,
  preprocessBatch,
  preprocessImage,
  preprocessImageInto,
} from '../../../../src/pipeline/clip/preprocess/clip-preprocess';
import type { RgbImage } from '../../../../src/pipeline/scene/types';

const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];
const PLANE = 224 * 224;

function noiseImage(width: number, height: number, seed = 1): RgbImage {
  let s = seed;
  const data = new Uint8Array(width * height * 3).map(
    () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24,
  );
  return { width, height, data };
}

/** An independent crop: copies the rectangle's pixels into a new image. */
function cropCopy(img: RgbImage, x: number, y: number, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let r = 0; r < height; r++) {
    data.set(
      img.data.subarray(((y + r) * img.width + x) * 3, ((y + r) * img.width + x + width) * 3),
      r * width * 3,
    );
  }
  return { width, height, data };
}

function sameFloats(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('CLIP resize/crop geometry (torchvision Resize + CenterCrop)', () => {
  it('matches the table in reference/clip-preprocess/README.md', () => {
    expect(clipCropGeometry(640, 480, 224)).toEqual({
      resizedWidth: 298,
      resizedHeight: 224,
      cropLeft: 37,
      cropTop: 0,
      size: 224,
    });
    expect(clipCropGeometry(301, 157, 224)).toMatchObject({
      resizedWidth: 429,
      resizedHeight: 224,
      cropLeft: 102,
      cropTop: 0,
    });
    expect(clipCropGeometry(157, 301, 224)).toMatchObject({
      resizedWidth: 224,
      resizedHeight: 429,
      cropLeft: 0,
      cropTop: 102,
    });
    expect(clipCropGeometry(50, 50, 224)).toMatchObject({
      resizedWidth: 224,
      resizedHeight: 224,
      cropLeft: 0,
      cropTop: 0,
    });
  });

  it("rounds crop offsets half-to-even like Python's round()", () => {
    expect([0.5, 1.5, 2.5, 3.5, 102.5, 2.4, 2.6].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, 102, 2, 3,
    ]);
    expect(clipCropGeometry(225, 224, 224).cropLeft).toBe(0); // 0.5 → 0
    expect(clipCropGeometry(227, 224, 224).cropLeft).toBe(2); // 1.5 → 2
  });
});

describe('preprocessImage', () => {
  it('normalises a constant image to (v/255 - mean)/std per channel, NCHW', () => {
    const img: RgbImage = { width: 300, height: 200, data: new Uint8Array(300 * 200 * 3) };
    for (let i = 0; i < 300 * 200; i++) img.data.set([10, 128, 250], i * 3);
    const out = preprocessImage(img);
    expect(out.length).toBe(3 * PLANE);
    [10, 128, 250].forEach((v, c) => {
      const expected = (v / 255 - MEAN[c]) / STD[c];
      for (const i of [0, 12345, PLANE - 1]) expect(out[c * PLANE + i]).toBeCloseTo(expected, 6);
    });
  });

  it('a sub-rectangle gives exactly what the same pixels cut out as an image give', () => {
    const img = noiseImage(320, 240, 7);
    for (const [x, y, w, h] of [
      [0, 0, 320, 240],
      [10, 20, 100, 60],
      [300, 200, 20, 40],
      [5, 5, 16, 16],
      [0, 100, 320, 1],
    ]) {
      expect(
        sameFloats(
          preprocessImage(img, { x, y, width: w, height: h }),
          preprocessImage(cropCopy(img, x, y, w, h)),
        ),
      ).toBe(true);
    }
  });

  it('writes each batch slot in place and leaves the others alone', () => {
    const img = noiseImage(64, 48, 3);
    const out = new Float32Array(3 * 3 * PLANE).fill(7);
    preprocessImageInto(out, 1, img, { x: 8, y: 8, width: 32, height: 32 });
    expect(out[0]).toBe(7);
    expect(out[2 * 3 * PLANE]).toBe(7);
    expect(
      sameFloats(
        out.subarray(3 * PLANE, 6 * PLANE),
        preprocessImage(img, { x: 8, y: 8, width: 32, height: 32 }),
      ),
    ).toBe(true);
    expect(() => preprocessImageInto(out, 3, img)).toThrow(UnsupportedError);
  });

  it('rejects rectangles outside the image and short pixel buffers with UnsupportedError', () => {
    const img = noiseImage(20, 10);
    for (const rect of [
      { x: -1, y: 0, width: 5, height: 5 },
      { x: 16, y: 0, width: 5, height: 5 },
      { x: 0, y: 0, width: 0, height: 5 },
      { x: 0.5, y: 0, width: 5, height: 5 },
      { x: 0, y: 0, width: 5, height: Number.NaN },
    ]) {
      expect(() => preprocessImage(img, rect), JSON.stringify(rect)).toThrow(UnsupportedError);
    }
    expect(() => preprocessImage({ width: 20, height: 10, data: new Uint8Array(10) })).toThrow(
      UnsupportedError,
    );
  });

  it('fuzz: any rectangle either preprocesses to finite values or throws UnsupportedError', () => {
    const img = noiseImage(40, 30, 11);
    const preprocessor = new ClipPreprocessor();
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 45 }),
        fc.integer({ min: -5, max: 35 }),
        fc.integer({ min: -2, max: 50 }),
        fc.integer({ min: -2, max: 40 }),
        (x, y, width, height) => {
          try {
            const out = preprocessor.preprocess(img, { x, y, width, height });
            expect(out.length).toBe(3 * PLANE);
            expect(out.every(Number.isFinite)).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(UnsupportedError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('batches report progress and stop with CancelledError when aborted', () => {
    const img = noiseImage(64, 64);
    const seen: number[] = [];
    const out = preprocessBatch(
      [{ image: img }, { image: img, rect: { x: 0, y: 0, width: 8, height: 8 } }],
      undefined,
      {
        onProgress: (p) => seen.push(p.done),
      },
    );
    expect(out.length).toBe(2 * 3 * PLANE);
    expect(seen).toEqual([1, 2]);
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      preprocessBatch([{ image: img }], undefined, { signal: controller.signal }),
    ).toThrow(CancelledError);
  });
});
