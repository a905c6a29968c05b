import type { CliCommand } from '../command';
import { CliUsageError } from '../args';
import { NodeFileSource } from '../../pipeline/io/node-file-source';
import { openScene } from '../../pipeline/scene/open-scene';
import { sceneInfo } from '../../pipeline/scene/scene-info';

export const infoCommand: CliCommand = {
  name: 'info',
  usage: 'info <path>',
  summary: 'detect a scene format and print its frames, intrinsics, points, bounds and objects',
  async run(args, io) {
    const path = args.positionals[0];
    if (!path) throw new CliUsageError('info needs a path to a scene folder or file');
    const source = await NodeFileSource.open(path);
    const scene = await openScene(source, { onWarning: io.warn });
    return sceneInfo(scene);
  },
};
