import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readNpy } from '../../../../src/pipeline/io/npy';
import { decodeColorImage } from '../../../../src/pipeline/image/decode';
import {
  ClipPreprocessor,
  preprocessBatch,
  preprocessImage,
} from '../../../../src/pipeline/clip/preprocess/clip-preprocess';
import type { RgbImage } from '../../../../src/pipeline/scene/types';

const shared = path.resolve(__dirname, '../../../../..', 'shared');
const refDir = path.join(shared, 'reference/clip-preprocess');
const iclColor = path.join(shared, 'data/icl-nuim-livingroom1/color');
const hasShared = existsSync(refDir) && existsSync(iclColor);
if (!hasShared)
  console.warn(`skipping CLIP preprocessing reference tests: ${refDir} or ${iclColor} is missing`);

// readFileSync returns a pooled Buffer; hand the decoders a plain Uint8Array copy.
const readBytes = (file: string) => new Uint8Array(readFileSync(file));

async function load(image: string): Promise<RgbImage> {
  return decodeColorImage(readBytes(image), path.basename(image), { decoder: 'pure-js' });
}

function reference(name: string): Float32Array {
  const npy = readNpy(readBytes(path.join(refDir, `${name}.npy`)), `${name}.npy`);
  expect(npy.shape).toEqual([3, 224, 224]);
  return npy.data as Float32Array;
}

function deltas(ours: Float32Array, ref: Float32Array): { max: number; mean: number } {
  expect(ours.length).toBe(ref.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ours[i] - ref[i]);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / ref.length };
}

/** Elements that differ (deep toEqual on 150k floats is slow). */
function countDifferent(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

const PNG_CASES = ['synthetic-301x157', 'synthetic-157x301'];
const JPEG_CASES = ['00000', '00120'];

describe.skipIf(!hasShared)(
  'CLIP preprocessing vs PIL 9.4 + torchvision (reference/clip-preprocess)',
  () => {
    for (const name of PNG_CASES) {
      it(`${name}.png: max |Δ| ≤ 0.03, mean |Δ| ≤ 0.003`, async () => {
        const d = deltas(
          preprocessImage(await load(path.join(refDir, `${name}.png`))),
          reference(name),
        );
        console.log(
          `clip-preprocess ${name}.png: max |Δ| = ${d.max.toExponential(3)}, mean |Δ| = ${d.mean.toExponential(3)}`,
        );
        expect(d.max).toBeLessThanOrEqual(0.03);
        expect(d.mean).toBeLessThanOrEqual(0.003);
      });
    }

    for (const name of JPEG_CASES) {
      it(`${name}.jpg (shared decoder): max |Δ| ≤ 0.08, mean |Δ| ≤ 0.005`, async () => {
        const d = deltas(
          preprocessImage(await load(path.join(iclColor, `${name}.jpg`))),
          reference(name),
        );
        console.log(
          `clip-preprocess ${name}.jpg: max |Δ| = ${d.max.toFixed(4)}, mean |Δ| = ${d.mean.toFixed(5)}`,
        );
        expect(d.max).toBeLessThanOrEqual(0.08);
        expect(d.mean).toBeLessThanOrEqual(0.005);
      });
    }

    it('a batch written into a preallocated [B,3,224,224] equals the single-image results', async () => {
      const images = [
        await load(path.join(refDir, 'synthetic-301x157.png')),
        await load(path.join(iclColor, '00000.jpg')),
        await load(path.join(refDir, 'synthetic-157x301.png')),
      ];
      const out = new Float32Array(4 * 3 * 224 * 224).fill(Number.NaN);
      const returned = preprocessBatch(
        images.map((image) => ({ image })),
        out,
      );
      expect(returned).toBe(out);
      images.forEach((image, b) => {
        expect(
          countDifferent(out.subarray(b * 150528, (b + 1) * 150528), preprocessImage(image)),
        ).toBe(0);
      });
      expect(Number.isNaN(out[3 * 150528])).toBe(true); // the slot after the batch is untouched
      // A second preprocessor instance (own caches and scratch) gives identical floats.
      expect(
        countDifferent(new ClipPreprocessor().preprocess(images[1]), preprocessImage(images[1])),
      ).toBe(0);
    });
  },
);
