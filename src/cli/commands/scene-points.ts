/**
 * `ground` and `objects` take a scene folder (any format openScene reads) or a feature bundle:
 * either way, the points in their order, their colours, the world up and the 3D-LLM
 * normalisation for location tokens.
 */
import type { CliIo } from '../command';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { UnsupportedError } from '../../pipeline/errors';
import { FEATURE_BUNDLE_FORMAT, readFeatureBundle } from '../../pipeline/features/bundle';
import { sceneNormalisation } from '../../pipeline/features/voxel-tokens';
import { readText } from '../../pipeline/io/file-source';
import type { ProposalIndex } from '../../pipeline/query/proposal-grounding';
import { sceneObjects } from '../../pipeline/query/scene-objects';
import { openScene } from '../../pipeline/scene/open-scene';
import { ensureCloud } from '../../pipeline/scene/reconstruct';
import type { GtObject, PointCloud } from '../../pipeline/scene/types';
import { inferUp, inferUpOfCloud } from '../../pipeline/session/scene-summary';
import type { ReconstructionInput } from '../../pipeline/session/types';
import type { SceneNormalisation } from '../../tokens/location-tokens';
import { progressLine } from '../progress-line';

export interface ScenePoints {
  name: string;
  kind: 'scene' | 'bundle';
  cloud: PointCloud;
  up: [number, number, number];
  normalisation: SceneNormalisation;
  /** Ground-truth objects, when the scene has them. */
  objects: GtObject[];
}

async function isFeatureBundle(source: NodeFileSource): Promise<boolean> {
  if (!(await source.exists('meta.json'))) return false;
  try {
    const meta = JSON.parse(await readText(source, 'meta.json')) as { format?: unknown };
    return meta?.format === FEATURE_BUNDLE_FORMAT;
  } catch {
    return false;
  }
}

export async function openScenePoints(
  path: string,
  io: CliIo,
  reconstruction: ReconstructionInput = {},
): Promise<ScenePoints> {
  const source = await NodeFileSource.open(path);
  if (await isFeatureBundle(source)) {
    const bundle = await readFeatureBundle(source);
    return {
      name: bundle.meta.scene,
      kind: 'bundle',
      cloud: { positions: bundle.positions, colors: bundle.colors },
      up: inferUpOfCloud(bundle.positions),
      normalisation: bundle.meta.normalisation,
      objects: [],
    };
  }
  const scene = await openScene(source, { onWarning: io.warn });
  const cloud = await ensureCloud(scene, {
    ...reconstruction,
    onProgress: (p) => io.progress(progressLine(p)),
  });
  if (!cloud || cloud.positions.length === 0) {
    throw new UnsupportedError(`${path}: the scene has no points`);
  }
  return {
    name: scene.name,
    kind: 'scene',
    cloud,
    up: inferUp(scene),
    normalisation: sceneNormalisation(cloud.positions),
    objects: scene.objects ?? [],
  };
}

/** The scene's objects (segmentation + lookup grid), with progress; and how long it took. */
export function segmentScenePoints(
  scene: ScenePoints,
  io: CliIo,
): { index: ProposalIndex; ms: number } {
  const t0 = performance.now();
  const index = sceneObjects(
    scene.cloud,
    scene.up,
    {},
    {
      onProgress: (p) => io.progress(progressLine(p)),
    },
  );
  return { index, ms: Number((performance.now() - t0).toFixed(1)) };
}
