import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  float16BitsToFloat32 as fromHalfBits,
  float32ToFloat16Bits as toHalfBits,
} from '../../../../src/pipeline/io/float16';
import { OnnxClipEncoder } from '../../../../src/pipeline/clip/encoder/onnx-clip-encoder';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { createClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer';
import { tinyVisionModel } from './broken-models';

describe('float16 conversion', () => {
  it('matches IEEE 754 half bit patterns worked out by hand', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff); // largest half
    expect(toHalfBits(1e6)).toBe(0x7c00); // overflow → Inf
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(0.1)).toBe(0x2e66);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(Number.isNaN(fromHalfBits(toHalfBits(NaN)))).toBe(true);
    expect(fromHalfBits(0x3555)).toBeCloseTo(0.333251953125, 12);
  });

  it('round-trips every half value exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (bits) => {
        const value = fromHalfBits(bits);
        if (Number.isNaN(value)) return;
        expect(toHalfBits(value)).toBe(bits);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fp16 exports (float16 inputs and outputs)', () => {
  it('feeds float16 pixels and reads float16 embeddings', async () => {
    const files = buildOfflineModelFiles();
    const tokenizer = createClipTokenizer(files.get('tokenizer.json')!, 'tokenizer.json');
    const make = (half: boolean) =>
      OnnxClipEncoder.create({
        modelId: half ? 'half' : 'full',
        vision: { bytes: tinyVisionModel({ half }), file: 'vision.onnx' },
        text: { bytes: files.get('onnx/text_model.onnx')!, file: 'text.onnx' },
        tokenizer,
        numThreads: 1,
      });
    const [half, full] = [await make(true), await make(false)];
    const pixels = Float32Array.from({ length: 2 * 3 * 224 * 224 }, (_, i) => ((i % 97) - 48) / 40);
    const a = await half.embedImagesRaw(pixels, 2);
    const b = await full.embedImagesRaw(pixels, 2);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 1);
    await half.dispose();
    await full.dispose();
  });
});
