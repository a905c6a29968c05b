/** Small text/JSON inputs: grounding query files, intrinsics files (K matrix text, Open3D JSON). */
import { parseQueryFile } from '../../../src/pipeline/query/query-file';
import {
  parseIntrinsicsMatrixText,
  parseOpen3dIntrinsicsJson,
} from '../../../src/pipeline/scene/readers/intrinsics-file';
import type { Intrinsics } from '../../../src/pipeline/scene/types';
import type { FuzzTarget } from '../types';
import { nonFinite, utf8 } from './checks';

const queries = {
  queries: [
    { text: 'the red chair', targetId: 3, label: 'chair', colorName: 'red' },
    { text: 'the two orange chairs', targetId: 4, targetIds: [4, 5], label: 'chair' },
    { text: 'a lamp', targetId: 7 },
  ],
};

function checkIntrinsics(k: Intrinsics): string | undefined {
  const bad = nonFinite([k.fx, k.fy, k.cx, k.cy], 'intrinsics');
  if (bad) return bad;
  if (!(k.fx > 0 && k.fy > 0)) return `focal ${k.fx}, ${k.fy}`;
  if (!(
    Number.isSafeInteger(k.width) &&
    k.width > 0 &&
    Number.isSafeInteger(k.height) &&
    k.height > 0
  )) {
    return `size ${k.width}×${k.height}`;
  }
  return undefined;
}

export const targets: FuzzTarget[] = [
  {
    name: 'query-file',
    hasLocations: true,
    seeds: () => [
      new Map([['queries.json', utf8(JSON.stringify(queries, null, 2))]]),
      new Map([['queries.json', utf8(JSON.stringify(queries.queries))]]),
    ],
    textual: () => true,
    read: async (files, sourceName) =>
      parseQueryFile(files.get('queries.json')!, `${sourceName}/queries.json`),
    validate: (output) => {
      for (const q of output as Array<{ text: unknown; targetId: number; targetIds?: number[] }>) {
        if (typeof q.text !== 'string') return `query text ${String(q.text)}`;
        for (const id of [q.targetId, ...(q.targetIds ?? [])]) {
          if (!Number.isSafeInteger(id)) return `target id ${id}`;
        }
      }
      return undefined;
    },
  },
  {
    name: 'intrinsics-text',
    hasLocations: true,
    seeds: () => [new Map([['camera-intrinsics.txt', utf8('585 0 320\n0 585 240\n0 0 1\n')]])],
    textual: () => true,
    read: async (files, sourceName) =>
      parseIntrinsicsMatrixText(
        new TextDecoder().decode(files.get('camera-intrinsics.txt')!),
        `${sourceName}/camera-intrinsics.txt`,
        { width: 640, height: 480 },
      ),
    validate: (output) => checkIntrinsics(output as Intrinsics),
  },
  {
    name: 'intrinsics-open3d-json',
    hasLocations: true,
    seeds: () => [
      new Map([
        [
          'intrinsic.json',
          utf8(
            JSON.stringify({
              width: 640,
              height: 480,
              intrinsic_matrix: [525, 0, 0, 0, 525, 0, 319.5, 239.5, 1],
            }),
          ),
        ],
      ]),
    ],
    textual: () => true,
    read: async (files, sourceName) =>
      parseOpen3dIntrinsicsJson(
        new TextDecoder().decode(files.get('intrinsic.json')!),
        `${sourceName}/intrinsic.json`,
      ),
    validate: (output) => checkIntrinsics(output as Intrinsics),
  },
];
