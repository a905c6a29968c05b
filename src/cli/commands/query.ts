import type { CliCommand, CliIo } from '../command';
import { UnsupportedError } from '../../pipeline/errors';
import type { ProposalIndex } from '../../pipeline/query/proposal-grounding';
import { sceneObjects } from '../../pipeline/query/scene-objects';
import type { Scene } from '../../pipeline/scene/types';
import { inferUp, inferUpOfCloud } from '../../pipeline/session/scene-summary';
import { CliUsageError, flagNumber, flagString, type ParsedArgs } from '../args';
import { loadNodeClipModel } from '../../hosts/node/model-spec';
import { OFFLINE_MODEL_ID } from '../../pipeline/clip/offline/offline-spec';
import { ModelError } from '../../pipeline/errors';
import type { FeatureBundle } from '../../pipeline/features/bundle';
import { queryByText, type TextQueryOptions } from '../../pipeline/query/text-query';
import type { GroundedBox } from '../../pipeline/query/types';
import type { QueryScene } from '../../pipeline/query/text-query';
import { progressLine } from '../progress-line';
import { OPENSCENE_MODEL_ID, openSceneTextSpace } from '../../pipeline/features/openscene';
import { loadFeaturesForQuery } from './openscene-input';

export interface QueryCommandResult {
  text: string;
  bundle: string;
  model: string;
  mode: string;
  threshold: number;
  selectedCount: number;
  seenPoints: number;
  clusterVoxelSize: number;
  /** Whether something stood out; when false, `boxes` is empty and `reason` says why. */
  confident: boolean;
  reason?: string;
  boxes: GroundedBox[];
  timingsMs: { embed: number; score: number; ground: number };
}

/** Query options shared by `query` and `eval`. */
export function queryOptionsFromFlags(args: ParsedArgs): TextQueryOptions {
  const mode = flagString(args, 'mode');
  if (mode !== undefined && mode !== 'lerf' && mode !== 'cosine') {
    throw new CliUsageError(`--mode must be lerf or cosine, got '${mode}'`);
  }
  const topK = flagNumber(args, 'top-k');
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) {
    throw new CliUsageError('--top-k must be a positive integer');
  }
  const negatives = flagString(args, 'negatives');
  return {
    mode,
    topK,
    threshold: flagNumber(args, 'threshold'),
    clusterVoxelSize: flagNumber(args, 'voxel'),
    negatives:
      negatives === undefined
        ? undefined
        : negatives
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
  };
}

/** `--grounding objects` (default: boxes are segmentation proposals) or `clusters` (voxel blobs). */
export function groundingFlag(args: ParsedArgs): 'objects' | 'clusters' {
  const grounding = flagString(args, 'grounding') ?? 'objects';
  if (grounding !== 'objects' && grounding !== 'clusters') {
    throw new CliUsageError(`--grounding must be objects or clusters, got '${grounding}'`);
  }
  return grounding;
}

/** The scene's objects over the feature points (the scene's cloud, in the same order). */
export function objectsOfScene(scene: Scene, positions: Float32Array, io: CliIo): ProposalIndex {
  const cloud = scene.cloud;
  if (!cloud || cloud.positions.length !== positions.length) {
    throw new UnsupportedError(
      `${scene.name}: the features' points are not the scene's cloud; pass --grounding clusters`,
    );
  }
  return sceneObjects(
    cloud,
    inferUp(scene),
    {},
    { onProgress: (p) => io.progress(progressLine(p)) },
  );
}

/** The objects of a bundle's own points (its positions and colours; up from the cloud's shape). */
export function objectsOfBundle(bundle: FeatureBundle, io: CliIo): ProposalIndex {
  const cloud = { positions: bundle.positions, colors: bundle.colors };
  return sceneObjects(
    cloud,
    inferUpOfCloud(bundle.positions),
    {},
    { onProgress: (p) => io.progress(progressLine(p)) },
  );
}

/** The model a bundle was made with, unless --model says otherwise. */
export function modelSpecFor(bundle: FeatureBundle, flag: string | undefined): string {
  if (flag) return flag;
  if (bundle.meta.model.id === OFFLINE_MODEL_ID) return 'offline';
  if (bundle.meta.model.id === OPENSCENE_MODEL_ID) {
    throw new ModelError(
      `these OpenScene features come from ${openSceneTextSpace(bundle.meta.model.dim)}: pass --model with its text encoder`,
    );
  }
  throw new ModelError(
    `this bundle was made with '${bundle.meta.model.id}': pass --model with that model (hub:REPO or a folder)`,
  );
}

