/** Our scene bundle (scene.json + PLY + frames), every frame loaded. */
import { readSceneBundle } from '../../../src/pipeline/scene/bundle/bundle-reader';
import { writeSceneBundle } from '../../../src/pipeline/scene/bundle/bundle-writer';
import type { Scene } from '../../../src/pipeline/scene/types';
import type { FuzzTarget } from '../types';
import { checkScene, isText, loadScene, source } from './checks';
import { smallCloud } from './ply';

function bundleScene(): Scene {
  return {
    name: 'fuzz',
    format: 'generated',
    cloud: smallCloud(),
    objects: [
      {
        id: 1,
        label: 'box',
        aabb: { min: [0, 0, 0], max: [1, 1, 1] },
        pointIds: Uint32Array.from([1, 2]),
      },
    ],
    warnings: [],
    frames: [0, 1].map((k) => ({
      index: k,
      name: `f${k}`,
      intrinsics: { fx: 5, fy: 5, cx: 2, cy: 1.5, width: 4, height: 3 },
      depthIntrinsics: { fx: 5, fy: 5, cx: 2, cy: 1.5, width: 4, height: 3 },
      cameraToWorld: Float64Array.from([1, 0, 0, k, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
      loadColor: async () => ({ width: 4, height: 3, data: new Uint8Array(36).fill(k * 10) }),
      loadDepth: async () => ({
        width: 4,
        height: 3,
        data: new Uint16Array(12).fill(1000),
        depthScale: 1000,
        invalidValues: [0],
      }),
      loadInstances: async () => new Int32Array(12).fill(k),
    })),
  };
}

export const targets: FuzzTarget[] = [
  {
    name: 'scene-bundle',
    hasLocations: true,
    seeds: async () => [await writeSceneBundle(bundleScene())],
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
