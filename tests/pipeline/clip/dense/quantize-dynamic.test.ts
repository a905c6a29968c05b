import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { GraphBuilder } from '../../../../src/pipeline/clip/onnx/graph-builder';
import { readOnnxModel, tensorData } from '../../../../src/pipeline/clip/onnx/onnx-reader';
import { ensureOrtConfigured } from '../../../../src/pipeline/clip/encoder/ort-runtime';
import { mulberry32 } from '../../../../src/pipeline/random';
import { quantizeDynamic, quantizeWeights } from '../../../../scripts/quantize-dynamic';

describe('quantizeWeights', () => {
  it('uint8: asymmetric range with zero exact, endpoints at 0 and 255', () => {
    const w = Float32Array.from([-1, 0, 0.5, 2]);
    const { q, scale, zeroPoint } = quantizeWeights(w, 'uint8');
    expect(scale).toBeCloseTo(3 / 255, 7);
    expect(zeroPoint).toBe(85);
    expect(Array.from(q)).toEqual([0, 85, 127, 255]); // 0.5/scale = 42.5 → 42 (half to even)
  });

  it('int8: symmetric, zero point 0, dequantization within half a step', () => {
    const random = mulberry32(3);
    const w = Float32Array.from({ length: 1000 }, () => random() * 4 - 1);
    const { q, scale, zeroPoint } = quantizeWeights(w, 'int8');
    expect(zeroPoint).toBe(0);
    expect(scale).toBeCloseTo(Math.max(...w.map(Math.abs)) / 127, 7);
    w.forEach((v, i) => expect(Math.abs(q[i] * scale - v)).toBeLessThanOrEqual(scale / 2 + 1e-7));
  });
});

describe('quantizeDynamic', () => {
  it('rewrites MatMul by an initializer into the quantize_dynamic pattern and still runs', async () => {
    ensureOrtConfigured();
    const random = mulberry32(9);
    const g = new GraphBuilder('mm', 17);
    const x = g.input('x', 'float', ['batch', 16]);
    const w = g.floats(
      'W',
      [16, 8],
      Array.from({ length: 128 }, () => random() - 0.5),
    );
    const h = g.node('MatMul', [x, w], {}, 'h');
    const y = g.node('Relu', [h], {}, 'y');
    g.output(y, 'float', ['batch', 8]);
    const fp32 = g.encode();
    const { bytes, quantized } = quantizeDynamic(fp32, 'mm.onnx');
    expect(quantized).toEqual(['W']);
    const m = readOnnxModel(bytes, 'q.onnx');
    expect(m.graph.nodes.map((n) => n.opType)).toEqual([
      'DynamicQuantizeLinear',
      'MatMulInteger',
      'Cast',
      'Mul',
      'Mul',
      'Relu',
    ]);
    expect([...m.graph.initializers.keys()]).toEqual(['W_quantized', 'W_scale', 'W_zero_point']);
    expect(tensorData(m.graph.initializers.get('W_quantized')!)).toBeInstanceOf(Uint8Array);

    const input = Float32Array.from({ length: 32 }, () => random() * 2 - 1);
    const run = async (b: Uint8Array) => {
      const s = await ort.InferenceSession.create(b, { executionProviders: ['wasm'] });
      const out = await s.run({ x: new ort.Tensor('float32', input, [2, 16]) });
      await s.release();
      return out.y.data as Float32Array;
    };
    const [a, q] = [await run(fp32), await run(bytes)];
    const scale = Math.max(...a.map(Math.abs));
    a.forEach((v, i) => expect(Math.abs(q[i] - v)).toBeLessThan(0.03 * scale));
  });
});
