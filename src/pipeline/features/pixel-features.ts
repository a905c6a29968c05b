/**
 * Per-pixel features of one view without a segmenter (ConceptFusion / 3D-LLM style):
 * the view's global CLIP embedding g and multi-scale overlapping crop embeddings l_i;
 * w_i = softmax_i(cos(g, l_i)) over the view's crops, f_i = normalise(w_i·g + (1 − w_i)·l_i),
 * and a pixel's feature is the re-normalised sum of the f_i of the crops covering it.
 *
 * No H×W×D image is built: tiles are snapped to a grid of square cells (`cellFraction` of the
 * shorter side), inside one cell the set of covering crops is constant, so the view keeps one
 * feature per cell (a low-res feature map) and fusion reads the cell under the projected pixel.
 * The map is exact per pixel for the snapped tiles.
 */
import { FEATURE_DEFAULTS } from '../defaults';
import { UnsupportedError } from '../errors';
import type { FeatureMap } from './fusion';

export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CropLayoutOptions {
  cropScales?: readonly number[];
  cropOverlap?: number;
  cellFraction?: number;
}

export interface CropLayout {
  width: number;
  height: number;
  cellSize: number;
  cellsX: number;
  cellsY: number;
  /** Tiles in pixels (clipped to the image). */
  rects: CropRect[];
  /** Tiles in cells: [x0, y0, x1, y1) per tile. */
  cellRects: Int32Array;
  /** Index into cropScales per tile. */
  scaleOf: Uint8Array;
}

function starts(cells: number, side: number, stride: number): number[] {
  if (side >= cells) return [0];
  const out: number[] = [];
  for (let s = 0; s + side < cells; s += stride) out.push(s);
  out.push(cells - side); // last tile flush with the far edge
  return [...new Set(out)];
}

/** The tiles of every scale over a width×height image, snapped to the cell grid. */
export function planCrops(
  width: number,
  height: number,
  options: CropLayoutOptions = {},
): CropLayout {
  const scales = options.cropScales ?? FEATURE_DEFAULTS.cropScales;
  const overlap = options.cropOverlap ?? FEATURE_DEFAULTS.cropOverlap;
  const fraction = options.cellFraction ?? FEATURE_DEFAULTS.cellFraction;
  if (!(width >= 1 && height >= 1))
    throw new UnsupportedError(`planCrops: bad image size ${width}×${height}`);
  if (scales.length < 1 || scales.some((s) => !(s > 0 && s <= 1))) {
    throw new UnsupportedError(`crop scales must be in (0, 1], got [${scales.join(', ')}]`);
  }
  if (!(overlap >= 0 && overlap < 1))
    throw new UnsupportedError(`crop overlap must be in [0, 1), got ${overlap}`);
  if (!(fraction > 0 && fraction <= 1))
    throw new UnsupportedError(`cell fraction must be in (0, 1], got ${fraction}`);
  const short = Math.min(width, height);
  const cellSize = Math.max(1, Math.round(fraction * short));
  const cellsX = Math.ceil(width / cellSize);
  const cellsY = Math.ceil(height / cellSize);
  const rects: CropRect[] = [];
  const cells: number[] = [];
  const scaleOf: number[] = [];
  scales.forEach((s, si) => {
    const side = Math.max(1, Math.round((s * short) / cellSize));
    const stride = Math.max(1, Math.round(side * (1 - overlap)));
    const sideX = Math.min(side, cellsX);
    const sideY = Math.min(side, cellsY);
    for (const y0 of starts(cellsY, sideY, stride)) {
      for (const x0 of starts(cellsX, sideX, stride)) {
        const x = x0 * cellSize;
        const y = y0 * cellSize;
        rects.push({
          x,
          y,
          width: Math.min(sideX * cellSize, width - x),
          height: Math.min(sideY * cellSize, height - y),
        });
        cells.push(x0, y0, x0 + sideX, y0 + sideY);
        scaleOf.push(si);
      }
    }
  });
  return {
    width,
    height,
    cellSize,
    cellsX,
    cellsY,
    rects,
    cellRects: Int32Array.from(cells),
    scaleOf: Uint8Array.from(scaleOf),
  };
}

