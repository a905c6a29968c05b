import { describe, expect, it } from 'vitest';
import { ModelError, MissingFileError } from '../../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { FolderModelSource } from '../../../../src/pipeline/clip/model-source/folder-model-source';
import { loadClipModel } from '../../../../src/pipeline/clip/model-source/load-clip-model';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { tinyTextModel, tinyVisionModel } from './broken-models';

// Each case starts from the good offline folder and breaks one thing; loading must fail with a
// ModelError (or MissingFileError) whose message names the file and says what was expected.
const good = buildOfflineModelFiles();
const utf8 = (s: string) => new TextEncoder().encode(s);

async function loadWith(changes: Record<string, Uint8Array | null>): Promise<Error> {
  const files = new Map(good);
  for (const [name, bytes] of Object.entries(changes)) {
    if (bytes === null) files.delete(name);
    else files.set(name, bytes);
  }
  const source = new FolderModelSource(new MemoryFileSource(files, 'broken-model'));
  try {
    const model = await loadClipModel(source, { numThreads: 1 });
    await model.encoder.dispose();
  } catch (err) {
    return err as Error;
  }
  throw new Error('the broken model loaded');
}

describe('loading a broken model folder', () => {
  it('loads the unbroken folder (control)', async () => {
    const model = await loadClipModel(new FolderModelSource(new MemoryFileSource(good, 'good')), {
      numThreads: 1,
    });
    expect(model.encoder.dim).toBe(64);
    expect(model.config.variant).toBe('fp32');
    await model.encoder.dispose();
  });

  it('wrong input name', async () => {
    const err = await loadWith({
      'onnx/vision_model.onnx': tinyVisionModel({ inputName: 'pixels' }),
    });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(
      /broken-model\/onnx\/vision_model\.onnx: no input 'pixel_values'.*the file has pixels/,
    );
  });

  it('wrong output name', async () => {
    const err = await loadWith({
      'onnx/text_model.onnx': tinyTextModel({ outputName: 'pooler_output' }),
    });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/text_model\.onnx: no output 'text_embeds'.*pooler_output/);
  });

  it('wrong image size', async () => {
    const err = await loadWith({ 'onnx/vision_model.onnx': tinyVisionModel({ side: 112 }) });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(
      /vision_model\.onnx: input 'pixel_values' has dim 2 = 112, expected 224/,
    );
  });

  it('wrong embedding dimension (vs config.json projection_dim)', async () => {
    const err = await loadWith({ 'onnx/text_model.onnx': tinyTextModel({ dim: 32 }) });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(
      /text_model\.onnx: output 'text_embeds' has dim 1 = 32, expected 64/,
    );
  });

  it('wrong context length', async () => {
    const err = await loadWith({ 'onnx/text_model.onnx': tinyTextModel({ seq: 64 }) });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/input 'input_ids' has dim 1 = 64, expected 77/);
  });

  it('a truncated ONNX file', async () => {
    const full = good.get('onnx/vision_model.onnx')!;
    const err = await loadWith({
      'onnx/vision_model.onnx': full.subarray(0, Math.floor(full.length / 2)),
    });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/vision_model\.onnx: not a loadable ONNX model/);
  });

  it('an HTML page saved as an ONNX file', async () => {
    const err = await loadWith({
      'onnx/text_model.onnx': utf8('<!doctype html><title>404</title>'),
    });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/text_model\.onnx: not a loadable ONNX model/);
  });

  it('a tokenizer that is not CLIP’s (WordPiece)', async () => {
    const bert = {
      version: '1.0',
      model: { type: 'WordPiece', unk_token: '[UNK]', vocab: { '[UNK]': 0, hello: 1 } },
    };
    const err = await loadWith({ 'tokenizer.json': utf8(JSON.stringify(bert)) });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/tokenizer\.json: not a CLIP tokenizer/);
  });

  it('a tokenizer bigger than the text model’s vocabulary', async () => {
    const config = JSON.parse(new TextDecoder().decode(good.get('config.json')));
    config.text_config.vocab_size = 100;
    const err = await loadWith({ 'config.json': utf8(JSON.stringify(config)) });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(
      /tokenizer\.json: 575 tokens, but config\.json says the text model has 100/,
    );
  });

  it('a preprocessor that is not CLIP’s', async () => {
    const pre = JSON.parse(new TextDecoder().decode(good.get('preprocessor_config.json')));
    pre.image_mean = [0.5, 0.5, 0.5];
    const err = await loadWith({ 'preprocessor_config.json': utf8(JSON.stringify(pre)) });
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(
      /preprocessor_config\.json: image_mean \[0\.5,0\.5,0\.5\] is not CLIP's/,
    );
  });

  it('missing files', async () => {
    const noText = await loadWith({ 'onnx/text_model.onnx': null });
    expect(noText).toBeInstanceOf(ModelError);
    expect(noText.message).toMatch(
      /broken-model: no CLIP model here.*found onnx\/vision_model\.onnx/,
    );
    const noTokenizer = await loadWith({ 'tokenizer.json': null });
    expect(noTokenizer).toBeInstanceOf(MissingFileError);
    expect(noTokenizer.message).toBe('broken-model/tokenizer.json: missing from the model folder');
  });
});
