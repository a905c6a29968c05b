/**
 * Fusion: per view, its low-res feature map is fused onto the points with OpenScene's rules
 * (fusion.ts). When D > fusionMaxDim the per-point sums are kept in the span of the top
 * components of all the views' crop or patch features (a per-scene basis), then lifted back to D; the
 * per-cell fidelity of that projection is measured. Otherwise fusion is exact in D.
 */
import { throwIfAborted } from '../../errors';
import { progressTracker, type WorkOptions } from '../../progress';
import { FusionAccumulator, type FeatureMap, type FusionRules } from '../fusion';
import { secondMoment, topEigenvectors } from '../pca';
import { loadViewDepth } from './load-view';
import type { ExtractOptions } from './options';
import type { EncodedView } from './types';

/** K×D orthonormal rows the sums are kept in. */
interface FusionBasis {
  rows: Float32Array;
  count: number;
}

export interface FusedPoints {
  /** N×D mean features (0 for unseen points). */
  features: Float32Array;
  viewCounts: Uint16Array;
  pointViewsTested: number;
  pointViewsPassed: number;
  /** Smallest cosine between a cell feature and its projection (1 when exact). */
  minCellCosine: number;
}

export async function fuseViews(
  positions: Float32Array,
  encoded: EncodedView[],
  D: number,
  fusionDim: number,
  options: ExtractOptions,
  work: WorkOptions,
  warnings: string[],
): Promise<FusedPoints> {
  const basis = fusionDim < D ? fusionBasis(encoded, D, fusionDim) : undefined;
  const acc = new FusionAccumulator(
    positions,
    fusionDim,
    {
      visibilityThreshold: options.visibilityThreshold,
      borderPx: options.borderPx,
    } satisfies FusionRules,
    options.maxAccumulatorBytes,
  );
  let minCellCosine = 1;
  const report = progressTracker('fuse', encoded.length, 'views', work.onProgress);
  for (let v = 0; v < encoded.length; v++) {
    throwIfAborted(work.signal);
    const e = encoded[v];
    const { depth, depthIntrinsics } = await loadViewDepth(e.frame, warnings);
    const map = e.buildMap(basis);
    if (basis) minCellCosine = Math.min(minCellCosine, projectedCellCosine(map));
    acc.addView({
      name: e.frame.name,
      cameraToWorld: e.frame.cameraToWorld,
      depthIntrinsics,
      colorIntrinsics: e.colorIntrinsics,
      depth,
      featureMap: map,
    });
    report(v + 1);
  }
  const fused = acc.finish();
  return {
    features: basis ? liftFromBasis(fused, basis, acc.count, D) : fused,
    viewCounts: acc.viewCounts,
    pointViewsTested: acc.pointViewsTested,
    pointViewsPassed: acc.pointViewsPassed,
    minCellCosine,
  };
}

/** The top `fusionDim` eigenvectors of all views' crop features (uncentred second moment). */
function fusionBasis(encoded: EncodedView[], D: number, fusionDim: number): FusionBasis {
  const all = new Float32Array(encoded.reduce((s, e) => s + e.features.length, 0));
  let o = 0;
  for (const e of encoded) {
    all.set(e.features, o);
    o += e.features.length;
  }
  const rows = Uint32Array.from({ length: all.length / D }, (_, i) => i);
  const m = secondMoment(all, rows, D, true);
  return { rows: topEigenvectors(m, D, fusionDim, 20).basis, count: fusionDim };
}

/**
 * Smallest norm of a projected cell feature: the cells are unit vectors, so this is the cosine
 * between each one and its projection onto the basis.
 */
function projectedCellCosine(map: FeatureMap): number {
  const K = map.dim;
  let min = 1;
  for (let c = 0; c < map.cellsX * map.cellsY; c++) {
    let sq = 0;
    for (let k = 0; k < K; k++) sq += map.features[c * K + k] ** 2;
    min = Math.min(min, Math.sqrt(sq));
  }
  return min;
}

/** N×K coefficients back to N×D features: x_i = Σ_k c_ik · row_k. */
function liftFromBasis(
  coefficients: Float32Array,
  basis: FusionBasis,
  count: number,
  D: number,
): Float32Array {
  const K = basis.count;
  const features = new Float32Array(count * D);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < K; k++) {
      const c = coefficients[i * K + k];
      if (c === 0) continue;
      const row = k * D;
      for (let d = 0; d < D; d++) features[i * D + d] += c * basis.rows[row + d];
    }
  }
  return features;
}
