import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { describeWithPython } from '../../../oracles/python';
import { NodeFileSource } from '../../../../src/hosts/node/node-file-source';
import { FolderModelSource } from '../../../../src/pipeline/clip/model-source/folder-model-source';
import { loadClipModel } from '../../../../src/pipeline/clip/model-source/load-clip-model';
import { ensureOrtConfigured } from '../../../../src/pipeline/clip/encoder/ort-runtime';
import {
  readOnnxModel,
  withExtraOutputs,
  type OnnxModelView,
} from '../../../../src/pipeline/clip/onnx/onnx-reader';
import {
  DENSE_METHODS,
  TINY_B16,
  TINY_B32,
  TORCH_CLIP_MODULES,
  torchClipFixture,
} from './torch-clip-fixture';

/** The value entering the last block: layer_norm1's input (LayerNormalization or decomposed). */
export function lastBlockInput(model: OnnxModelView, layers: number): string {
  const weight = `vision_model.encoder.layers.${layers - 1}.layer_norm1.weight`;
  const producer = new Map(model.graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n])));
  let node = model.graph.nodes.find((n) => n.inputs.includes(weight))!;
  if (node.opType === 'LayerNormalization') return node.inputs[0];
  // Mul(Div(Sub(x, mean), std), weight): walk back to the Sub.
  while (node.opType !== 'Sub') {
    const from = node.inputs.find((i) => producer.has(i))!;
    node = producer.get(from)!;
  }
  return node.inputs[0];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describeWithPython('torch CLIP fixture (HF layout export)', TORCH_CLIP_MODULES, (oracle) => {
  for (const [label, spec] of [
    ['B/32', TINY_B32],
    ['B/16', TINY_B16],
  ] as const) {
    it(`${label}: folders load, image_embeds and the last-block stream match torch`, async () => {
      ensureOrtConfigured();
      const fx = torchClipFixture(oracle, spec);
      const ref = fx.reference!;
      expect(fx.grid).toBe(224 / spec.patch!);
      expect(ref.streamLast.shape).toEqual([ref.batch, fx.tokens, spec.width]);
      for (const m of DENSE_METHODS) {
        const d = ref.dense[m];
        expect(d.shape).toEqual([ref.batch, fx.grid * fx.grid, spec.proj]);
        const norm = Math.hypot(...d.data.subarray(0, spec.proj!));
        expect(norm).toBeCloseTo(1, 9);
      }
      // The methods must differ visibly (attention far from uniform).
      const a = ref.dense.maskclip.data;
      const b = ref.dense.clearclip.data;
      let dot = 0;
      for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
      expect(dot / (a.length / spec.proj!)).toBeLessThan(0.99);

      for (const [opset, folder] of fx.folders) {
        const model = await loadClipModel(
          new FolderModelSource(await NodeFileSource.open(folder)),
          {
            numThreads: 1,
          },
        );
        const embeds = await model.encoder.embedImagesRaw(ref.pixelValues, ref.batch);
        const scale = Math.max(...ref.imageEmbeds.data.map(Math.abs));
        expect(maxAbsDiff(embeds, ref.imageEmbeds.data) / scale, `opset ${opset}`).toBeLessThan(
          1e-4,
        );
        await model.encoder.dispose();

        const path = fx.visionModelPath(opset);
        const bytes = new Uint8Array(readFileSync(path));
        const stream = lastBlockInput(readOnnxModel(bytes, path), spec.layers!);
        const session = await ort.InferenceSession.create(
          withExtraOutputs(bytes, [{ name: stream, elemType: 'float' }]),
          { executionProviders: ['wasm'] },
        );
        const out = await session.run({
          pixel_values: new ort.Tensor('float32', ref.pixelValues, [ref.batch, 3, 224, 224]),
        });
        expect(out[stream].dims).toEqual(ref.streamLast.shape);
        const s = Math.max(...ref.streamLast.data.map(Math.abs));
        const got = out[stream].data as Float32Array;
        expect(maxAbsDiff(got, ref.streamLast.data) / s, `opset ${opset}`).toBeLessThan(1e-4);
        await session.release();
      }
    });
  }
});
