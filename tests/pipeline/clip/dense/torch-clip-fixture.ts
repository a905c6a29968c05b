/**
 * Test helper: random-weight CLIP models in Hugging Face layout, exported by torch
 * (tests/oracles/clip_vision_torch.py), with float64 torch references for image_embeds, the
 * residual stream entering the last block and the dense features of each one-pass method.
 * Model folders load with loadClipModel (tokenizer.json is the offline model's, whose size sets
 * the text tower's vocab). Built once per spec per test process, under os.tmpdir().
 *
 * Use inside `describeWithPython(name, TORCH_CLIP_MODULES, (oracle) => …)`, which skips (or
 * fails under REQUIRE_ORACLES=1) when torch is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { createClipTokenizer } from '../../../../src/pipeline/clip/tokenizer/load-tokenizer';
import { readNpy } from '../../../../src/pipeline/io/npy';
import type { PythonOracle } from '../../../oracles/python';

export const TORCH_CLIP_MODULES = ['torch', 'numpy'];
export const TORCH_CLIP_SCRIPT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../oracles/clip_vision_torch.py',
);

export type DenseMethodName = 'maskclip' | 'clearclip' | 'naclip' | 'sclip';
export const DENSE_METHODS: readonly DenseMethodName[] = [
  'maskclip',
  'clearclip',
  'naclip',
  'sclip',
];

export interface TorchClipSpec {
  patch?: number;
  width?: number;
  layers?: number;
  heads?: number;
  mlp?: number;
  proj?: number;
  seed?: number;
  /** Exports, one model folder each (default [14, 17]: decomposed LayerNorm and LayerNormalization). */
  opsets?: number[];
  /** Reference images (seeded N(0,1) pixel values); 0 = no references (benchmark models). */
  batch?: number;
  /** NACLIP's Gaussian σ in patch units (default 5). */
  sigma?: number;
}

/** Small models for integration tests: seconds to build and run. */
export const TINY_B32: TorchClipSpec = {
  patch: 32,
  width: 64,
  layers: 2,
  heads: 4,
  mlp: 256,
  proj: 32,
};
export const TINY_B16: TorchClipSpec = {
  patch: 16,
  width: 64,
  layers: 2,
  heads: 4,
  mlp: 256,
  proj: 32,
  seed: 1,
};
/** CLIP ViT-B/32's shapes (~350 MB fp32), for benchmarks. */
export const FULL_B32: TorchClipSpec = {
  patch: 32,
  width: 768,
  layers: 12,
  heads: 12,
  mlp: 3072,
  proj: 512,
  opsets: [17],
  batch: 0,
};

export interface RefArray {
  shape: number[];
  data: Float64Array;
}

export interface TorchClipFixture {
  dir: string;
  /** opset → loadable model folder (onnx/vision_model.onnx, onnx/text_model.onnx, config.json, tokenizer.json). */
  folders: Map<number, string>;
  visionModelPath(opset: number): string;
  grid: number;
  /** 1 + grid² */
  tokens: number;
  spec: Required<TorchClipSpec>;
  /** Absent when batch = 0. */
  reference?: {
    /** float32 [B,3,224,224]: exactly what torch fed. */
    pixelValues: Float32Array;
    batch: number;
    imageEmbeds: RefArray;
    /** [B, tokens, width]: residual stream entering the last block. */
    streamLast: RefArray;
    /** [B, grid², proj], L2-normalised, CLS dropped. */
    dense: Record<DenseMethodName, RefArray>;
    /**
     * image_embeds with every Linear simulated in torch as onnxruntime's quantize_dynamic graph
     * computes it (float32; per-tensor uint8 activations; uint8 or int8 per-tensor weights).
     */
    imageEmbedsQuantSim: Record<'uint8' | 'int8', RefArray>;
  };
}

const DEFAULTS: Required<TorchClipSpec> = {
  patch: 32,
  width: 64,
  layers: 2,
  heads: 4,
  mlp: 256,
  proj: 32,
  seed: 0,
  opsets: [14, 17],
  batch: 2,
  sigma: 5,
};

const cache = new Map<string, TorchClipFixture>();
let root: string | undefined;

function loadRef(path: string): RefArray {
  const npy = readNpy(new Uint8Array(readFileSync(path)), path);
  return { shape: npy.shape, data: Float64Array.from(npy.data as ArrayLike<number>) };
}

/**
 * Builds (or returns the cached) model folders + references for `spec`. `outDir` overrides the
 * temp folder (e.g. a benchmark's full-size model); then nothing is cached.
 */
export function torchClipFixture(
  oracle: PythonOracle,
  spec: TorchClipSpec = TINY_B32,
  outDir?: string,
): TorchClipFixture {
  const s: Required<TorchClipSpec> = { ...DEFAULTS, ...spec };
  const key = JSON.stringify(s);
  if (!outDir && cache.has(key)) return cache.get(key)!;
  root ??= mkdtempSync(join(tmpdir(), 'torch-clip-'));
  const dir = outDir ?? join(root, `m${cache.size}`);
  mkdirSync(dir, { recursive: true });
  const offline = buildOfflineModelFiles();
  const tokenizerJson = offline.get('tokenizer.json')!;
  const vocab = createClipTokenizer(tokenizerJson, 'tokenizer.json').vocabSize;
  const args = [
    TORCH_CLIP_SCRIPT,
    ...['--out', dir, '--patch', s.patch, '--width', s.width, '--layers', s.layers],
    ...['--heads', s.heads, '--mlp', s.mlp, '--proj', s.proj, '--seed', s.seed],
    ...['--opsets', s.opsets.join(','), '--vocab', vocab, '--sigma', s.sigma],
    ...(s.batch > 0 ? ['--reference', '--batch', s.batch, '--quant-sim', 'uint8,int8'] : []),
  ].map(String);
  const r = spawnSync(oracle.python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`clip_vision_torch.py exited with ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    folders: Record<string, string>;
    grid: number;
    tokens: number;
    reference?: Record<string, string>;
  };
  const folders = new Map<number, string>();
  for (const [opset, folder] of Object.entries(out.folders)) {
    writeFileSync(join(folder, 'tokenizer.json'), tokenizerJson);
    folders.set(Number(opset), folder);
  }
  const fixture: TorchClipFixture = {
    dir,
    folders,
    visionModelPath: (opset) => join(folders.get(opset)!, 'onnx', 'vision_model.onnx'),
    grid: out.grid,
    tokens: out.tokens,
    spec: s,
  };
  if (out.reference) {
    const ref = out.reference;
    const pixels = readNpy(new Uint8Array(readFileSync(ref.pixel_values)), ref.pixel_values);
    fixture.reference = {
      pixelValues: pixels.data as Float32Array,
      batch: pixels.shape[0],
      imageEmbeds: loadRef(ref.image_embeds),
      streamLast: loadRef(ref.stream_last),
      dense: Object.fromEntries(
        DENSE_METHODS.map((m) => [m, loadRef(ref[`dense_${m}`])]),
      ) as Record<DenseMethodName, RefArray>,
      imageEmbedsQuantSim: {
        uint8: loadRef(ref.image_embeds_qsim_uint8),
        int8: loadRef(ref.image_embeds_qsim_int8),
      },
    };
  }
  if (!outDir) cache.set(key, fixture);
  return fixture;
}
