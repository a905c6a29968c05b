/** Our scene bundle (scene.json + PLY + frames), every frame loaded. */
import { readSceneBundle } from '../../../src/pipeline/scene/bundle/bundle-reader';
import { writeSceneBundle } from '../../../src/pipeline/scene/bundle/bundle-writer';
import type { FuzzTarget } from '../types';
import { checkScene, isText, loadScene, source } from './checks';
import { bundleSeedScene } from '../../pipeline/scene/readers/fuzz-seeds';

export const targets: FuzzTarget[] = [
  {
    name: 'scene-bundle',
    hasLocations: true,
    seeds: async () => [await writeSceneBundle(bundleSeedScene())],
    // The manifest is where the structure is: mutated half the time.
    mutable: (paths) => [
      ...paths,
      ...paths.filter((p) => p.endsWith('.json')).flatMap((p) => Array(paths.length).fill(p)),
    ],
    textual: isText,
    read: async (files, sourceName) => loadScene(await readSceneBundle(source(files, sourceName))),
    validate: checkScene,
  },
];
