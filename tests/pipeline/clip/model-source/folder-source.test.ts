import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { FolderModelSource } from '../../../../src/pipeline/clip/model-source/folder-model-source';
import { loadClipModel } from '../../../../src/pipeline/clip/model-source/load-clip-model';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import { nodeModelSource } from '../../../../src/hosts/node/model-spec';
import { OFFLINE_MODEL_ID } from '../../../../src/pipeline/clip/offline/offline-spec';

const files = buildOfflineModelFiles();
const renamed = (suffix: string) =>
  new Map(
    [...files].map(([name, bytes]) => [
      name.replace(/_model\.onnx$/, `_model${suffix}.onnx`),
      bytes,
    ]),
  );

describe('local model folders', () => {
  it('picks the variant the folder has (quantized, then fp32, then fp16)', async () => {
    expect(
      await new FolderModelSource(new MemoryFileSource(renamed('_fp16'))).resolveVariant(),
    ).toBe('fp16');
    expect(await new FolderModelSource(new MemoryFileSource(files)).resolveVariant()).toBe('fp32');
    const both = new Map([...files, ...renamed('_quantized')]);
    expect(await new FolderModelSource(new MemoryFileSource(both)).resolveVariant()).toBe(
      'quantized',
    );
    expect(
      await new FolderModelSource(new MemoryFileSource(both), { variant: 'fp32' }).resolveVariant(),
    ).toBe('fp32');
  });

  it('loads an fp16-named folder and ids it by folder and variant', async () => {
    const model = await loadClipModel(
      new FolderModelSource(new MemoryFileSource(renamed('_fp16'), 'my-clip')),
      { numThreads: 1 },
    );
    expect(model.config.modelId).toBe('folder:my-clip#fp16');
    await model.encoder.dispose();
  });

  it('the CLI spec "offline" keeps the offline model id', async () => {
    const source = await nodeModelSource('offline');
    expect(source.modelId(await source.resolveVariant())).toBe(OFFLINE_MODEL_ID);
  });
});
