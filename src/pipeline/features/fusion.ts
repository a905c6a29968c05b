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
 * One pass per view over typed arrays, no allocation per point (fusion-pass.ts). The rules
 * are in fusion-rules.ts, the spatial chunks in fusion-chunks.ts; the straightforward oracle the
 * tests and the benchmark compare against is tests/pipeline/features/fusion-reference.ts.
 */
import { FEATURE_DEFAULTS } from '../defaults';
import { BudgetError, UnsupportedError } from '../errors';
import type { DepthImage, Intrinsics, Mat4 } from '../scene/types';
import { buildChunks, largestChunk, permuteRowsInPlace, type PointChunks } from './fusion-chunks';
import { accumulateRows, chunkCulled, prepareViewPass, visibleSlots } from './fusion-pass';
import { OPENSCENE_RULES, type FusionRules } from './fusion-rules';

export {
  borderCut,
  depthInMetres,
  OPENSCENE_RULES,
  roundHalfEven,
  worldToCameraChecked,
  type FusionRules,
} from './fusion-rules';

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

/**
 * Sums and counts per point, one view at a time. `finish()` turns sums into means in place.
 * Internally points are kept in spatial-chunk order so the per-point sums are written
 * sequentially; `finish()` permutes the rows back to the caller's point order in place.
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
  private readonly chunks: PointChunks;
  /** Per-chunk scratch: the slots that passed and the cell each reads. */
  private readonly hitSlots: Uint32Array;
  private readonly hitCells: Uint32Array;
  private readonly corner = new Float64Array(3);

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
    const scratch = largestChunk(this.chunks);
    this.hitSlots = new Uint32Array(scratch);
    this.hitCells = new Uint32Array(scratch);
  }

  /** Fuses one view; returns how many points it saw. */
  addView(view: FusionView): number {
    if (this.finished) throw new UnsupportedError('FusionAccumulator: addView after finish');
    const pass = prepareViewPass(view, this.dim, this.rules);
    const chunks = this.chunks;
    let tested = 0;
    let passed = 0;
    // No valid depth: nothing can pass.
    for (let c = 0; c < chunks.count && pass.dMax > 0; c++) {
      if (chunkCulled(chunks, c, pass, this.corner)) continue;
      const from = chunks.starts[c];
      const to = chunks.starts[c + 1];
      tested += to - from;
      const hits = visibleSlots(chunks.positions, from, to, pass, this.hitSlots, this.hitCells);
      accumulateRows(
        this.sums,
        this.counts,
        pass.features,
        this.dim,
        this.hitSlots,
        this.hitCells,
        hits,
      );
      passed += hits;
    }
    this.recordView(tested, passed);
    return passed;
  }

  /** Throughput figures: every point is tested per view, those in culled chunks wholesale. */
  private recordView(tested: number, passed: number): void {
    this.pointViewsCulled += this.count - tested;
    this.pointViewsTested += this.count;
    this.pointViewsPassed += passed;
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
