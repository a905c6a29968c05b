/**
 * One view's pass over the points, in three steps on typed arrays (no per-point objects):
 *   1. `chunkCulled`: skip whole chunks behind the camera, outside the image or the depth range;
 *   2. `visibleSlots`: project each point of a chunk, apply the border and occlusion rules and
 *      list the passing slots with the feature-map cell each reads;
 *   3. `accumulateRows`: add those cells' features to the slots' sums and count the view.
 * Projection, border and occlusion use the depth image and its intrinsics; the cell is read at
 * the same camera ray projected with the colour intrinsics.
 */
import { UnsupportedError } from '../errors';
import type { Mat4 } from '../scene/types';
import type { FusionView } from './fusion';
import type { PointChunks } from './fusion-chunks';
import { borderCut, depthInMetres, worldToCameraChecked, type FusionRules } from './fusion-rules';

/** A view's constants for one pass. */
export interface ViewPass {
  /** World to camera (row-major 4×4). */
  worldToCamera: Mat4;
  /** Depth in metres, W×H; 0 where invalid. */
  depthM: Float64Array;
  width: number;
  height: number;
  /** Border cut in depth pixels. */
  cut: number;
  visibilityThreshold: number;
  /** Depth intrinsics. */
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** Colour intrinsics equal the depth ones: the rounded depth pixel is the colour pixel. */
  sameIntrinsics: boolean;
  cfx: number;
  cfy: number;
  ccx: number;
  ccy: number;
  cellsX: number;
  cellsY: number;
  invCellW: number;
  invCellH: number;
  /** The feature map's cellsY×cellsX×dim features. */
  features: Float32Array;
  /**
   * A point passes only if 0.75·D ≤ z ≤ 1.25·D for some valid D (|D − z| ≤ 0.25·D), so z must
   * lie in [zLo, zHi] = [(1 − thr)·Dmin, (1 + thr)·Dmax]. dMax 0: no valid depth at all.
   */
  zLo: number;
  zHi: number;
  dMax: number;
}

/** Checks the view against the accumulator and gathers its constants. */
export function prepareViewPass(view: FusionView, dim: number, rules: FusionRules): ViewPass {
  const map = view.featureMap;
  if (map.dim !== dim) {
    throw new UnsupportedError(
      `frame ${view.name}: feature map has ${map.dim} dims, expected ${dim}`,
    );
  }
  const worldToCamera = worldToCameraChecked(view.cameraToWorld, view.name);
  const depth = view.depth;
  const W = depth.width;
  const H = depth.height;
  if (depth.data.length !== W * H) {
    throw new UnsupportedError(
      `frame ${view.name}: depth has ${depth.data.length} values for ${W}×${H}`,
    );
  }
  const di = view.depthIntrinsics;
  const ci = view.colorIntrinsics;
  const depthM = depthInMetres(depth);
  const thr = rules.visibilityThreshold;
  let dMin = Infinity;
  let dMax = 0;
  for (let p = 0; p < depthM.length; p++) {
    const d = depthM[p];
    if (d > 0) {
      if (d < dMin) dMin = d;
      if (d > dMax) dMax = d;
    }
  }
  return {
    worldToCamera,
    depthM,
    width: W,
    height: H,
    cut: borderCut(W, rules),
    visibilityThreshold: thr,
    fx: di.fx,
    fy: di.fy,
    cx: di.cx,
    cy: di.cy,
    sameIntrinsics: ci.fx === di.fx && ci.fy === di.fy && ci.cx === di.cx && ci.cy === di.cy,
    cfx: ci.fx,
    cfy: ci.fy,
    ccx: ci.cx,
    ccy: ci.cy,
    cellsX: map.cellsX,
    cellsY: map.cellsY,
    invCellW: 1 / map.cellWidth,
    invCellH: 1 / map.cellHeight,
    features: map.features,
    zLo: (1 - thr) * dMin,
    zHi: (1 + thr) * dMax,
    dMax,
  };
}

/**
 * True when no point of chunk c can pass: its (finite) box is behind the camera, outside the
 * view's depth range or projects outside the image. `corner`: 3 floats of scratch.
 */
