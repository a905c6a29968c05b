import type { CliCommand } from '../command';
import { CliUsageError, flagNumber, flagString } from '../args';
import { loadNodeClipModel } from '../../hosts/node/model-spec';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { openScene } from '../../pipeline/scene/open-scene';
import { extractFeatures, type ExtractRequest } from '../../pipeline/features/extract';
import { encodeFeatureField } from '../../pipeline/features/feature-field';
import { writeFeatureBundle } from '../../pipeline/features/bundle';
import { featureCacheKey, sceneFingerprint } from '../../pipeline/features/cache-key';
import type { Progress } from '../../pipeline/progress';
import { writeFiles } from '../../hosts/node/write-files';
import { progressLine } from '../progress-line';
import { FEATURE_DETAIL_PRESETS, type FeatureDetail } from '../../pipeline/defaults';

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

const seconds = (ms: number) => Math.round(ms) / 1000;

export const extractCommand: CliCommand = {
  name: 'extract',
  usage:
    'extract <scene> --model <offline|DIR> --out DIR [--stride k] [--detail coarse|standard|fine] [--scales 0.5,0.25] [--overlap 0.5] [--batch n] [--border px] [--features-dtype f2|f4] [--variant v] [--threads n]',
  summary:
    'fuse multi-view CLIP features onto the points and write a feature bundle (.npy + compact field)',
  async run(args, io) {
    const scenePath = args.positionals[0];
    if (!scenePath) throw new CliUsageError('extract needs a scene path');
    const out = flagString(args, 'out');
    if (!out) throw new CliUsageError('extract needs --out DIR');
    const dtypeFlag = flagString(args, 'features-dtype') ?? 'f2';
    if (dtypeFlag !== 'f2' && dtypeFlag !== 'f4')
      throw new CliUsageError(`--features-dtype must be f2 or f4`);
    // Explicit --scales / --overlap override the --detail preset.
    const options: ExtractRequest = {
      detail: parseDetail(flagString(args, 'detail')),
      frameStride: flagNumber(args, 'stride'),
      cropScales: parseScales(flagString(args, 'scales')),
      cropOverlap: flagNumber(args, 'overlap'),
      batchSize: flagNumber(args, 'batch'),
      borderPx: flagNumber(args, 'border'),
    };
    const onProgress = (p: Progress) => io.progress(progressLine(p));
    const tStart = performance.now();
    const source = await NodeFileSource.open(scenePath);
    const scene = await openScene(source, { onWarning: io.warn });
    const tScene = performance.now();
    const model = await loadNodeClipModel(flagString(args, 'model') ?? 'offline', {
      variant: flagString(args, 'variant'),
      numThreads: flagNumber(args, 'threads'),
      onProgress,
    });
    const tModel = performance.now();
    try {
      const result = await extractFeatures(scene, model.encoder, options, {
        onProgress,
      });
      for (const w of result.warnings) io.warn(w);
      const tField0 = performance.now();
      const field = encodeFeatureField(
        result.features,
        result.count,
        result.dim,
        result.viewCounts,
      );
      const tField = performance.now();
      const sceneHash = sceneFingerprint(scene);
      const files = writeFeatureBundle(result, field, {
        featuresDtype: dtypeFlag === 'f2' ? '<f2' : '<f4',
        sceneHash,
      });
      const written = await writeFiles(out, files);
      const tWrite = performance.now();
      let bytes = 0;
      for (const b of files.values()) bytes += b.length;
      const pointViews = result.stats.pointViewsTested;
      return {
        scene: scene.name,
        format: scene.format,
        model: result.modelId,
        dim: result.dim,
        points: result.count,
        seenPoints: result.stats.seenPoints,
        views: result.stats.views,
        crops: result.stats.crops,
        fusionDim: result.stats.fusionDim,
        fusionMinCellCosine: result.stats.fusionMinCellCosine,
        field: {
          components: field.components,
          bytesPerPoint: Number(field.bytesPerPoint.toFixed(2)),
          minCosine: field.stats.minCosine,
          exceptions: field.stats.exceptions,
        },
        timingsS: {
          load: seconds(tScene - tStart + result.timings.loadS * 1000),
          model: seconds(tModel - tScene),
          encode: Number(result.timings.encodeS.toFixed(3)),
          fuse: Number(result.timings.fuseS.toFixed(3)),
          field: seconds(tField - tField0),
          write: seconds(tWrite - tField),
          total: seconds(tWrite - tStart),
        },
        throughput: {
          viewsPerS: Number(
            (result.stats.views / (result.timings.encodeS + result.timings.fuseS)).toFixed(2),
          ),
          cropsPerS: Number((result.stats.crops / result.timings.encodeS).toFixed(1)),
          fusionPointViewsPerS: Math.round(pointViews / Math.max(1e-9, result.timings.fuseS)),
        },
        cacheKey: featureCacheKey(sceneHash, result.modelId, result.options),
        out,
        files: written,
        bytes,
        warnings: result.warnings,
      };
    } finally {
      await model.encoder.dispose();
    }
  },
};