export function queryScene(bundle: FeatureBundle): QueryScene {
  return {
    field: bundle.field,
    positions: bundle.positions,
    normalisation: bundle.meta.normalisation,
  };
}

const ms = (v: number) => Number(v.toFixed(2));

export const queryCommand: CliCommand = {
  name: 'query',
  usage:
    'query <bundle-dir> "TEXT" [--model offline|hub[:REPO]|DIR] [--variant v] [--top-k k] [--threshold t] [--mode lerf|cosine] [--negatives a,b,c] [--voxel m] [--grounding objects|clusters] [--features FILE.pt]',
  summary:
    'ground a text query in a feature bundle (or a ScanNet scene folder with OpenScene features <scene>_<n>.pt): ranked 3D boxes with scores, point counts and location tokens',
  async run(args, io) {
    const [bundleDir, ...textParts] = args.positionals;
    if (!bundleDir || textParts.length === 0)
      throw new CliUsageError('query needs a bundle directory and a TEXT');
    const text = textParts.join(' ');
    const options = queryOptionsFromFlags(args);
    const bundle = await loadFeaturesForQuery(bundleDir, flagString(args, 'features'), io);
    const model = await loadNodeClipModel(modelSpecFor(bundle, flagString(args, 'model')), {
      variant: flagString(args, 'variant'),
      onProgress: (p) => io.progress(progressLine(p)),
    });
    try {
      if (model.encoder.dim !== bundle.field.dim) {
        throw new ModelError(
          `model '${model.config.modelId}' has D = ${model.encoder.dim}, the bundle's features D = ${bundle.field.dim}` +
            (bundle.meta.model.id === OPENSCENE_MODEL_ID
              ? `; these OpenScene features need ${openSceneTextSpace(bundle.field.dim)}`
              : ''),
        );
      }
      if (model.encoder.modelId !== bundle.meta.model.id) {
        io.warn(
          `bundle made with '${bundle.meta.model.id}', querying with '${model.encoder.modelId}'`,
        );
      }
      const scene = queryScene(bundle);
      if (groundingFlag(args) === 'objects') scene.objects = objectsOfBundle(bundle, io);
      const r = await queryByText(scene, model.encoder, text, options);
      const result: QueryCommandResult = {
        text,
        bundle: bundleDir,
        model: model.encoder.modelId,
        mode: options.mode ?? 'lerf',
        threshold: r.threshold,
        selectedCount: r.selectedCount,
        seenPoints: bundle.meta.counts.seenPoints,
        clusterVoxelSize: r.clusterVoxelSize,
        confident: r.confident,
        ...(r.reason ? { reason: r.reason } : {}),
        boxes: r.boxes,
        timingsMs: {
          embed: ms(r.timings.embedMs),
          score: ms(r.timings.scoreMs),
          ground: ms(r.timings.groundMs),
        },
      };
      return result;
    } finally {
      await model.encoder.dispose();
    }
  },
  format(result) {
    const r = result as QueryCommandResult;
    const fmt = (v: number[]) => v.map((x) => x.toFixed(3)).join(', ');
    const lines = [
      r.confident
        ? `${JSON.stringify(r.text)}: ${r.boxes.length} box${r.boxes.length === 1 ? '' : 'es'} ` +
          `(threshold ${r.threshold.toFixed(4)}, ${r.selectedCount} points above it)`
        : `${JSON.stringify(r.text)}: no confident match: ${r.reason ?? 'nothing stands out'}`,
    ];
    for (const b of r.boxes) {
      lines.push(
        `${b.rank}. min (${fmt(b.min)}) max (${fmt(b.max)}) m  score ${b.score.toFixed(4)}  ` +
          `${b.pointCount} points  ${b.tokens ?? ''}`,
      );
    }
    lines.push(
      `time: embed ${r.timingsMs.embed} ms, score ${r.timingsMs.score} ms, boxes ${r.timingsMs.ground} ms`,
    );
    return lines.join('\n');
  },
};
