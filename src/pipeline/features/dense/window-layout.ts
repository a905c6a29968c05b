/**
 * Sliding windows for dense CLIP features: the view is resized (PIL bicubic, as CLIP's own
 * preprocessing) so its shorter side is `shortSide`, then 224×224 windows slide over it with
 * `stride`, the last one flush with the far edge. Every window yields rows×cols patch features;
 * overlapping patches are averaged on a grid of cells whose side divides the patch, the stride and
 * the window, so each cell is covered by whole patches only. Both resized sides are multiples of
 * the cell, which keeps every window start on the cell grid (the scale may differ by < 1 cell
 * between the axes; the feature map records both).
 */
import { UnsupportedError } from '../../errors';
import type { PatchGrid } from '../../clip/dense/types';

export const DENSE_WINDOW_SIDE = 224;

export interface DenseWindowOptions {
  /** The resized view's shorter side in pixels (≥ 224). */
  shortSide: number;
  /** Window step in resized pixels (≥ 1). */
  stride: number;
}

export interface DenseWindowLayout {
  /** The source view's size. */
  width: number;
  height: number;
  /** The view resized for the windows. */
  resizedWidth: number;
  resizedHeight: number;
  /** Cell side in resized pixels. */
  cell: number;
  cellsX: number;
  cellsY: number;
  /** Window origins in resized pixels: x0, y0 per window. */
  windows: Int32Array;
  grid: PatchGrid;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function starts(size: number, stride: number): number[] {
  const out: number[] = [];
  for (let s = 0; s + DENSE_WINDOW_SIDE < size; s += stride) out.push(s);
  out.push(size - DENSE_WINDOW_SIDE);
  return [...new Set(out)];
}

export function planDenseWindows(
  width: number,
  height: number,
  grid: PatchGrid,
  options: DenseWindowOptions,
): DenseWindowLayout {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw new UnsupportedError(`dense windows: bad image size ${width}×${height}`);
  }
  const { shortSide, stride } = options;
  if (!(Number.isInteger(shortSide) && shortSide >= DENSE_WINDOW_SIDE && shortSide <= 4096)) {
    throw new UnsupportedError(
      `dense short side must be an integer in [${DENSE_WINDOW_SIDE}, 4096], got ${shortSide}`,
    );
  }
  if (!(Number.isInteger(stride) && stride >= 1 && stride <= DENSE_WINDOW_SIDE)) {
    throw new UnsupportedError(
      `dense stride must be an integer in [1, ${DENSE_WINDOW_SIDE}], got ${stride}`,
    );
  }
  if (
    grid.rows * grid.patch !== DENSE_WINDOW_SIDE ||
    grid.cols * grid.patch !== DENSE_WINDOW_SIDE
  ) {
    throw new UnsupportedError(
      `dense patch grid ${grid.rows}×${grid.cols} of ${grid.patch} px does not tile a 224-px window`,
    );
  }
  // The snapped stride keeps window starts on whole cells; the cell divides the patch.
  const cell = gcd(gcd(grid.patch, stride), DENSE_WINDOW_SIDE);
  const scale = shortSide / Math.min(width, height);
  const snap = (v: number) => Math.max(DENSE_WINDOW_SIDE, Math.round(v / cell) * cell);
  const resizedWidth = snap(width * scale);
  const resizedHeight = snap(height * scale);
  if (resizedWidth * resizedHeight > 64e6) {
    throw new UnsupportedError(
      `dense windows: a ${width}×${height} view resized to ${resizedWidth}×${resizedHeight} is too large`,
    );
  }
  const xs = starts(resizedWidth, stride);
  const ys = starts(resizedHeight, stride);
  const windows = new Int32Array(xs.length * ys.length * 2);
  let w = 0;
  for (const y of ys) {
    for (const x of xs) {
      windows[w++] = x;
      windows[w++] = y;
    }
  }
  return {
    width,
    height,
    resizedWidth,
    resizedHeight,
    cell,
    cellsX: resizedWidth / cell,
    cellsY: resizedHeight / cell,
    windows,
    grid,
  };
}

/** Windows in a layout. */
export function windowCount(layout: DenseWindowLayout): number {
  return layout.windows.length / 2;
}
