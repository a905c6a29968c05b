import type { CliCommand } from '../command';
import { CliUsageError } from '../args';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { openScene } from '../../pipeline/scene/open-scene';
import { sceneInfo } from '../../pipeline/scene/scene-info';
import { modelRuntime } from '../model-runtime';
import { RECONSTRUCTION_USAGE, reconstructionFlags } from '../reconstruction-flags';

export const infoCommand: CliCommand = {
  name: 'info',
  usage: `info <path> ${RECONSTRUCTION_USAGE} [--stride k] [--voxel m] [--no-reconstruct]`,
  summary:
    'detect a scene format and print its frames, intrinsics, points, bounds and objects ' +
    '(RGB-D-only scenes: points reconstructed from every k-th frame; --stride and --voxel are older names of --cloud-stride and --cloud-voxel)',
  async run(args, io) {
    const path = args.positionals[0];
    if (!path) throw new CliUsageError('info needs a path to a scene folder or file');
    // Arguments are checked before any file is read.
    const reconstruction = reconstructionFlags(args, { stride: 'stride', voxel: 'voxel' });
    const source = await NodeFileSource.open(path);
    const scene = await openScene(source, { onWarning: io.warn });
    const info = await sceneInfo(scene, {
      reconstruct: args.flags['no-reconstruct'] !== true,
      ...reconstruction,
      onProgress: (p) => io.progress(`${p.stage} ${p.done}/${p.total} ${p.unit ?? ''}`),
    });
    // The onnxruntime model commands would run on here (native or wasm, and why not native).
    const { runtime, diagnostic } = modelRuntime(io);
    return { ...info, onnxRuntime: diagnostic ? { runtime, diagnostic } : { runtime } };
  },
};
