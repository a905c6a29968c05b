import type { CliCommand } from '../command';
import { CliUsageError, flagNumber, flagString } from '../args';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { readFeatureBundle, write3dLlmExport } from '../../pipeline/features/bundle';
import { writeFiles } from '../../hosts/node/write-files';

export const export3dLlmCommand: CliCommand = {
  name: 'export-3dllm',
  usage: 'export-3dllm <bundle-dir> --out DIR [--pe-weight w] [--max-voxels m] [--seed s]',
  summary:
    'write 3D-LLM scene tokens (voxels, mean features, features + sin/cos position embedding) from a feature bundle',
  async run(args) {
    const dir = args.positionals[0];
    if (!dir) throw new CliUsageError('export-3dllm needs a feature bundle directory');
    const out = flagString(args, 'out');
    if (!out) throw new CliUsageError('export-3dllm needs --out DIR');
    const maxVoxels = flagNumber(args, 'max-voxels');
    if (maxVoxels !== undefined && !(Number.isInteger(maxVoxels) && maxVoxels >= 1)) {
      throw new CliUsageError('--max-voxels must be a positive integer');
    }
    const t0 = performance.now();
    const bundle = await readFeatureBundle(await NodeFileSource.open(dir));
    const files = write3dLlmExport(bundle, {
      peWeight: flagNumber(args, 'pe-weight'),
      maxVoxels,
      seed: flagNumber(args, 'seed'),
    });
    const written = await writeFiles(out, files);
    const meta = JSON.parse(new TextDecoder().decode(files.get('meta.json'))) as Record<
      string,
      unknown
    >;
    return { ...meta, out, files: written, seconds: Math.round(performance.now() - t0) / 1000 };
  },
};
