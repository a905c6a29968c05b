/**
 * Multi-view fusion of per-view feature maps onto points, with OpenScene's rules
 * (scripts/feature_fusion/fusion_util.py, PointCloudToImageMapper.compute_mapping + the mean in
 * its fusion scripts):
 * - camera = inverse(cameraToWorld) · world point (general 4×4 inverse, like np.linalg.inv);
 * - u = (x·fx)/z + cx, v = (y·fy)/z + cy, rounded half-to-even like np.round;
 * - inside when cut ≤ u < W − cut and cut ≤ v < H − cut, with OpenScene's 10 px border scaled
 *   to the depth image width (10 px at 640);
 * - visible when |D(u,v) − z| ≤ 0.25·D(u,v) against the sensed depth in metres; invalid depth
 *   (raw value in `invalidValues`) rejects; points behind the camera are rejected;
 * - the fused feature is the mean over the passing views; per-point view counts are kept and
 *   points no view sees stay (count 0, feature 0).
 *
 * One pass per view over typed arrays, no allocation per point. Projection, border and
 * occlusion use the depth image and its intrinsics; the feature is read from the view's
 * low-res feature map at the same camera ray projected with the colour intrinsics.
 */
import { FEATURE_DEFAULTS } from '../defaults';
import { BudgetError, UnsupportedError } from '../errors';
import { invert, isFiniteMatrix } from '../geometry/mat4';
import type { DepthImage, Intrinsics, Mat4 } from '../scene/types';

/** A view's features on a coarse grid of cells over the colour image. */
export interface FeatureMap {
  cellsX: number;
  cellsY: number;
  /** Cell size in colour-image pixels. */
  cellWidth: number;
  cellHeight: number;
  /** Feature dimension (the accumulation dimension). */
  dim: number;
  /** cellsY×cellsX×dim, row-major. */
  features: Float32Array;
}

export interface FusionView {
  /** For messages. */
  name: string;
  cameraToWorld: Mat4;
  /** Intrinsics of the depth image (projection, border and occlusion). */
  depthIntrinsics: Intrinsics;
  /** Intrinsics of the colour image the feature map covers. */
  colorIntrinsics: Intrinsics;
  depth: DepthImage;
  featureMap: FeatureMap;
}

export interface FusionRules {
  visibilityThreshold: number;
  /** Border cut in depth pixels; default OpenScene's 10 px scaled by depth width / 640. */
  borderPx?: number;
}

export const OPENSCENE_RULES: FusionRules = {
  visibilityThreshold: FEATURE_DEFAULTS.visibilityThreshold,
};

/** np.round: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function borderCut(depthWidth: number, rules: FusionRules): number {
  return rules.borderPx ?? Math.round((FEATURE_DEFAULTS.borderPxAt640 * depthWidth) / 640);
}

/** World-to-camera for a pose, or a clear error for NaN / singular poses. */
export function worldToCameraChecked(cameraToWorld: Mat4, name: string): Mat4 {
  if (!isFiniteMatrix(cameraToWorld))
    throw new UnsupportedError(`frame ${name}: pose has non-finite values`);
  const inv = invert(cameraToWorld);
  if (!inv) throw new UnsupportedError(`frame ${name}: pose is singular`);
  return inv;
}

/** Depth in metres per pixel (float64, raw / scale as numpy does), 0 where invalid. */
export function depthInMetres(depth: DepthImage): Float64Array {
  const out = new Float64Array(depth.width * depth.height);
  const lut = new Float64Array(65536);
  for (let r = 0; r < 65536; r++) lut[r] = r / depth.depthScale;
  lut[0] = 0;
  for (const v of depth.invalidValues) if (v >= 0 && v < 65536) lut[v] = 0;
  for (let i = 0; i < out.length; i++) out[i] = lut[depth.data[i]];
  return out;
}

/**
 * Sums and counts per point, one view at a time. `finish()` turns sums into means in place.
 * Internally points are kept in spatial-chunk order so the per-point sums are written
 * sequentially (random writes into an N×D array were cache-miss bound); `finish()` permutes
 * the rows back to the caller's point order in place.
 */
export class FusionAccumulator {
  readonly count: number;
  /** N×dim sums in chunk order until finish(), then means in point order. */
  private readonly sums: Float32Array;
  /** Per-slot counts (chunk order) until finish(), then per point. */
  private readonly counts: Uint16Array;
  /** Point-views tested and passed, for throughput figures. */
  pointViewsTested = 0;
  pointViewsPassed = 0;
  /** Point-views skipped by whole-chunk culling (a subset of pointViewsTested). */
  pointViewsCulled = 0;
  private finished = false;

