/** A scan folder read through openScene, with its pose / camera / list files as the mutation targets. */
import { openScene } from '../../../src/pipeline/scene/open-scene';
import type { FuzzTarget } from '../types';
import { checkScene, isText, loadScene, source } from './checks';

export function folderTarget(
  name: string,
  build: () => Record<string, Uint8Array>,
  mutated: RegExp,
  /** 'only': mutate just the matching files; 'mostly': any file, the matching ones 4× as often. */
  spread: 'only' | 'mostly' = 'only',
): FuzzTarget {
  return {
    name,
    hasLocations: true,
    seeds: () => [new Map(Object.entries(build()))],
    mutable:
      spread === 'only'
        ? (paths) => paths.filter((p) => mutated.test(p))
        : (paths) => [...paths, ...paths.filter((p) => mutated.test(p)).flatMap((p) => [p, p, p])],
    textual: spread === 'only' ? isText : (path) => isText(path) || mutated.test(path),
    read: async (files, sourceName) => loadScene(await openScene(source(files, sourceName))),
    validate: checkScene,
  };
}
