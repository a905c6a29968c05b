/**
 * Run-time model failures are typed and name the model file and the stage: a graph whose
 * embeddings are NaN is a ModelError (never "norm NaN" with exit 0), and a failing
 * session.run is an OrtRuntimeError, not onnxruntime's bare "OrtRun" text (issue 15, 5 and 8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFiles } from '../../../../src/hosts/node/write-files';
import { createOrtSession, ortModule } from '../../../../src/pipeline/clip/encoder/ort-runtime';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { FolderModelSource } from '../../../../src/pipeline/clip/model-source/folder-model-source';
import { loadClipModel } from '../../../../src/pipeline/clip/model-source/load-clip-model';
import { ModelError, OrtRuntimeError } from '../../../../src/pipeline/errors';
import { smallModel } from '../onnx/small-onnx-model';
import { tinyTextModel } from './broken-models';
import { cli } from '../../../cli/run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'model-output-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The offline model folder with a text graph whose every output value is NaN. */
function nanTextModelFiles() {
  const files = new Map(buildOfflineModelFiles());
  files.set('onnx/text_model.onnx', tinyTextModel({ nan: true }));
  return files;
}

describe('a model producing NaN embeddings', () => {
  it('embedTexts throws a ModelError naming the text model and the stage', async () => {
    const source = new FolderModelSource(new MemoryFileSource(nanTextModelFiles(), 'nan-model'));
    const model = await loadClipModel(source, { numThreads: 1 });
    try {
      const err = await model.encoder.embedTexts(['a red chair']).catch((e) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect(err.message).toMatch(
        /^nan-model\/onnx\/text_model\.onnx: 'text_embeds' holds NaN at row 0, value 0 \(text encoding\)/,
      );
    } finally {
      await model.encoder.dispose();
    }
  });

  it('embed-text exits 1 with the ModelError, printing no norm', async () => {
    const dir = path.join(tmp, 'nan-model');
    await writeFiles(dir, nanTextModelFiles());
    const r = await cli('embed-text', '--model', dir, 'red');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/norm/);
    expect(r.stderr.split('\n').at(-1)).toMatch(
      /^error: ModelError: .*nan-model\/onnx\/text_model\.onnx: 'text_embeds' holds NaN/,
    );
  });
});

describe('a failing session.run', () => {
  it('is an OrtRuntimeError naming the file and the stage', async () => {
    const session = await createOrtSession(smallModel(), 'models/small.onnx');
    try {
      // x must be [batch, 4]: a [1, 5] input fails inside onnxruntime.
      const x = new (ortModule().Tensor)('float32', new Float32Array(5), [1, 5]);
      const err = await session.run({ x }).catch((e) => e);
      expect(err).toBeInstanceOf(OrtRuntimeError);
      expect(err.file).toBe('models/small.onnx');
      expect(err.stage).toBe('run');
      expect(err.message).toMatch(
        /^models\/small\.onnx: inference failed on the (wasm|native) onnxruntime: /,
      );
      // The same session still runs a correct input.
      const ok = await session.run({
        x: new (ortModule().Tensor)('float32', new Float32Array(4), [1, 4]),
      });
      expect(ok.y.dims).toEqual([1, 3]);
    } finally {
      await session.release();
    }
  });
});
