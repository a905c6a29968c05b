import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../../src/pipeline/errors';
import { OnnxClipEncoder } from '../../../../src/pipeline/clip/encoder/onnx-clip-encoder';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { createClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer';

// Damaged ONNX files (truncated, bit-flipped, garbage) reach onnxruntime's parser through our
// loader: the result is a working encoder or a ModelError naming the file — never another
// exception and never a hang. Each run creates real sessions, so the count is kept modest.
const files = buildOfflineModelFiles();
const vision = files.get('onnx/vision_model.onnx')!;
const text = files.get('onnx/text_model.onnx')!;
const tokenizer = createClipTokenizer(files.get('tokenizer.json')!, 'tokenizer.json');

const damaged = fc.oneof(
  fc.nat({ max: vision.length - 1 }).map((n) => vision.subarray(0, n)),
  fc
    .array(fc.tuple(fc.nat({ max: vision.length - 1 }), fc.integer({ min: 0, max: 7 })), {
      minLength: 1,
      maxLength: 6,
    })
    .map((flips) => {
      const out = vision.slice();
      for (const [at, bit] of flips) out[at] ^= 1 << bit;
      return out;
    }),
  fc.uint8Array({ maxLength: 300 }),
);

describe('damaged ONNX files', () => {
  it('300 damaged vision graphs → an encoder or a ModelError naming the file', async () => {
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(damaged, async (bytes) => {
        try {
          const encoder = await OnnxClipEncoder.create({
            modelId: 'fuzz',
            vision: { bytes, file: 'fuzz/vision_model.onnx' },
            text: { bytes: text, file: 'fuzz/text_model.onnx' },
            tokenizer,
            expectedDim: 64,
            numThreads: 1,
          });
          await encoder.dispose();
        } catch (err) {
          if (!(err instanceof ModelError)) throw err;
          expect(err.message).toMatch(/^fuzz\/(vision|text)_model\.onnx/);
          errors++;
        }
      }),
      { numRuns: 300 },
    );
    // Most damage is fatal; a test that never saw an error would be testing nothing.
    expect(errors).toBeGreaterThan(100);
  });
});
