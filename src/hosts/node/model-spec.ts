// Node-only (CLI, tests, benches): turns a `--model` value into a ModelSource.
//   offline (default)        the bundled encoder: public/models/offline-colors/ if generated,
//                            else the same files built in memory
//   hub | hub:OWNER/NAME     the Hugging Face hub (default Xenova/clip-vit-base-patch32),
//                            cached in a directory (default ~/.cache/scene3d-llm/models)
//   DIR                      a local model folder in the transformers.js layout
//   vision:FILE.onnx | vision:DIR   a vision-only image model (pixel_values in, one embedding
//                            out, any width): extract/export only, no text queries
import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelError } from '../../pipeline/errors';
import { NodeFileSource } from './node-file-source';
import { OFFLINE_MODEL_ID, OFFLINE_MODEL_PATH } from '../../pipeline/clip/offline/offline-spec';
import { FolderModelSource } from '../../pipeline/clip/model-source/folder-model-source';
import { hubModelSource } from '../../pipeline/clip/model-source/http-model-source';
import {
  loadClipModel,
  type LoadClipModelOptions,
  type LoadedClipModel,
} from '../../pipeline/clip/model-source/load-clip-model';
import {
  parseModelVariant,
  type ModelSource,
  type ModelVariant,
} from '../../pipeline/clip/model-source/model-source';
import { NodeDirectoryModelCache } from './directory-model-cache';
import { DEFAULT_NODE_MODEL_CACHE_DIR } from './platform';
import { inMemoryOfflineModelSource } from '../../pipeline/clip/model-source/offline-model-source';
import { promises as nodeFs } from 'node:fs';
import { MissingFileError } from '../../pipeline/errors';
import {
  VisionOnlyEncoder,
  textQueryUnavailable,
} from '../../pipeline/clip/encoder/vision-only-encoder';
import type { OrtRuntimeOptions } from '../../pipeline/clip/encoder/ort-runtime';

/** `--model vision:PATH`: a vision-only encoder (see VisionOnlyEncoder). */
export const VISION_ONLY_PREFIX = 'vision:';

export interface NodeModelSpecOptions {
  /** 'quantized' | 'fp32' | 'fp16'; default: the hub's quantized, a folder's first available. */
  variant?: string;
  /** Directory cache for hub downloads. */
  cacheDir?: string;
  /** Hub base URL (a mirror, or a local server in tests). */
  hubBaseUrl?: string;
}

const repoRoot = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The generated offline model folder (public/models/offline-colors). */
export function offlineModelFolder(): string {
  return nodePath.join(repoRoot, 'public', ...OFFLINE_MODEL_PATH.split('/'));
}

function variantOf(text: string | undefined): ModelVariant | undefined {
  if (text === undefined) return undefined;
  const variant = parseModelVariant(text);
  if (!variant)
    throw new ModelError(`unknown model variant '${text}' (expected quantized, fp32 or fp16)`);
  return variant;
}

export async function nodeModelSource(
  spec = 'offline',
  options: NodeModelSpecOptions = {},
): Promise<ModelSource> {
  const variant = variantOf(options.variant);
  if (spec.startsWith(VISION_ONLY_PREFIX)) throw new ModelError(textQueryUnavailable(spec));
  if (spec === 'offline') {
    const folder = offlineModelFolder();
    if (existsSync(nodePath.join(folder, 'onnx', 'vision_model.onnx'))) {
      return new FolderModelSource(await NodeFileSource.open(folder), {
        id: OFFLINE_MODEL_ID,
        variant: 'fp32',
      });
    }
    return inMemoryOfflineModelSource();
  }
  if (spec === 'hub' || spec.startsWith('hub:')) {
    const repo = spec === 'hub' ? undefined : spec.slice(4);
    return hubModelSource({
      repo,
      variant,
      baseUrl: options.hubBaseUrl,
      cache: new NodeDirectoryModelCache(options.cacheDir ?? DEFAULT_NODE_MODEL_CACHE_DIR),
    });
  }
  return new FolderModelSource(await NodeFileSource.open(spec), { variant });
}

/** `nodeModelSource` + `loadClipModel`, for CLI commands. */
export async function loadNodeClipModel(
  spec: string | undefined,
  options: NodeModelSpecOptions & LoadClipModelOptions = {},
): Promise<LoadedClipModel> {
  return loadClipModel(await nodeModelSource(spec, options), options);
}

/** The ONNX file of `vision:FILE.onnx`, or of `vision:DIR` (DIR/onnx/vision_model*.onnx). */
async function visionOnlyFile(path: string): Promise<string> {
  const stat = await nodeFs.stat(path).catch(() => undefined);
  if (!stat) throw new MissingFileError(path, 'vision-only model not found');
  if (stat.isFile()) return path;
  const dir = nodePath.join(path, 'onnx');
  const names = await nodeFs.readdir(dir).catch(() => [] as string[]);
  const pick = names.filter((n) => /^vision_model.*\.onnx$/.test(n)).sort()[0];
  if (!pick) throw new MissingFileError(dir, 'no onnx/vision_model*.onnx for a vision-only model');
  return nodePath.join(dir, pick);
}

/** `--model vision:PATH` for extraction: a vision-only encoder (no tokenizer, no text graph). */
export async function loadNodeVisionOnlyModel(
  spec: string,
  options: OrtRuntimeOptions & { executionProviders?: string[] } = {},
): Promise<{ encoder: VisionOnlyEncoder }> {
  const file = await visionOnlyFile(spec.slice(VISION_ONLY_PREFIX.length));
  const bytes = new Uint8Array(await nodeFs.readFile(file));
  const modelId = `vision-only:${nodePath.basename(file)}`;
  return {
    encoder: await VisionOnlyEncoder.create({ ...options, modelId, vision: { bytes, file } }),
  };
}
