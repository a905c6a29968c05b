/**
 * A view's feature map from its windows' patch features: per cell, the normalised mean of the
 * patches covering it (windows overlap, so most cells are seen by several patches), optionally
 * projected onto fusion's accumulation basis (as buildFeatureMap does for crop tiles).
 */
import { UnsupportedError } from '../../errors';
import type { FeatureMap } from '../fusion';
import { normalisedCellFeatures } from '../pixel-features';
import type { DenseWindowLayout } from './window-layout';

export function buildDenseFeatureMap(
  layout: DenseWindowLayout,
  patchFeatures: Float32Array,
  dim: number,
  basis?: { rows: Float32Array; count: number },
): FeatureMap {
  const { cellsX, cellsY, cell, windows, grid } = layout;
  const windowTotal = windows.length / 2;
  const perWindow = grid.rows * grid.cols;
  if (patchFeatures.length !== windowTotal * perWindow * dim) {
    throw new UnsupportedError(
      `dense feature map: ${windowTotal} windows of ${perWindow} patches need ${windowTotal * perWindow * dim} values, got ${patchFeatures.length}`,
    );
  }
  const span = grid.patch / cell;
  const cells = cellsX * cellsY;
  const sums = new Float64Array(cells * dim);
  for (let w = 0; w < windowTotal; w++) {
    const cx0 = windows[w * 2] / cell;
    const cy0 = windows[w * 2 + 1] / cell;
    for (let r = 0; r < grid.rows; r++) {
      for (let c = 0; c < grid.cols; c++) {
        const src = (w * perWindow + r * grid.cols + c) * dim;
        for (let gy = cy0 + r * span; gy < cy0 + (r + 1) * span; gy++) {
          for (let gx = cx0 + c * span; gx < cx0 + (c + 1) * span; gx++) {
            const base = (gy * cellsX + gx) * dim;
            for (let d = 0; d < dim; d++) sums[base + d] += patchFeatures[src + d];
          }
        }
      }
    }
  }
  const { features, dim: outDim } = normalisedCellFeatures(sums, cells, dim, basis);
  return {
    cellsX,
    cellsY,
    cellWidth: (cell * layout.width) / layout.resizedWidth,
    cellHeight: (cell * layout.height) / layout.resizedHeight,
    dim: outDim,
    features,
  };
}
