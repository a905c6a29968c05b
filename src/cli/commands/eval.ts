import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import type { CliCommand, CliIo } from '../command';
import { CliUsageError, flagNumber, flagString } from '../args';
import { denseMethodFlag, featuresFlag } from '../feature-flags';
import { loadNodeClipModel } from '../../hosts/node/model-spec';
import type { ClipEncoder } from '../../pipeline/clip/types';
import { MissingFileError, UnsupportedError } from '../../pipeline/errors';
import { readFeatureBundle, writeFeatureBundle } from '../../pipeline/features/bundle';
import { featureCacheKey, sceneFingerprint } from '../../pipeline/features/cache-key';
import { clipCropPreprocessor } from '../../pipeline/features/crop-preprocess';
import {
  extractFeatures,
  resolveExtractOptions,
  type ExtractRequest,
} from '../../pipeline/features/extract';
import { extractionViews } from '../../pipeline/features/extraction/plan-views';
import { normaliseRequest } from '../../pipeline/session/extract-bundle';
import { encodeFeatureField } from '../../pipeline/features/feature-field';
import { sceneNormalisation } from '../../pipeline/features/voxel-tokens';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import type { Progress } from '../../pipeline/progress';
import { evaluateGrounding, type GroundingReport } from '../../pipeline/query/evaluate';
import type { ProposalIndex } from '../../pipeline/query/proposal-grounding';
import { parseQueryFile } from '../../pipeline/query/query-file';
import type { QueryScene } from '../../pipeline/query/text-query';
import { openScene } from '../../pipeline/scene/open-scene';
import { ensureCloud } from '../../pipeline/scene/reconstruct';
import { RECONSTRUCTION_USAGE, reconstructionFlags } from '../reconstruction-flags';
import type { Scene } from '../../pipeline/scene/types';
import { writeFiles } from '../../hosts/node/write-files';
import { progressLine } from '../progress-line';
import { groundingFlag, objectsOfScene, queryOptionsFromFlags, queryScene } from './query';
import { viewsFlag } from './extract';

export interface EvalCommandResult extends GroundingReport {
  scene: string;
  model: string;
  queriesFile: string;
  /** The bundle reused or written, if any. */
  bundle?: string;
  reusedBundle: boolean;
  timingsS: { features: number; queries: number };
}

/** `scenes/demo-room` → `scenes/demo-room.queries.json`, else `scenes/demo-room/queries.json`. */
function defaultQueriesFile(scenePath: string): string {
  const trimmed = scenePath.replace(/[\\/]+$/, '');
  const candidates = [`${trimmed}.queries.json`, nodePath.join(trimmed, 'queries.json')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new MissingFileError(
      candidates[0],
      'no query file next to the scene; pass --queries FILE',
    );
  }
  return found;
}

/** Reuses a bundle of the same scene, model and extraction options, or extracts features (and writes them to --bundle). */
async function featuresFor(
  scene: Scene,
  encoder: ClipEncoder,
  bundleDir: string | undefined,
  given: ExtractRequest,
  io: CliIo,
  objects?: ProposalIndex,
): Promise<{ scene: QueryScene; reused: boolean }> {
  const request = normaliseRequest(scene, given);
  const onProgress = (p: Progress) => io.progress(progressLine(p));
  const sceneHash = sceneFingerprint(scene);
  if (bundleDir && existsSync(nodePath.join(bundleDir, 'meta.json'))) {
    const bundle = await readFeatureBundle(await NodeFileSource.open(bundleDir));
    if (bundle.meta.sceneHash !== undefined && bundle.meta.sceneHash !== sceneHash) {
      throw new UnsupportedError(
        `${bundleDir} holds features of another scene (or an older version of it); delete it or pass another --bundle`,
      );
    }
    if (bundle.meta.model.id !== encoder.modelId) {
      throw new UnsupportedError(
        `${bundleDir} was made with '${bundle.meta.model.id}', not '${encoder.modelId}'`,
      );
    }
    const wanted = resolveExtractOptions(request);
    if (
      featureCacheKey(sceneHash, encoder.modelId, bundle.meta.options) !==
      featureCacheKey(sceneHash, encoder.modelId, wanted)
    ) {
      throw new UnsupportedError(
        `${bundleDir} holds features extracted with other options (frame stride ${bundle.meta.options.frameStride}, ` +
          `crop scales ${bundle.meta.options.cropScales.join(',')}); delete it or pass another --bundle`,
      );
    }
    return { scene: queryScene(bundle), reused: true };
  }
  // Scans without frames: views rendered from the mesh or points, as ordinary frames.
  const views = await extractionViews(scene, request, {
    onProgress,
    segmentation: objects?.segmentation,
  });
  const result = await extractFeatures(views.scene, encoder, request, {
    preprocess: clipCropPreprocessor(),
    onProgress,
  });
  for (const w of result.warnings) io.warn(w);
  const field = encodeFeatureField(result.features, result.count, result.dim, result.viewCounts);
  if (bundleDir) {
    await writeFiles(bundleDir, writeFeatureBundle(result, field, { sceneHash }));
    io.progress(
      `wrote ${bundleDir} (cache key ${featureCacheKey(sceneHash, result.modelId, result.options)})`,
    );
  }
  return {
    scene: {
      field,
      positions: result.positions,
      normalisation: sceneNormalisation(result.positions),
    },
    reused: false,
  };
}

