/** Feature bundle (meta.json + points / colors / view_counts / features .npy + features.field). */
import {
  encodeFeatureBundle,
  readFeatureBundle,
  type FeatureBundle,
} from '../../../src/pipeline/features/bundle';
import { resolveExtractOptions } from '../../../src/pipeline/features/extraction/options';
import { encodeFeatureField } from '../../../src/pipeline/features/field/field-encoder';
import type { ExtractResult } from '../../../src/pipeline/features/extraction/types';
import { mulberry32 } from '../rng';
import type { FuzzTarget } from '../types';
import { nonFinite, source } from './checks';

function extractResult(): ExtractResult {
  const n = 64;
  const dim = 16;
  const rng = mulberry32(11);
  const features = new Float32Array(n * dim).map(() => rng() - 0.5);
  const viewCounts = new Uint16Array(n).map((_, i) => (i % 7 === 0 ? 0 : 1 + (i % 3)));
  for (let i = 0; i < n; i++) if (viewCounts[i] === 0) features.fill(0, i * dim, (i + 1) * dim);
  return {
    sceneName: 'fuzz',
    modelId: 'fuzz-model',
    dim,
    count: n,
    positions: new Float32Array(n * 3).map((_, i) => Math.sin(i) * 2),
    colors: new Uint8Array(n * 3).map((_, i) => (i * 7) & 255),
    features,
    viewCounts,
    frames: [0, 1, 2],
    options: resolveExtractOptions({}),
    stats: {
      views: 3,
      crops: 9,
      featureSource: 'crops',
      seenPoints: viewCounts.filter((v) => v > 0).length,
      pointViewsTested: 3 * n,
      pointViewsPassed: 2 * n,
      fusionDim: dim,
      fusionMinCellCosine: 1,
    },
    timings: { loadS: 0, encodeS: 0, fuseS: 0 },
    warnings: [],
  } as ExtractResult;
}

function checkBundle(output: unknown): string | undefined {
  const b = output as FeatureBundle;
  const n = b.meta.counts.points;
  const dim = b.meta.model.dim;
  if (b.positions.length !== n * 3) return `positions length ${b.positions.length} for ${n} points`;
  if (b.colors.length !== n * 3 || b.viewCounts.length !== n) return 'colour / view-count length';
  if (b.features.length !== n * dim) return `features length ${b.features.length} for ${n}×${dim}`;
  if (b.field.count !== n || b.field.dim !== dim) return 'field size';
  const norm = b.meta.normalisation;
  if (!norm || !Array.isArray(norm.centroid) || norm.centroid.length !== 3)
    return 'normalisation centroid';
  const bad = nonFinite([...norm.centroid, norm.radius], 'normalisation');
  if (bad) return bad;
  if (!(norm.radius > 0)) return `normalisation radius ${norm.radius}`;
  if (typeof b.meta.model.id !== 'string') return `model id ${String(b.meta.model.id)}`;
  return nonFinite(b.positions, 'position') ?? nonFinite(b.features, 'feature');
}

export const targets: FuzzTarget[] = [
  {
    name: 'feature-bundle',
    hasLocations: true,
    seeds: () => {
      const result = extractResult();
      const field = encodeFeatureField(
        result.features,
        result.count,
        result.dim,
        result.viewCounts,
      );
      return [
        encodeFeatureBundle(result, field).files,
        encodeFeatureBundle(result, field, { featuresDtype: '<f4' }).files,
      ];
    },
    // meta.json holds the structure: half the mutations go there.
    mutable: (paths) => [...paths, ...Array(paths.length).fill('meta.json')],
    textual: (path) => path.endsWith('.json') || path.endsWith('.npy'),
    read: (files, sourceName) => readFeatureBundle(source(files, sourceName)),
    validate: checkBundle,
  },
];