  constructor(
    readonly positions: Float32Array,
    readonly dim: number,
    readonly rules: FusionRules = OPENSCENE_RULES,
    maxBytes: number = FEATURE_DEFAULTS.maxAccumulatorBytes,
  ) {
    this.count = Math.floor(positions.length / 3);
    const bytes = this.count * dim * 4;
    if (bytes > maxBytes) {
      throw new BudgetError(
        `fusion needs ${(bytes / 2 ** 20).toFixed(0)} MiB for ${this.count} points × ${dim} dims, over the ` +
          `${(maxBytes / 2 ** 20).toFixed(0)} MiB budget: voxel-downsample the cloud or raise the budget`,
      );
    }
    this.sums = new Float32Array(this.count * dim);
    this.counts = new Uint16Array(this.count);
    this.chunks = buildChunks(positions, this.count);
  }

  private readonly chunks: PointChunks;

  /** Fuses one view; returns how many points it saw. */
  addView(view: FusionView): number {
    if (this.finished) throw new UnsupportedError('FusionAccumulator: addView after finish');
    const map = view.featureMap;
    if (map.dim !== this.dim) {
      throw new UnsupportedError(
        `frame ${view.name}: feature map has ${map.dim} dims, expected ${this.dim}`,
      );
    }
    const m = worldToCameraChecked(view.cameraToWorld, view.name);
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
    const cut = borderCut(W, this.rules);
    const thr = this.rules.visibilityThreshold;
    const fx = di.fx;
    const fy = di.fy;
    const cx = di.cx;
    const cy = di.cy;
    // Colour pixel → cell: the same camera ray through the colour intrinsics.
    const sameIntrinsics = ci.fx === di.fx && ci.fy === di.fy && ci.cx === di.cx && ci.cy === di.cy;
    const cfx = ci.fx;
    const cfy = ci.fy;
    const ccx = ci.cx;
    const ccy = ci.cy;
    const invCellW = 1 / map.cellWidth;
    const invCellH = 1 / map.cellHeight;
    const cellsX = map.cellsX;
    const cellsY = map.cellsY;
    const feats = map.features;
    const D = this.dim;
    const sums = this.sums;
    const counts = this.counts;
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
    const n = this.count;
    const chunks = this.chunks;
    const ppos = chunks.positions;
    // Depth range of the view, for culling whole chunks: a point passes only if
    // 0.75·D ≤ z ≤ 1.25·D for some valid D (|D − z| ≤ 0.25·D), so z must lie in
    // [(1 − thr)·Dmin, (1 + thr)·Dmax].
    let dMin = Infinity;
    let dMax = 0;
    for (let p = 0; p < depthM.length; p++) {
      const d = depthM[p];
      if (d > 0) {
        if (d < dMin) dMin = d;
        if (d > dMax) dMax = d;
      }
    }
    const zLo = (1 - thr) * dMin;
    const zHi = (1 + thr) * dMax;
    let passed = 0;
    let tested = 0;
    const corner = new Float64Array(3);
    for (let c = 0; c < chunks.count; c++) {
      if (dMax === 0) break;
      // Cull the chunk if its box is behind the camera, outside the image or depth range.
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
        const qx = m0 * corner[0] + m1 * corner[1] + m2 * corner[2] + m3;
        const qy = m4 * corner[0] + m5 * corner[1] + m6 * corner[2] + m7;
        const qz = m8 * corner[0] + m9 * corner[1] + m10 * corner[2] + m11;
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
      const cullable = chunks.finiteBox[c] === 1;
      if (cullable && (zMaxC <= 0 || zMaxC < zLo * 0.999 || zMinC > zHi * 1.001)) continue;
      // With every corner in front, the box projects inside the corners' hull (1 px margin).
      if (
        cullable &&
        !anyBehind &&
        (uMax < cut - 1.5 || vMax < cut - 1.5 || uMin > W - cut + 0.5 || vMin > H - cut + 0.5)
      ) {
        continue;
      }
      const end = chunks.starts[c + 1];
      tested += end - chunks.starts[c];
      for (let j = chunks.starts[c]; j < end; j++) {
        const x = ppos[j * 3];
        const y = ppos[j * 3 + 1];
        const z = ppos[j * 3 + 2];
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
        const src = (gy * cellsX + gx) * D;
        const dst = j * D;
        for (let k = 0; k < D; k++) sums[dst + k] += feats[src + k];
        if (counts[j] < 65535) counts[j]++;
        passed++;
      }
    }
    this.pointViewsCulled += n - tested;
    this.pointViewsTested += n;
    this.pointViewsPassed += passed;
    return passed;
  }

  /** Views that saw each point, in the caller's point order. */
  get viewCounts(): Uint16Array {
    if (this.finished) return this.counts;
    const out = new Uint16Array(this.count);
    const order = this.chunks.order;
    for (let j = 0; j < this.count; j++) out[order[j]] = this.counts[j];
    return out;
  }

  /** Means in place (unseen points stay 0), in point order; returns the N×dim features. */
  finish(): Float32Array {
    if (!this.finished) {
      const D = this.dim;
      for (let j = 0; j < this.count; j++) {
        const c = this.counts[j];
        if (c > 1) for (let k = 0; k < D; k++) this.sums[j * D + k] /= c;
      }
      permuteRowsInPlace(this.sums, D, this.chunks.order);
      permuteRowsInPlace(this.counts, 1, this.chunks.order);
      this.finished = true;
    }
    return this.sums;
  }
}

