import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { describeWithPython } from '../../../oracles/python';
import { ensureOrtConfigured } from '../../../../src/pipeline/clip/encoder/ort-runtime';
import { readOnnxModel } from '../../../../src/pipeline/clip/onnx/onnx-reader';
import { quantizeDynamic, type WeightType } from '../../../../scripts/quantize-dynamic';
import { TINY_B32, TORCH_CLIP_MODULES, torchClipFixture } from './torch-clip-fixture';

async function embeds(
  bytes: Uint8Array,
  pixels: Float32Array,
  batch: number,
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const out = await session.run({
    pixel_values: new ort.Tensor('float32', pixels, [batch, 3, 224, 224]),
  });
  await session.release();
  return out.image_embeds.data as Float32Array;
}

function cosines(a: Float32Array, b: Float32Array, dim: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i += dim) {
    let [ab, aa, bb] = [0, 0, 0];
    for (let j = i; j < i + dim; j++) {
      ab += a[j] * b[j];
      aa += a[j] * a[j];
      bb += b[j] * b[j];
    }
    out.push(ab / Math.sqrt(aa * bb));
  }
  return out;
}

describeWithPython('dynamic quantization of a torch CLIP export', TORCH_CLIP_MODULES, (oracle) => {
  for (const opset of [14, 17]) {
    for (const weightType of ['uint8', 'int8'] as WeightType[]) {
      it(`opset ${opset}, ${weightType}: image_embeds keep cosine > 0.99`, async () => {
        ensureOrtConfigured();
        const fx = torchClipFixture(oracle, TINY_B32);
        const ref = fx.reference!;
        const path = fx.visionModelPath(opset);
        const fp32 = new Uint8Array(readFileSync(path));
        const { bytes, quantized } = quantizeDynamic(fp32, path, { weightType });
        // q, k, v, out_proj, fc1, fc2 per layer + visual_projection.
        expect(quantized).toHaveLength(6 * TINY_B32.layers! + 1);
        const q = readOnnxModel(bytes, 'q.onnx');
        const ops = q.graph.nodes.map((n) => n.opType);
        // What stays MatMul multiplies two activations (attention scores and mixing).
        const left = q.graph.nodes.filter((n) => n.opType === 'MatMul');
        expect(left.every((n) => !q.graph.initializers.has(n.inputs[1]))).toBe(true);
        expect(ops.filter((o) => o === 'MatMulInteger')).toHaveLength(quantized.length);
        const w = q.graph.initializers.get(`${quantized[0]}_quantized`)!;
        expect(w.dataType).toBe(weightType);
        expect(q.graph.initializers.get(`${quantized[0]}_zero_point`)!.dims).toEqual([]);

        const a = await embeds(fp32, ref.pixelValues, ref.batch);
        const b = await embeds(bytes, ref.pixelValues, ref.batch);
        const cos = cosines(a, b, TINY_B32.proj!);
        console.log(
          `quantized ${weightType} opset ${opset}: cosine to fp32 ${cos.map((c) => c.toFixed(5)).join(', ')}`,
        );
        for (const c of cos) expect(c).toBeGreaterThan(0.99);
        // Independent truth: torch simulating the same integer arithmetic lands much closer.
        const sim = Float32Array.from(ref.imageEmbedsQuantSim[weightType].data);
        const simCos = cosines(b, sim, TINY_B32.proj!);
        console.log(
          `  vs torch quantization simulation: ${simCos.map((c) => c.toFixed(6)).join(', ')}`,
        );
        for (const c of simCos) expect(c).toBeGreaterThan(0.9999);
      });
    }
  }
});
