/**
 * Dense one-pass patch features (clip/dense) against torch: random-weight CLIP ViTs in Hugging
 * Face layout exported by torch (opset 14: decomposed LayerNorm; opset 17: LayerNormalization),
 * patch 32 (7×7) and 16 (14×14), every last-block rewrite. The reference is torch's float64
 * forward with the formulas written independently in tests/oracles/clip_vision_torch.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithPython } from '../../../oracles/python';
import { quantizeDynamic } from '../../../../scripts/quantize-dynamic';
import { FolderModelSource } from '../../../../src/pipeline/clip/model-source/folder-model-source';
import { loadClipModel } from '../../../../src/pipeline/clip/model-source/load-clip-model';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import {
  DENSE_BLOCK_METHODS,
  type DenseBlockMethod,
} from '../../../../src/pipeline/clip/dense/types';
import { editGraph, lastOf } from './graph-surgery';
import {
  TINY_B16,
  TINY_B32,
  TORCH_CLIP_MODULES,
  torchClipFixture,
  type TorchClipFixture,
  type TorchClipSpec,
} from './torch-clip-fixture';

/** fp32 exactness: our features vs torch's float64, after L2 normalisation. */
const FP32_MAX_ABS = 1e-4;
/**
 * Dynamically quantized (scripts/quantize-dynamic.ts: 8-bit per-tensor weights, 8-bit dynamic
 * activations) vs torch fp32, per patch: measured cosine min 0.9575 (int8, 14×14, clearclip),
 * mean ≥ 0.9983 over both grids, both weight types and every method; asserted with margin.
 */
const QUANT_COS_MIN = 0.93;
const QUANT_COS_MEAN = 0.995;

function folderFiles(
  folder: string,
  visionName: string,
  vision?: Uint8Array,
): Map<string, Uint8Array> {
  const read = (p: string) => new Uint8Array(readFileSync(join(folder, p)));
  const textName = visionName.replace('vision_model', 'text_model');
  return new Map([
    ['config.json', read('config.json')],
    ['tokenizer.json', read('tokenizer.json')],
    [`onnx/${visionName}`, vision ?? read('onnx/vision_model.onnx')],
    [`onnx/${textName}`, read('onnx/text_model.onnx')],
  ]);
}

