import type { CliCommand } from '../command';
import { CliUsageError, flagNumber, flagString } from '../args';
import {
  VISION_ONLY_PREFIX,
  loadNodeClipModel,
  loadNodeVisionOnlyModel,
} from '../../hosts/node/model-spec';
import type { ClipEncoder } from '../../pipeline/clip/types';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { openScene } from '../../pipeline/scene/open-scene';
import type { ExtractRequest } from '../../pipeline/features/extract';
import { denseMethodFlag, featuresFlag } from '../feature-flags';
import { sceneFingerprint } from '../../pipeline/features/cache-key';
import { extractBundle } from '../../pipeline/session/extract-bundle';
import type { Progress } from '../../pipeline/progress';
import { checkOutputFolder, writeFiles, writeFilesInto } from '../../hosts/node/write-files';
import { UnsupportedError } from '../../pipeline/errors';
import { progressLine } from '../progress-line';
import { modelRuntime } from '../model-runtime';
import { RECONSTRUCTION_USAGE, reconstructionFlags } from '../reconstruction-flags';
import { ensureCloud } from '../../pipeline/scene/reconstruct';
import { FEATURE_DETAIL_PRESETS, type FeatureDetail } from '../../pipeline/defaults';
import type { ParsedArgs } from '../args';
import type { CliIo } from '../command';

function parseScales(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const scales = text.split(',').map(Number);
  if (scales.some((s) => !(s > 0 && s <= 1)))
    throw new CliUsageError(`--scales expects fractions in (0, 1], got '${text}'`);
  return scales;
}

function parseDetail(text: string | undefined): FeatureDetail | undefined {
  if (text === undefined) return undefined;
  if (!Object.hasOwn(FEATURE_DETAIL_PRESETS, text)) {
    const names = Object.keys(FEATURE_DETAIL_PRESETS).join('|');
    throw new CliUsageError(`--detail expects ${names}, got '${text}'`);
  }
  return text as FeatureDetail;
}

const VIEWS = ['captured', 'rendered', 'both'] as const;

