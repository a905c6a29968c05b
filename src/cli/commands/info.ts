import type { CliCommand } from '../command';
import { CliUsageError, flagNumber } from '../args';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { openScene } from '../../pipeline/scene/open-scene';
import { sceneInfo } from '../../pipeline/scene/scene-info';
import { modelRuntime } from '../model-runtime';

export const infoCommand: CliCommand = {
  name: 'info',
  usage: 'info <path> [--stride k] [--voxel m] [--no-reconstruct]',
  summary:
    'detect a scene format and print its frames, intrinsics, points, bounds and objects ' +
    '(RGB-D-only scenes: points reconstructed from every k-th frame)',
  async run(args, io) {
    const path = args.positionals[0];
    if (!path) throw new CliUsageError('info needs a path to a scene folder or file');
    // Arguments are checked before any file is read.
    const frameStride = flagNumber(args, 'stride');
    const voxelSize = flagNumber(args, 'voxel');
    const source = await NodeFileSource.open(path);
    const scene = await openScene(source, { onWarning: io.warn });
    const info = await sceneInfo(scene, {
      reconstruct: args.flags['no-reconstruct'] !== true,
      frameStride,
      voxelSize,
      onProgress: (p) => io.progress(`${p.stage} ${p.done}/${p.total} ${p.unit ?? ''}`),
    });
    // The onnxruntime model commands would run on here (native or wasm, and why not native).
    const { runtime, diagnostic } = modelRuntime(io);
    return { ...info, onnxRuntime: diagnostic ? { runtime, diagnostic } : { runtime } };
  },
};
