/** ScanNet scene folder: mesh + labels PLY, segs JSON, aggregation JSON, scene .txt. */
import { writePly } from '../../../src/pipeline/scene/readers/ply-writer';
import { scannetReader } from '../../../src/pipeline/scene/readers/scannet';
import type { FileMap, FuzzTarget } from '../types';
import { checkScene, isText, loadScene, source, utf8 } from './checks';
import { smallCloud } from '../../pipeline/scene/readers/fuzz-seeds';

function scannetFolder(): FileMap {
  const cloud = smallCloud();
  const n = cloud.positions.length / 3;
  const aggregation = {
    sceneId: 'scannet.s',
    appId: 'Aggregator.v2',
    segGroups: [
      { id: 0, objectId: 0, label: 'chair', segments: [0, 1] },
      { id: 1, objectId: 1, label: 'table', segments: [3] },
      { id: 2, objectId: 2, label: 'lamp', segments: [4] },
    ],
    segmentsFile: 'scannet.s_vh_clean_2.0.010000.segs.json',
  };
  return new Map([
    ['s_vh_clean_2.ply', writePly(cloud)],
    ['s_vh_clean_2.labels.ply', writePly(cloud)],
    [
      's_vh_clean_2.0.010000.segs.json',
      utf8(
        JSON.stringify({ sceneId: 's', segIndices: Array.from({ length: n }, (_, i) => i % 5) }),
      ),
    ],
    ['s.aggregation.json', utf8(JSON.stringify(aggregation, null, 1))],
    ['s.txt', utf8('axisAlignment = 1 0 0 1 0 1 0 2 0 0 1 3 0 0 0 1\nsceneType = Office\n')],
  ]);
}

const scannet = (name: string, only?: string): FuzzTarget => ({
  name,
  hasLocations: true,
  seeds: () => [scannetFolder()],
  mutable: (paths) => (only ? paths.filter((p) => p.endsWith(only)) : paths),
  textual: isText,
  read: async (files, sourceName) => {
    const src = source(files, sourceName);
    return loadScene(await scannetReader.read(src, await src.list(), {}));
  },
  validate: checkScene,
});

export const targets: FuzzTarget[] = [
  scannet('scannet-aggregation', '.aggregation.json'),
  scannet('scannet-segs', '.segs.json'),
  scannet('scannet-folder'),
];
