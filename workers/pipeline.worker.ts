/**
 * The pipeline worker: a comlink adapter over the one PipelineSession (src/pipeline/session).
 * It installs the browser's capabilities, supplies the browser's host services (built-in scenes
 * over HTTP, the IndexedDB feature cache, dropped files, model specs), zips downloads and
 * transfers big arrays. No pipeline logic lives here.
 */
import * as Comlink from 'comlink';
import { zipSync } from 'fflate';
import { BlobFileSource } from '../src/hosts/browser/blob-file-source';
import { browserBuiltInScenes } from '../src/hosts/browser/built-in-scenes';
import { IndexedDbFeatureCache } from '../src/hosts/browser/indexeddb-feature-cache';
import { modelSourceFor } from '../src/hosts/browser/model-spec';
import { installBrowserPlatform } from '../src/hosts/browser/platform';
import { UnsupportedError } from '../src/pipeline/errors';
import { PipelineSession } from '../src/pipeline/session/pipeline-session';
import type { Embeddings, ExportFiles } from '../src/pipeline/session/types';
import { typedError } from '../src/pipeline/session/error-reply';
import { installErrorTransfer } from './error-transfer';
import lazPerfWasmUrl from 'laz-perf/lib/worker/laz-perf.wasm?url';
import type { ExportFile, PipelineApi } from './pipeline-api';

installBrowserPlatform({ lazPerfWasmUrl });
installErrorTransfer();
const session = new PipelineSession({
  builtInScenes: browserBuiltInScenes(self.location.origin),
  featureCache: new IndexedDbFeatureCache(),
});

const buffers = (...arrays: (ArrayBufferView | undefined)[]) =>
  arrays.filter((a): a is ArrayBufferView => a !== undefined).map((a) => a.buffer as ArrayBuffer);

function zipped({ name, files }: ExportFiles): ExportFile {
  const entries: Record<string, Uint8Array> = {};
  for (const [path, bytes] of files) entries[`${name}/${path}`] = bytes;
  // .npy compresses poorly and is big: store, don't deflate (fast, and the page stays light).
  const bytes = zipSync(entries, { level: 0 });
  return Comlink.transfer({ name: `${name}.zip`, mime: 'application/zip', bytes }, [bytes.buffer]);
}

const sent = (e: Embeddings) => Comlink.transfer(e, buffers(e.data));

const api: PipelineApi = {
  async ping() {
    return {
      reply: 'pong',
      crossOriginIsolated: self.crossOriginIsolated === true,
      hardwareConcurrency: self.navigator.hardwareConcurrency ?? 1,
    };
  },
  getDefaults: async () => session.getDefaults(),
  listScenes: async () => session.listScenes(),
  openBuiltInScene: (id, onProgress, reconstruction) =>
    session.openBuiltInScene(id, onProgress, reconstruction),
  async openFiles(files, onProgress, reconstruction) {
    if (!files?.length) throw new UnsupportedError('No files were given');
    const source = BlobFileSource.fromDropped(files);
    return session.openSource(source, onProgress, reconstruction).catch((err: unknown) => {
      throw typedError(err, 'opening the scene', source.name);
    });
  },
  reconstructScene: (reconstruction, onProgress) =>
    session.reconstructScene(reconstruction, onProgress),
  async getViewCloud(budget) {
    const cloud = session.viewCloud(budget);
    return Comlink.transfer(cloud, buffers(cloud.positions, cloud.colors, cloud.instanceIds));
  },
  async getViewNormals() {
    const normals = session.viewNormals();
    return Comlink.transfer(normals, buffers(normals));
  },
  async getViewCounts() {
    const counts = session.viewCounts();
    return counts && Comlink.transfer(counts, buffers(counts.values));
  },
  async getFrameImage(index) {
    const image = await session.frameImage(index);
    return Comlink.transfer(image, buffers(image.rgb, image.heat));
  },
  parseTokens: async (text) => session.parseTokens(text),
  encodeTokens: async (min, max) => session.encodeTokens(min, max),
  loadModel: async (spec, onProgress) =>
    session.loadModel(modelSourceFor(spec), spec.kind, onProgress),
  modelCacheInfo: () => session.modelCacheInfo(),
  clearModelCache: () => session.clearModelCache(),
  clearFeatureCache: (scope) => session.clearFeatureCache(scope === 'all' ? 'all' : 'scene'),
  getImportedExtraction: async () => session.importedExtraction(),
  extract: (input, onProgress) => session.extract(input, onProgress),
  async query(input) {
    const reply = await session.query(input);
    return Comlink.transfer(reply, buffers(reply.scores.values));
  },
  async groundScores(input) {
    const reply = await session.groundScores(input);
    return Comlink.transfer(reply, buffers(reply.scores.values));
  },
  objects: (onProgress) => session.objects(onProgress),
  async getSegmentIds(level) {
    const ids = session.segmentIds(level);
    return Comlink.transfer(ids, buffers(ids));
  },
  exportBundle: async () => zipped(session.exportBundle()),
  export3dLlm: async (peWeight) => zipped(session.export3dLlm(peWeight)),
  embedTexts: async (texts) => sent(await session.embedTexts(texts)),
  embedImages: async (images) => sent(await session.embedImages(images)),
  async setCancelFlag(flag) {
    session.setCancelProbe(
      () => Atomics.load(flag, 0) === 1,
      () => Atomics.store(flag, 0, 0),
    );
  },
  cancel: async () => session.cancel(),
};

/** Every call's failure leaves typed, naming the call and the open scene (error-transfer.ts). */
function guarded(target: PipelineApi): PipelineApi {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(target) as [string, (...a: unknown[]) => unknown][]) {
    out[name] = async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw typedError(err, name, session.scene?.name);
      }
    };
  }
  return out as unknown as PipelineApi;
}

Comlink.expose(guarded(api));