export const evalCommand: CliCommand = {
  name: 'eval',
  usage: `eval <scene-with-gt> [--model offline|hub[:REPO]|DIR] [--variant v] [--queries FILE] [--bundle DIR] [--stride k] ${RECONSTRUCTION_USAGE} [--features dense|crops] [--dense-method clearclip|naclip|maskclip|sclip] [--views captured|rendered|both] [--grounding objects|clusters]`,
  summary:
    "grounding benchmark: per query the top box's 3D IoU with its GT object, and Acc@0.25 / Acc@0.5",
  async run(args, io) {
    const scenePath = args.positionals[0];
    if (!scenePath) throw new CliUsageError('eval needs a scene with ground-truth objects');
    const options = queryOptionsFromFlags(args);
    const reconstruction = reconstructionFlags(args);
    const queriesFile = flagString(args, 'queries') ?? defaultQueriesFile(scenePath);
    let queryBytes: Uint8Array;
    try {
      queryBytes = await readFile(queriesFile);
    } catch {
      throw new MissingFileError(queriesFile);
    }
    const queries = parseQueryFile(queryBytes, queriesFile);
    const scene = await openScene(await NodeFileSource.open(scenePath), { onWarning: io.warn });
    // A scan without a cloud file gets its points as the flags ask (extraction keeps them).
    await ensureCloud(scene, {
      ...reconstruction,
      onProgress: (p) => io.progress(progressLine(p)),
    });
    if (!scene.objects || scene.objects.length === 0) {
      throw new UnsupportedError(
        `${scenePath}: the scene has no ground-truth objects to evaluate against`,
      );
    }
    const model = await loadNodeClipModel(flagString(args, 'model') ?? 'offline', {
      variant: flagString(args, 'variant'),
      denseMethod: denseMethodFlag(args),
      onProgress: (p) => io.progress(progressLine(p)),
    });
    try {
      const bundleDir = flagString(args, 'bundle');
      const t0 = performance.now();
      // Segmented first when the scene has its cloud: rendered views also look at its objects.
      const byObjects = groundingFlag(args) === 'objects';
      const early =
        byObjects && scene.cloud ? objectsOfScene(scene, scene.cloud.positions, io) : undefined;
      const features = await featuresFor(
        scene,
        model.encoder,
        bundleDir,
        {
          frameStride: flagNumber(args, 'stride'),
          views: viewsFlag(args),
          features: featuresFlag(args),
        },
        io,
        early,
      );
      if (byObjects) {
        features.scene.objects = early ?? objectsOfScene(scene, features.scene.positions, io);
      }
      const t1 = performance.now();
      const report = await evaluateGrounding(
        features.scene,
        scene.objects,
        queries,
        model.encoder,
        options,
        {
          onProgress: (p) => io.progress(progressLine(p)),
        },
      );
      const t2 = performance.now();
      const result: EvalCommandResult = {
        scene: scene.name,
        model: model.encoder.modelId,
        queriesFile,
        ...(bundleDir ? { bundle: bundleDir } : {}),
        reusedBundle: features.reused,
        ...report,
        timingsS: { features: (t1 - t0) / 1000, queries: (t2 - t1) / 1000 },
      };
      return result;
    } finally {
      await model.encoder.dispose();
    }
  },
  format(result) {
    const r = result as EvalCommandResult;
    const lines = r.queries.map(
      (q) =>
        `${JSON.stringify(q.text).padEnd(12)} → ${(q.label ?? `#${q.targetId}`).padEnd(10)} IoU ${q.iou.toFixed(3)}` +
        (q.error ? `  (${q.error})` : ''),
    );
    lines.push(
      `Acc@0.25 ${r.accAt025.toFixed(3)}  Acc@0.5 ${r.accAt05.toFixed(3)}  mean IoU ${r.meanIoU.toFixed(3)}  ` +
        `(${r.count} queries, ${r.meanQueryMs.toFixed(1)} ms each without text embedding)`,
    );
    return lines.join('\n');
  },
};