async function denseFeatures(
  files: Map<string, Uint8Array>,
  variant: 'fp32' | 'quantized',
  method: DenseBlockMethod,
  fx: TorchClipFixture,
) {
  const source = new FolderModelSource(new MemoryFileSource(files, 'torch-clip'), { variant });
  const model = await loadClipModel(source, { numThreads: 1, denseMethod: method });
  try {
    const { dense } = model.encoder;
    if (!dense) throw new Error(`no dense features: ${model.encoder.denseUnavailable}`);
    expect(dense.method).toBe(method);
    expect(dense.grid).toEqual({ rows: fx.grid, cols: fx.grid, patch: 224 / fx.grid });
    expect(dense.dim).toBe(fx.spec.proj);
    const ref = fx.reference!;
    const features = await dense.embedPatches(ref.pixelValues, ref.batch);
    expect(ref.dense[method].shape).toEqual([ref.batch, fx.grid * fx.grid, fx.spec.proj]);
    return { features, want: ref.dense[method].data, dim: dense.dim };
  } finally {
    await model.encoder.dispose();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function cosines(a: Float32Array, b: Float64Array, dim: number): { min: number; mean: number } {
  let min = Infinity;
  let sum = 0;
  const rows = a.length / dim;
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    let nb = 0;
    for (let i = 0; i < dim; i++) {
      dot += a[r * dim + i] * b[r * dim + i];
      nb += b[r * dim + i] ** 2;
    }
    const c = dot / Math.sqrt(nb);
    min = Math.min(min, c);
    sum += c;
  }
  return { min, mean: sum / rows };
}

const SPECS: [string, TorchClipSpec][] = [
  ['patch 32 (7×7)', TINY_B32],
  ['patch 16 (14×14)', TINY_B16],
];

describeWithPython('dense patch features vs torch', TORCH_CLIP_MODULES, (oracle) => {
  for (const [label, spec] of SPECS) {
    describe(label, () => {
      let fx: TorchClipFixture;
      beforeAll(() => {
        fx = torchClipFixture(oracle, spec);
      });

      for (const opset of [14, 17]) {
        it(`fp32 opset ${opset}: every method within ${FP32_MAX_ABS} of torch`, async () => {
          const folder = fx.folders.get(opset)!;
          const diffs: string[] = [];
          for (const method of DENSE_BLOCK_METHODS) {
            const r = await denseFeatures(
              folderFiles(folder, 'vision_model.onnx'),
              'fp32',
              method,
              fx,
            );
            const diff = maxAbsDiff(r.features, r.want);
            diffs.push(`${method} ${diff.toExponential(2)}`);
            expect(diff, method).toBeLessThanOrEqual(FP32_MAX_ABS);
          }
          console.log(`dense vs torch, ${label}, fp32 opset ${opset}: max |Δ| ${diffs.join(', ')}`);
        });
      }

      for (const weightType of ['uint8', 'int8'] as const) {
        it(`dynamically quantized (${weightType}): cosine to torch fp32 ≥ ${QUANT_COS_MIN} (mean ≥ ${QUANT_COS_MEAN})`, async () => {
          const folder = fx.folders.get(17)!;
          const fp32 = new Uint8Array(readFileSync(fx.visionModelPath(17)));
          const quantized = quantizeDynamic(fp32, 'vision_model.onnx', { weightType }).bytes;
          const files = folderFiles(folder, 'vision_model_quantized.onnx', quantized);
          const measured = new Map<DenseBlockMethod, { min: number; mean: number }>();
          for (const method of DENSE_BLOCK_METHODS) {
            const r = await denseFeatures(files, 'quantized', method, fx);
            measured.set(method, cosines(r.features, r.want, r.dim));
          }
          const lines = [...measured].map(
            ([m, c]) => `${m} min ${c.min.toFixed(4)} mean ${c.mean.toFixed(4)}`,
          );
          console.log(
            `dense vs torch fp32, ${label}, ${weightType} quantized: cosine ${lines.join(', ')}`,
          );
          for (const [method, c] of measured) {
            expect(c.min, method).toBeGreaterThanOrEqual(QUANT_COS_MIN);
            expect(c.mean, method).toBeGreaterThanOrEqual(QUANT_COS_MEAN);
          }
        });
      }
    });
  }

  describe('graphs that are almost a ViT load without dense features, with the reason', () => {
    let fx: TorchClipFixture;
    beforeAll(() => {
      fx = torchClipFixture(oracle, TINY_B32);
    });

    async function loadEdited(edit: Parameters<typeof editGraph>[1]) {
      const fp32 = new Uint8Array(readFileSync(fx.visionModelPath(17)));
      const files = folderFiles(fx.folders.get(17)!, 'vision_model.onnx', editGraph(fp32, edit));
      const source = new FolderModelSource(new MemoryFileSource(files, 'edited'), {
        variant: 'fp32',
      });
      const model = await loadClipModel(source, { numThreads: 1 });
      // The model itself still embeds images.
      const embeds = await model.encoder.embedImages(
        fx.reference!.pixelValues.subarray(0, 3 * 224 * 224),
        1,
      );
      expect(embeds.length).toBe(fx.spec.proj);
      await model.encoder.dispose();
      return model.encoder;
    }

    it('no Softmax in the last attention', async () => {
      const encoder = await loadEdited((nodes) => {
        const softmax = lastOf(nodes, 'Softmax');
        softmax.opType = 'Identity';
        softmax.attributes = [];
        return nodes;
      });
      expect(encoder.dense).toBeUndefined();
      expect(encoder.denseUnavailable).toMatch(
        /no dense patch features \(attention·values does not read a Softmax\)/,
      );
    });

    it('no final LayerNorm before the projection', async () => {
      const encoder = await loadEdited((nodes) => {
        const ln = lastOf(nodes, 'LayerNormalization');
        const proj = lastOf(nodes, 'MatMul');
        proj.inputs[0] = ln.inputs[0];
        return nodes.filter((n) => n !== ln);
      });
      expect(encoder.dense).toBeUndefined();
      expect(encoder.denseUnavailable).toMatch(/the projection does not read a LayerNorm/);
    });

    it('the last block without its MLP (truncated)', async () => {
      const encoder = await loadEdited((nodes) => {
        // Gather token 0 from h (the attention residual) instead of the block output.
        const gather = lastOf(nodes, 'Gather');
        const blockOut = nodes.find((n) => n.outputs[0] === gather.inputs[0])!;
        const mlpStart = nodes.filter((n) => n.opType === 'LayerNormalization').at(-2)!;
        gather.inputs[0] = mlpStart.inputs[0];
        return nodes.filter((n) => n !== blockOut);
      });
      expect(encoder.dense).toBeUndefined();
      expect(encoder.denseUnavailable).toMatch(/no dense patch features/);
    });

    it('dense: false skips the analysis', async () => {
      const files = folderFiles(fx.folders.get(17)!, 'vision_model.onnx');
      const source = new FolderModelSource(new MemoryFileSource(files, 'plain'), {
        variant: 'fp32',
      });
      const model = await loadClipModel(source, { numThreads: 1, dense: false });
      expect(model.encoder.dense).toBeUndefined();
      expect(model.encoder.denseUnavailable).toBeUndefined();
      await model.encoder.dispose();
    });
  });
});