/** Moves row j to row order[j] for every j, in place (cycle by cycle, two row buffers). */
function permuteRowsInPlace(
  data: Float32Array | Uint16Array,
  width: number,
  order: Uint32Array,
): void {
  const n = order.length;
  const done = new Uint8Array(n);
  const carry = new Float64Array(width);
  const swap = new Float64Array(width);
  for (let s = 0; s < n; s++) {
    if (done[s] || order[s] === s) {
      done[s] = 1;
      continue;
    }
    for (let k = 0; k < width; k++) carry[k] = data[s * width + k];
    let j = s;
    do {
      const dest = order[j];
      for (let k = 0; k < width; k++) {
        swap[k] = data[dest * width + k];
        data[dest * width + k] = carry[k];
        carry[k] = swap[k];
      }
      done[dest] = 1;
      j = dest;
    } while (j !== s);
  }
}

/** Points bucketed into spatial chunks (~1024 points each) with tight boxes, for culling. */
interface PointChunks {
  count: number;
  /** Chunk c holds sorted slots starts[c]..starts[c+1]. */
  starts: Uint32Array;
  /** Slot → original point index. */
  order: Uint32Array;
  /** Positions in slot order (N×3). */
  positions: Float32Array;
  /** Per chunk xmin ymin zmin xmax ymax zmax. */
  boxes: Float64Array;
  /** 1 where the chunk's box is finite (only those are culled). */
  finiteBox: Uint8Array;
}

const POINTS_PER_CHUNK = 1024;

function buildChunks(positions: Float32Array, n: number): PointChunks {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      const v = positions[i * 3 + a];
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    }
  }
  const finite = lo.every(Number.isFinite) && hi.every(Number.isFinite);
  const ext = finite ? hi.map((h, a) => Math.max(h - lo[a], 1e-6)) : [1, 1, 1];
  const target = Math.max(1, Math.min(1 << 18, Math.ceil(n / POINTS_PER_CHUNK)));
  // Surfaces, not volumes: size cells for ~target occupied cells on a 2-D manifold.
  const side = Math.sqrt((ext[0] * ext[1] + ext[1] * ext[2] + ext[0] * ext[2]) / target) || 1;
  const dims = ext.map((e) => Math.max(1, Math.min(1024, Math.ceil(e / side))));
  const cellOf = new Uint32Array(n);
  const cells = dims[0] * dims[1] * dims[2];
  const counts = new Uint32Array(cells + 1);
  for (let i = 0; i < n; i++) {
    let key = 0;
    if (finite) {
      const ix = Math.min(dims[0] - 1, Math.floor(((positions[i * 3] - lo[0]) / ext[0]) * dims[0]));
      const iy = Math.min(
        dims[1] - 1,
        Math.floor(((positions[i * 3 + 1] - lo[1]) / ext[1]) * dims[1]),
      );
      const iz = Math.min(
        dims[2] - 1,
        Math.floor(((positions[i * 3 + 2] - lo[2]) / ext[2]) * dims[2]),
      );
      // Non-finite coordinates land in cell 0; their box becomes non-finite and is never culled.
      key = ix >= 0 && iy >= 0 && iz >= 0 ? (iz * dims[1] + iy) * dims[0] + ix : 0;
    }
    cellOf[i] = key;
    counts[key + 1]++;
  }
  for (let c = 0; c < cells; c++) counts[c + 1] += counts[c];
  const order = new Uint32Array(n);
  const fill = counts.slice(0, cells);
  for (let i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
  const starts: number[] = [];
  for (let c = 0; c < cells; c++) if (counts[c + 1] > counts[c]) starts.push(counts[c]);
  starts.push(n);
  const chunkCount = starts.length - 1;
  const sorted = new Float32Array(n * 3);
  const boxes = new Float64Array(chunkCount * 6);
  for (let c = 0; c < chunkCount; c++) {
    const b = c * 6;
    boxes.fill(Infinity, b, b + 3);
    boxes.fill(-Infinity, b + 3, b + 6);
    for (let j = starts[c]; j < starts[c + 1]; j++) {
      const i = order[j];
      for (let a = 0; a < 3; a++) {
        const v = positions[i * 3 + a];
        sorted[j * 3 + a] = v;
        if (!(v >= boxes[b + a]))
          boxes[b + a] = Number.isNaN(v) ? -Infinity : Math.min(boxes[b + a], v);
        if (!(v <= boxes[b + 3 + a]))
          boxes[b + 3 + a] = Number.isNaN(v) ? Infinity : Math.max(boxes[b + 3 + a], v);
      }
    }
  }
  const finiteBox = new Uint8Array(chunkCount);
  for (let c = 0; c < chunkCount; c++) {
    finiteBox[c] = boxes.subarray(c * 6, c * 6 + 6).every(Number.isFinite) ? 1 : 0;
  }
  return {
    count: chunkCount,
    starts: Uint32Array.from(starts),
    order,
    positions: sorted,
    boxes,
    finiteBox,
  };
}