export function chunkCulled(
  chunks: PointChunks,
  c: number,
  pass: ViewPass,
  corner: Float64Array,
): boolean {
  if (chunks.finiteBox[c] !== 1) return false;
  const m = pass.worldToCamera;
  const { fx, fy, cx, cy, cut, width: W, height: H } = pass;
  const b = c * 6;
  let zMinC = Infinity;
  let zMaxC = -Infinity;
  let uMin = Infinity;
  let uMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  let anyBehind = false;
  for (let k = 0; k < 8; k++) {
    corner[0] = chunks.boxes[b + (k & 1 ? 3 : 0)];
    corner[1] = chunks.boxes[b + (k & 2 ? 4 : 1)];
    corner[2] = chunks.boxes[b + (k & 4 ? 5 : 2)];
    const qx = m[0] * corner[0] + m[1] * corner[1] + m[2] * corner[2] + m[3];
    const qy = m[4] * corner[0] + m[5] * corner[1] + m[6] * corner[2] + m[7];
    const qz = m[8] * corner[0] + m[9] * corner[1] + m[10] * corner[2] + m[11];
    if (qz < zMinC) zMinC = qz;
    if (qz > zMaxC) zMaxC = qz;
    if (!(qz > 1e-9)) {
      anyBehind = true;
      continue;
    }
    const cu = (qx * fx) / qz + cx;
    const cv = (qy * fy) / qz + cy;
    if (cu < uMin) uMin = cu;
    if (cu > uMax) uMax = cu;
    if (cv < vMin) vMin = cv;
    if (cv > vMax) vMax = cv;
  }
  if (zMaxC <= 0 || zMaxC < pass.zLo * 0.999 || zMinC > pass.zHi * 1.001) return true;
  // With every corner in front, the box projects inside the corners' hull (1 px margin).
  return (
    !anyBehind &&
    (uMax < cut - 1.5 || vMax < cut - 1.5 || uMin > W - cut + 0.5 || vMin > H - cut + 0.5)
  );
}

/**
 * Projects slots from..to (chunk order) and applies OpenScene's rules: in front of the camera,
 * pixel (rounded half to even) inside the border, valid depth with |D − z| ≤ thr·D. Writes each
 * passing slot and the index of the feature-map cell it reads; returns how many passed.
 */
export function visibleSlots(
  positions: Float32Array,
  from: number,
  to: number,
  pass: ViewPass,
  slots: Uint32Array,
  cells: Uint32Array,
): number {
  const m = pass.worldToCamera;
  const m0 = m[0],
    m1 = m[1],
    m2 = m[2],
    m3 = m[3];
  const m4 = m[4],
    m5 = m[5],
    m6 = m[6],
    m7 = m[7];
  const m8 = m[8],
    m9 = m[9],
    m10 = m[10],
    m11 = m[11];
  const { fx, fy, cx, cy, cut, depthM, sameIntrinsics, cfx, cfy, ccx, ccy } = pass;
  const { invCellW, invCellH, cellsX, cellsY } = pass;
  const W = pass.width;
  const H = pass.height;
  const thr = pass.visibilityThreshold;
  let hits = 0;
  for (let j = from; j < to; j++) {
    const x = positions[j * 3];
    const y = positions[j * 3 + 1];
    const z = positions[j * 3 + 2];
    const pz = m8 * x + m9 * y + m10 * z + m11;
    if (!(pz > 0)) continue;
    const px = m0 * x + m1 * y + m2 * z + m3;
    const py = m4 * x + m5 * y + m6 * z + m7;
    const fu = (px * fx) / pz + cx;
    const fv = (py * fy) / pz + cy;
    let u = Math.round(fu);
    if (u - fu === 0.5 && u % 2 !== 0) u -= 1;
    let v = Math.round(fv);
    if (v - fv === 0.5 && v % 2 !== 0) v -= 1;
    if (u < cut || v < cut || u >= W - cut || v >= H - cut) continue;
    const d = depthM[v * W + u];
    if (!(d > 0) || Math.abs(d - pz) > thr * d) continue;
    let cu: number;
    let cv: number;
    if (sameIntrinsics) {
      cu = u;
      cv = v;
    } else {
      cu = (px * cfx) / pz + ccx;
      cv = (py * cfy) / pz + ccy;
    }
    let gx = Math.floor((cu + 0.5) * invCellW);
    let gy = Math.floor((cv + 0.5) * invCellH);
    gx = gx < 0 ? 0 : gx >= cellsX ? cellsX - 1 : gx;
    gy = gy < 0 ? 0 : gy >= cellsY ? cellsY - 1 : gy;
    slots[hits] = j;
    cells[hits] = gy * cellsX + gx;
    hits++;
  }
  return hits;
}

/** sums[slot] += features[cell] and counts[slot]++ (saturating) for the first `hits` pairs. */
export function accumulateRows(
  sums: Float32Array,
  counts: Uint16Array,
  features: Float32Array,
  D: number,
  slots: Uint32Array,
  cells: Uint32Array,
  hits: number,
): void {
  for (let h = 0; h < hits; h++) {
    const j = slots[h];
    const src = cells[h] * D;
    const dst = j * D;
    for (let k = 0; k < D; k++) sums[dst + k] += features[src + k];
    if (counts[j] < 65535) counts[j]++;
  }
}
