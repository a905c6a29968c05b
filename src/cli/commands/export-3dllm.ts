import type { CliCommand } from '../command';
import { CliUsageError, flagNumber, flagString } from '../args';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { readFeatureBundle, write3dLlmExport } from '../../pipeline/features/bundle';
import { writeFiles } from '../../hosts/node/write-files';
import { write3dLlmLoaderLayout } from '../../pipeline/features/export-3dllm-loader';

export const export3dLlmCommand: CliCommand = {
  name: 'export-3dllm',
  usage:
    'export-3dllm <bundle-dir> --out DIR [--force] [--pe-weight w] [--max-voxels m] [--seed s] [--scene-id ID]',
  summary:
    "write 3D-LLM scene tokens from a feature bundle: the loader's layout (voxelized_features_sam_nonzero_preprocess/<scene>.pt, voxelized_voxels_sam_nonzero_preprocess/<scene>.npy) plus voxels.npy, voxel_features.npy and voxel_features_pe.npy",
  async run(args, io) {
    const dir = args.positionals[0];
    if (!dir) throw new CliUsageError('export-3dllm needs a feature bundle directory');
    const out = flagString(args, 'out');
    if (!out) throw new CliUsageError('export-3dllm needs --out DIR');
    const exportOptions = {
      peWeight: flagNumber(args, 'pe-weight'),
      maxVoxels: flagNumber(args, 'max-voxels'),
      seed: flagNumber(args, 'seed'),
    };
    const t0 = performance.now();
    const bundle = await readFeatureBundle(await NodeFileSource.open(dir));
    const files = write3dLlmExport(bundle, exportOptions);
    const layout = write3dLlmLoaderLayout(bundle, {
      sceneId: flagString(args, 'scene-id'),
      maxVoxels: exportOptions.maxVoxels,
      seed: exportOptions.seed,
    });
    for (const [p, b] of layout.files) files.set(p, b);
    for (const w of layout.warnings) io.warn(w);
    const written = await writeFiles(out, files, {
      force: args.flags.force === true,
      inputs: [dir],
    });
    const meta = JSON.parse(new TextDecoder().decode(files.get('meta.json'))) as Record<
      string,
      unknown
    >;
    return {
      ...meta,
      loaderLayout: layout.meta,
      out,
      files: written,
      seconds: Math.round(performance.now() - t0) / 1000,
    };
  },
};
