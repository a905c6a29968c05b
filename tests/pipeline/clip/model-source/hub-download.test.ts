import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, ModelError } from '../../../../src/pipeline/errors';
import type { Progress } from '../../../../src/pipeline/progress';
import {
  hubModelSource,
  offlineHttpModelSource,
} from '../../../../src/pipeline/clip/model-source/http-model-source';
import { loadClipModel } from '../../../../src/pipeline/clip/model-source/load-clip-model';
import {
  MemoryModelCache,
  type ModelFileCache,
} from '../../../../src/pipeline/clip/model-source/model-file-cache';
import { NodeDirectoryModelCache } from '../../../../src/hosts/node/directory-model-cache';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { startModelServer, type ModelServer } from './model-server';

// The real download code (fetch + streamed reader + cache) against a local HTTP server that
// serves a generated model folder in the hub's URL layout, well-behaved and not.
const REPO = 'test-org/offline-colors';
const files = buildOfflineModelFiles();
let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer(REPO, files);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.mode = { kind: 'ok' };
  server.requests.length = 0;
});

const source = (cache: ModelFileCache = new MemoryModelCache()) =>
  hubModelSource({
    repo: REPO,
    baseUrl: server.baseUrl,
    variant: 'fp32',
    cache,
    progressIntervalMs: 0,
  });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('hub model source over HTTP', () => {
  it('downloads every file with byte progress, caches them, and loads offline next time', async () => {
    const cache = new MemoryModelCache();
    const events: Progress[] = [];
    const model = await loadClipModel(source(cache), {
      numThreads: 1,
      onProgress: (p) => events.push(p),
    });
    expect(model.config.modelId).toBe(`${REPO}#fp32`);
    expect(model.encoder.dim).toBe(64);
    const colours = await model.encoder.embedTexts(['red', 'blue']);
    expect(colours.length).toBe(128);
    await model.encoder.dispose();
    const fileNames = [
      'config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'onnx/vision_model.onnx',
      'onnx/text_model.onnx',
    ];
    for (const file of fileNames) {
      const last = events.filter((e) => e.stage === 'download' && e.message === file).at(-1)!;
      expect(last.done, file).toBe(files.get(file)!.byteLength);
      expect(last.total, file).toBe(files.get(file)!.byteLength);
    }
    expect((await cache.list()).map((e) => e.url)).toEqual(
      fileNames.map((f) => `${server.baseUrl}/${REPO}/resolve/main/${f}`).sort(),
    );

    // The hub is gone; the cache is enough.
    server.mode = { kind: 'status', status: 503 };
    server.requests.length = 0;
    const again = await loadClipModel(source(cache), { numThreads: 1 });
    expect(again.encoder.dim).toBe(64);
    await again.encoder.dispose();
    expect(server.requests).toEqual([]);

    expect(await cache.clear(`${server.baseUrl}/${REPO}/`)).toBe(5);
    expect(await cache.list()).toEqual([]);
  });

  it('reports progress in order from a slow server', async () => {
    server.mode = { kind: 'slow', chunk: 4096, delayMs: 10 };
    const events: Progress[] = [];
    const model = await loadClipModel(source(), {
      numThreads: 1,
      onProgress: (p) => events.push(p),
    });
    await model.encoder.dispose();
    const text = events.filter((e) => e.message === 'onnx/text_model.onnx');
    const size = files.get('onnx/text_model.onnx')!.byteLength;
    expect(text.length).toBeGreaterThanOrEqual(3);
    expect(text[0].done).toBe(0);
    for (let i = 1; i < text.length; i++)
      expect(text[i].done).toBeGreaterThanOrEqual(text[i - 1].done);
    expect(text.at(-1)!.done).toBe(size);
    expect(text.every((e) => e.total === size && e.unit === 'bytes')).toBe(true);
    // Files arrive one after the other, in the loader's order.
    const order = [...new Set(events.filter((e) => e.stage === 'download').map((e) => e.message))];
    expect(order).toEqual([
      'config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'onnx/vision_model.onnx',
      'onnx/text_model.onnx',
    ]);
  });

  it('cancels mid-download through the AbortSignal', async () => {
    server.mode = { kind: 'slow', chunk: 1024, delayMs: 20 };
    const controller = new AbortController();
    const cache = new MemoryModelCache();
    const err = await failure(
      loadClipModel(source(cache), {
        numThreads: 1,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.message === 'onnx/text_model.onnx' && p.done > 0) controller.abort();
        },
      }),
    );
    expect(err).toBeInstanceOf(CancelledError);
    // The partial file was not cached.
    expect((await cache.list()).some((e) => e.url.endsWith('text_model.onnx'))).toBe(false);
  });

  it('404: a clear error naming the URL', async () => {
    const err = await failure(
      loadClipModel(
        hubModelSource({ repo: 'test-org/absent', baseUrl: server.baseUrl, cache: null }),
        { numThreads: 1 },
      ),
    );
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toBe(
      `${server.baseUrl}/test-org/absent/resolve/main/config.json: HTTP 404 (not found)`,
    );
  });

  it('500: a clear error naming the URL', async () => {
    server.mode = { kind: 'status', status: 500, file: 'tokenizer.json' };
    const err = await failure(loadClipModel(source(), { numThreads: 1 }));
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/\/tokenizer\.json: HTTP 500/);
  });

  it('connection dropped mid-body: truncated, reported, not cached', async () => {
    server.mode = { kind: 'drop', fraction: 0.5, file: 'onnx/vision_model.onnx' };
    const cache = new MemoryModelCache();
    const err = await failure(loadClipModel(source(cache), { numThreads: 1 }));
    expect(err).toBeInstanceOf(ModelError);
    const size = files.get('onnx/vision_model.onnx')!.byteLength;
    expect(err.message).toMatch(
      new RegExp(
        `vision_model\\.onnx: (connection lost after \\d+ of ${size} bytes|truncated download: \\d+ of ${size} bytes)`,
      ),
    );
    expect((await cache.list()).some((e) => e.url.endsWith('vision_model.onnx'))).toBe(false);
  });

  it('an unreachable server: a clear error', async () => {
    const dead = hubModelSource({ repo: REPO, baseUrl: 'http://127.0.0.1:9', cache: null });
    const err = await failure(loadClipModel(dead, { numThreads: 1 }));
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/^http:\/\/127\.0\.0\.1:9\/.*config\.json: download failed/);
  });

  it('a directory cache (Node/CLI) keeps the files across sources', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'model-cache-'));
    try {
      const cache = new NodeDirectoryModelCache(dir);
      const first = await loadClipModel(source(cache), { numThreads: 1 });
      await first.encoder.dispose();
      const listed = await new NodeDirectoryModelCache(dir).list();
      expect(listed.map((e) => e.bytes).sort()).toEqual(
        [...files.entries()]
          .filter(([f]) => !f.endsWith('.md') && f !== 'tokenizer_config.json')
          .map(([, b]) => b.byteLength)
          .sort(),
      );
      server.mode = { kind: 'status', status: 500 };
      const second = await loadClipModel(source(new NodeDirectoryModelCache(dir)), {
        numThreads: 1,
      });
      await second.encoder.dispose();
      expect(await cache.clear()).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hub defaults and variants', () => {
  it('asks for the quantized export by default and names the model by repo#variant', async () => {
    const quantized = new Map(
      [...files].map(([name, bytes]) => [
        name.replace(/(vision|text)_model\.onnx$/, '$1_model_quantized.onnx'),
        bytes,
      ]),
    );
    const hub = await startModelServer('Xenova/clip-vit-base-patch32', quantized);
    try {
      const model = await loadClipModel(hubModelSource({ baseUrl: hub.baseUrl, cache: null }), {
        numThreads: 1,
      });
      expect(model.config.modelId).toBe('Xenova/clip-vit-base-patch32#quantized');
      expect(model.config.variant).toBe('quantized');
      await model.encoder.dispose();
      expect(hub.requests).toContain(
        '/Xenova/clip-vit-base-patch32/resolve/main/onnx/vision_model_quantized.onnx',
      );
      expect(hub.requests).toContain(
        '/Xenova/clip-vit-base-patch32/resolve/main/onnx/text_model_quantized.onnx',
      );
    } finally {
      await hub.close();
    }
  });

  it('loads the offline model from a static folder URL (as the browser does from our origin)', async () => {
    const source = offlineHttpModelSource({ baseUrl: `${server.baseUrl}/${REPO}/resolve/main/` });
    const model = await loadClipModel(source, { numThreads: 1 });
    expect(model.config.modelId).toBe('offline-colors');
    expect(model.encoder.dim).toBe(64);
    await model.encoder.dispose();
  });

  it('refuses a repository name that is not owner/name', () => {
    expect(() => hubModelSource({ repo: '../../etc', cache: null })).toThrow(ModelError);
  });
});