/** `--views captured|rendered|both` (unset: captured when the scene has frames, else rendered). */
export function viewsFlag(args: Parameters<typeof flagString>[0]) {
  const text = flagString(args, 'views');
  if (text === undefined) return undefined;
  if (!(VIEWS as readonly string[]).includes(text)) {
    throw new CliUsageError(`--views expects ${VIEWS.join('|')}, got '${text}'`);
  }
  return text as (typeof VIEWS)[number];
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * Supplies the model a run's flags ask for: `extract` loads it (and disposes it after the run);
 * `batch` passes one that loads it on its first scene and keeps it for the rest of the shard.
 */
/** What extraction needs of a model: its image encoder (a CLIP model, or a vision-only one). */
export interface ExtractModel {
  encoder: ClipEncoder;
}

export interface ExtractModelProvider {
  get(load: () => Promise<ExtractModel>): Promise<ExtractModel>;
}

/** What `extract` returns (JSON on stdout); `batch` keeps it in each scene's status file. */
export type ExtractReport = Awaited<ReturnType<typeof runExtract>>;

export const extractCommand: CliCommand = {
  name: 'extract',
  usage: `extract <scene> --model <offline|DIR|vision:FILE.onnx> --out DIR [--force] [--features dense|crops] [--dense-method clearclip|naclip|maskclip|sclip] [--dense-short-side px] [--dense-stride px] [--stride k] ${RECONSTRUCTION_USAGE} [--views captured|rendered|both] [--detail coarse|standard|fine] [--scales 0.5,0.25] [--overlap 0.5] [--batch n] [--border px] [--features-dtype f2|f4] [--variant v] [--threads n]`,
  summary:
    'fuse multi-view CLIP features onto the points and write a feature bundle (.npy + compact field)',
  run: (args, io) => runExtract(args, io),
};

/** How `runExtract` writes its folder. */
export interface ExtractOutputOptions {
  /**
   * `--out` is a staging folder the caller owns and commits atomically itself (batch's per-scene
   * temporary folder): files go straight into it, no existence checks.
   */
  intoStagingFolder?: boolean;
}

/** The `extract` command as a function (batch runs it per scene with a shared model). */
export async function runExtract(
  args: ParsedArgs,
  io: CliIo,
  shared?: ExtractModelProvider,
  output: ExtractOutputOptions = {},
) {
  const scenePath = args.positionals[0];
  if (!scenePath) throw new CliUsageError('extract needs a scene path');
  const out = flagString(args, 'out');
  if (!out) throw new CliUsageError('extract needs --out DIR');
  const dtypeFlag = flagString(args, 'features-dtype') ?? 'f2';
  if (dtypeFlag !== 'f2' && dtypeFlag !== 'f4')
    throw new CliUsageError(`--features-dtype must be f2 or f4`);
  // Explicit --scales / --overlap override the --detail preset.
  const options: ExtractRequest = {
    features: featuresFlag(args),
    denseShortSide: flagNumber(args, 'dense-short-side'),
    denseStride: flagNumber(args, 'dense-stride'),
    detail: parseDetail(flagString(args, 'detail')),
    frameStride: flagNumber(args, 'stride'),
    cropScales: parseScales(flagString(args, 'scales')),
    cropOverlap: flagNumber(args, 'overlap'),
    batchSize: flagNumber(args, 'batch'),
    borderPx: flagNumber(args, 'border'),
    views: viewsFlag(args),
  };
  const numThreads = flagNumber(args, 'threads');
  const reconstruction = reconstructionFlags(args);
  // Refused before the work, not after it: an existing output needs --force, the input never.
  const writeOptions = { force: args.flags.force === true, inputs: [scenePath] };
  if (!output.intoStagingFolder) await checkOutputFolder(out, writeOptions);
  const onProgress = (p: Progress) => io.progress(progressLine(p));
  const tStart = performance.now();
  const source = await NodeFileSource.open(scenePath);
  const scene = await openScene(source, { onWarning: io.warn });
  // A scan without a cloud file gets its points here, as the flags ask (extraction keeps them).
  await ensureCloud(scene, { ...reconstruction, onProgress });
  const tScene = performance.now();
  const modelSpec = flagString(args, 'model') ?? 'offline';
  const load = (): Promise<ExtractModel> =>
    modelSpec.startsWith(VISION_ONLY_PREFIX)
      ? loadNodeVisionOnlyModel(modelSpec, { numThreads })
      : loadNodeClipModel(modelSpec, {
          variant: flagString(args, 'variant'),
          denseMethod: denseMethodFlag(args),
          numThreads,
          onProgress,
        });
  const model = shared ? await shared.get(load) : await load();
  const tModel = performance.now();
  try {
    const sceneHash = sceneFingerprint(scene);
    const { files, bundle, result, summary, rendered } = await extractBundle(
      scene,
      model.encoder,
      options,
      {
        onProgress,
        sceneHash,
        featuresDtype: dtypeFlag === 'f2' ? '<f2' : '<f4',
      },
    );
    for (const w of summary.warnings) io.warn(w);
    if (summary.seenPoints === 0) {
      const border = options.borderPx === undefined ? '' : ` (--border ${options.borderPx} px)`;
      throw new UnsupportedError(
        `${scenePath}: no point was seen by any view${border}; nothing written to ${out}`,
      );
    }
    const tField = performance.now();
    const written = output.intoStagingFolder
      ? await writeFilesInto(out, files)
      : await writeFiles(out, files, writeOptions);
    const tWrite = performance.now();
    let bytes = 0;
    for (const b of files.values()) bytes += b.length;
    const stats = result!.stats;
    const field = bundle.field;
    return {
      scene: scene.name,
      format: scene.format,
      model: summary.modelId,
      runtime: modelRuntime(io),
      dim: summary.dim,
      points: summary.points,
      seenPoints: summary.seenPoints,
      views: summary.views,
      renderedViews: rendered?.length ?? 0,
      featureSource: stats.featureSource,
      ...(stats.denseMethod ? { denseMethod: stats.denseMethod } : {}),
      crops: summary.crops,
      fusionDim: stats.fusionDim,
      fusionMinCellCosine: stats.fusionMinCellCosine,
      field: {
        components: field.components,
        bytesPerPoint: Number(field.bytesPerPoint.toFixed(2)),
        minCosine: field.stats.minCosine,
        exceptions: field.stats.exceptions,
      },
      timingsS: {
        load: seconds(tScene - tStart + summary.seconds.load * 1000),
        model: seconds(tModel - tScene),
        encode: Number(summary.seconds.encode.toFixed(3)),
        fuse: Number(summary.seconds.fuse.toFixed(3)),
        field: Number(summary.seconds.field.toFixed(3)),
        write: seconds(tWrite - tField),
        total: seconds(tWrite - tStart),
      },
      throughput: {
        viewsPerS: Number(
          (summary.views / (summary.seconds.encode + summary.seconds.fuse)).toFixed(2),
        ),
        cropsPerS: Number((summary.crops / summary.seconds.encode).toFixed(1)),
        fusionPointViewsPerS: Math.round(
          stats.pointViewsTested / Math.max(1e-9, summary.seconds.fuse),
        ),
      },
      cacheKey: summary.cacheKey,
      out,
      files: written,
      bytes,
      warnings: summary.warnings,
    };
  } finally {
    if (!shared) await model.encoder.dispose();
  }
}