function normaliseInPlace(v: Float32Array | Float64Array, offset: number, dim: number): void {
  let sq = 0;
  for (let d = 0; d < dim; d++) sq += v[offset + d] * v[offset + d];
  if (!(sq > 0)) return;
  const inv = 1 / Math.sqrt(sq);
  for (let d = 0; d < dim; d++) v[offset + d] *= inv;
}

/**
 * f_i = normalise(w_i·g + (1 − w_i)·l_i) with w = softmax(cos(g, l)) over the crops.
 * `global` (D) and `locals` (n×D) are unit vectors (the encoder normalises).
 */
export function fuseCropEmbeddings(
  global: Float32Array,
  locals: Float32Array,
  dim: number,
): Float32Array {
  const n = locals.length / dim;
  const cos = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += global[d] * locals[i * dim + d];
    cos[i] = s;
    max = Math.max(max, s);
  }
  let z = 0;
  for (let i = 0; i < n; i++) z += Math.exp(cos[i] - max);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const w = Math.exp(cos[i] - max) / z;
    for (let d = 0; d < dim; d++) out[i * dim + d] = w * global[d] + (1 - w) * locals[i * dim + d];
    normaliseInPlace(out, i * dim, dim);
  }
  return out;
}

/**
 * The view's feature map: per cell, normalise(Σ f_i over covering crops), then (optionally)
 * projected onto an accumulation basis (A×D rows) so fusion sums A numbers per point.
 */
export function buildFeatureMap(
  layout: CropLayout,
  cropFeatures: Float32Array,
  dim: number,
  basis?: { rows: Float32Array; count: number },
): FeatureMap {
  const { cellsX, cellsY, cellRects } = layout;
  const tiles = cellRects.length / 4;
  if (cropFeatures.length !== tiles * dim) {
    throw new UnsupportedError(
      `buildFeatureMap: ${tiles} tiles need ${tiles * dim} values, got ${cropFeatures.length}`,
    );
  }
  const cells = cellsX * cellsY;
  const sums = new Float64Array(cells * dim);
  for (let t = 0; t < tiles; t++) {
    const [x0, y0, x1, y1] = [
      cellRects[t * 4],
      cellRects[t * 4 + 1],
      cellRects[t * 4 + 2],
      cellRects[t * 4 + 3],
    ];
    for (let gy = y0; gy < y1; gy++) {
      for (let gx = x0; gx < x1; gx++) {
        const base = (gy * cellsX + gx) * dim;
        for (let d = 0; d < dim; d++) sums[base + d] += cropFeatures[t * dim + d];
      }
    }
  }
  const { features, dim: outDim } = normalisedCellFeatures(sums, cells, dim, basis);
  return {
    cellsX,
    cellsY,
    cellWidth: layout.cellSize,
    cellHeight: layout.cellSize,
    dim: outDim,
    features,
  };
}

/**
 * Per-cell sums (cells×dim) → unit cell features, projected onto the accumulation basis when
 * given: the last step of every view's feature map (crop tiles and dense patches alike).
 */
export function normalisedCellFeatures(
  sums: Float64Array,
  cells: number,
  dim: number,
  basis?: { rows: Float32Array; count: number },
): { features: Float32Array; dim: number } {
  for (let c = 0; c < cells; c++) normaliseInPlace(sums, c * dim, dim);
  const outDim = basis ? basis.count : dim;
  const features = new Float32Array(cells * outDim);
  if (!basis) for (let i = 0; i < features.length; i++) features[i] = sums[i];
  else {
    for (let c = 0; c < cells; c++) {
      for (let k = 0; k < basis.count; k++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += basis.rows[k * dim + d] * sums[c * dim + d];
        features[c * outDim + k] = s;
      }
    }
  }
  return { features, dim: outDim };
}
