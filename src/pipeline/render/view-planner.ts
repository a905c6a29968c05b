/**
 * Plans views to render of a scan without frames: cameras standing inside the scene at eye
 * height, looking around, chosen greedily to see as many points as possible with few views.
 *
 * 1. Up and floor come from the points (floor.ts), unless given. Meshes are planned on points
 *    sampled over their triangles (big triangles are surface, not just corners).
 * 2. Candidates: a horizontal grid of positions at each eye height above the floor, kept where
 *    a person could stand (no point within the clearance of the eye, an empty column down to
 *    the knees, floor underneath), each looking in `yawSteps` headings × `pitchesDeg`.
 *    When none qualifies, the floor check is dropped (scans with holes); when still none does
 *    (an object scan), cameras circle the scene looking at its centre.
 * 3. Each candidate is scored on a voxel-downsampled copy of the cloud at a small resolution
 *    (splats, whatever the scene): which planning points it sees (visibility.ts: the visible
 *    surface at its pixel within a depth tolerance).
 * 4. Greedy max coverage (lazy: gains only shrink), weighted by how many points each planning
 *    point stands for, until `targetCoverage` of them is seen or `maxViews` is reached.
 * 5. Optional object-centric views for proposal boxes: cameras around each box at eye height,
 *    at the distance where the box fills `objectViewFill` of the view, the best `objectViewsPerBox`
 *    by the box's points they see.
 * 6. Verification (default on): the chosen views are rendered at full size with the real
 *    renderer and every point (mesh: vertex) is tested; while fewer than the target are seen,
 *    more views are added greedily for the points still unseen. `coverage` is that share.
 */
import { RENDER_DEFAULTS } from '../defaults';
import { throwIfAborted, UnsupportedError } from '../errors';
import type { WorkOptions } from '../progress';
import type { Aabb, PointCloud } from '../scene/types';
import { horizontalBasis, intrinsicsFromFov, lookAtPose } from './camera-model';
import { inferFloor } from './floor';
import { estimatePointSpacing } from './point-spacing';
import { SceneRenderer, type RenderOptions } from './scene-renderer';
import type { CameraView, RenderedImages, Vec3 } from './types';
import { markSeenPoints, type VisibilityTolerance } from './visibility';
import { bucketPoints, VoxelHash } from './voxel-hash';

export interface ViewPlanOptions extends WorkOptions {
  width: number;
  height: number;
  horizontalFovDeg: number;
  eyeHeightsM: readonly number[];
  gridSpacingM: number;
  yawSteps: number;
  pitchesDeg: readonly number[];
  clearanceM: number;
  targetCoverage: number;
  maxViews: number;
  planningVoxelM: number;
  planningWidth: number;
  visibilityToleranceM: number;
  visibilityToleranceRelative: number;
  objectViewsPerBox: number;
  objectViewFill: number;
  /** Up direction, when known (skips inference). */
  up?: Vec3;
  /** Proposal boxes for object-centric views. */
  boxes?: readonly Aabb[];
  /** How the scene is rendered for verification (and later for frames). */
  render?: Partial<RenderOptions>;
  /** Render the chosen views at full size, measure coverage on every point, top up views. */
  verify: boolean;
}

export interface PlannedView extends CameraView {
  name: string;
  kind: 'coverage' | 'object';
  /** Index into `boxes` for object-centric views. */
  boxIndex?: number;
}

export interface ViewPlan {
  views: PlannedView[];
  up: Vec3;
  floorHeight: number;
  /** Candidate views scored. */
  candidateCount: number;
  /** Share of points seen, as estimated on the planning cloud. */
  estimatedCoverage: number;
  /** Share of the cloud's finite points (vertices for meshes) seen at full size, if verified. */
  coverage?: number;
  /** Non-fatal notes (fallbacks taken, boxes without a view). */
  warnings: string[];
}

/** The planning cloud is downsampled further until it has at most this many points. */
const MAX_PLANNING_POINTS = 60_000;
/** Surface samples of a mesh for planning, at most (the sample spacing grows to fit). */
const MAX_SURFACE_SAMPLES = 2_000_000;
/** More candidates than this are thinned (memory: one bit per planning point each). */
const MAX_CANDIDATES = 4000;
/** Top-up rounds after verification. */
const VERIFY_ROUNDS = 4;
const STANDING_RADIUS_M = 0.2;
const KNEE_HEIGHT_M = 0.4;
/** Most positions on the planning grid (140 × 140: 84 m square at 0.6 m). */
const MAX_GRID_CELLS = 20_000;

export function viewPlanOptionsWithDefaults(options: Partial<ViewPlanOptions> = {}) {
  const d = RENDER_DEFAULTS.plan;
  const o: ViewPlanOptions = {
    width: RENDER_DEFAULTS.width,
    height: RENDER_DEFAULTS.height,
    horizontalFovDeg: RENDER_DEFAULTS.horizontalFovDeg,
    ...d,
    verify: true,
    ...stripUndefined(options),
  };
  const positive = (name: string, v: number) => {
    if (!(v > 0 && Number.isFinite(v))) throw new UnsupportedError(`${name} must be > 0, got ${v}`);
  };
  positive('gridSpacingM', o.gridSpacingM);
  positive('planningVoxelM', o.planningVoxelM);
  positive('clearanceM', o.clearanceM);
  positive('objectViewFill', o.objectViewFill);
  if (!Number.isInteger(o.planningWidth) || o.planningWidth < 4 || o.planningWidth > 1024) {
    throw new UnsupportedError(
      `planningWidth must be an integer in 4..1024, got ${o.planningWidth}`,
    );
  }
  if (!Number.isInteger(o.yawSteps) || o.yawSteps < 1 || o.yawSteps > 360) {
    throw new UnsupportedError(`yawSteps must be an integer in 1..360, got ${o.yawSteps}`);
  }
  if (!Number.isInteger(o.maxViews) || o.maxViews < 0 || o.maxViews > 10_000) {
    throw new UnsupportedError(`maxViews must be an integer in 0..10000, got ${o.maxViews}`);
  }
  if (!Number.isInteger(o.objectViewsPerBox) || o.objectViewsPerBox < 0) {
    throw new UnsupportedError(`objectViewsPerBox must be a whole number`);
  }
  if (!(o.targetCoverage >= 0 && o.targetCoverage <= 1)) {
    throw new UnsupportedError(`targetCoverage must be in [0, 1], got ${o.targetCoverage}`);
  }
  if (o.eyeHeightsM.length === 0 || o.eyeHeightsM.some((h) => !Number.isFinite(h))) {
    throw new UnsupportedError('eyeHeightsM needs at least one finite height');
  }
  if (o.pitchesDeg.length === 0 || o.pitchesDeg.some((p) => !(p >= -90 && p <= 90))) {
    throw new UnsupportedError('pitchesDeg needs at least one angle in [−90°, 90°]');
  }
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o))
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Voxel-downsampled copy of the cloud: one point per voxel at the mean, weighted by count. */
interface PlanningCloud {
  positions: Float32Array;
  weights: Float64Array;
  /** Voxels of the planning points (slot = planning point). */
  hash: VoxelHash;
  voxelSize: number;
}

function planningCloud(positions: Float32Array, voxelM: number): PlanningCloud {
  let voxelSize = voxelM;
  for (;;) {
    const { hash, slotOfPoint, counts } = bucketPoints(positions, voxelSize);
    if (hash.size > MAX_PLANNING_POINTS) {
      voxelSize *= Math.sqrt(hash.size / MAX_PLANNING_POINTS) * 1.05;
      continue;
    }
    const reps = hash.size;
    const sums = new Float64Array(reps * 3);
    for (let i = 0; i < slotOfPoint.length; i++) {
      const s = slotOfPoint[i];
      if (s < 0) continue;
      sums[s * 3] += positions[i * 3];
      sums[s * 3 + 1] += positions[i * 3 + 1];
      sums[s * 3 + 2] += positions[i * 3 + 2];
    }
    const out = new Float32Array(reps * 3);
    const weights = new Float64Array(reps);
    for (let s = 0; s < reps; s++) {
      weights[s] = counts[s];
      for (let k = 0; k < 3; k++) out[s * 3 + k] = sums[s * 3 + k] / counts[s];
    }
    return { positions: out, weights, hash, voxelSize };
  }
}

/** Occupied voxels of the whole cloud, for "is this spot free" tests. */
class Occupancy {
  private readonly hash: VoxelHash;
  private readonly inv: number;
  constructor(
    positions: Float32Array,
    private readonly voxel: number,
  ) {
    this.hash = bucketPoints(positions, voxel).hash;
    this.inv = 1 / voxel;
  }

  /** True if no occupied voxel comes within `radius` of p (voxels count as solid boxes). */
  isFree(p: Vec3, radius: number): boolean {
    const v = this.voxel;
    const lo = [0, 0, 0];
    const hi = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.floor((p[k] - radius) * this.inv);
      hi[k] = Math.floor((p[k] + radius) * this.inv);
    }
    const r2 = radius * radius;
    for (let z = lo[2]; z <= hi[2]; z++) {
      const dz = axisGap(p[2], z * v, (z + 1) * v);
      for (let y = lo[1]; y <= hi[1]; y++) {
        const dy = axisGap(p[1], y * v, (y + 1) * v);
        for (let x = lo[0]; x <= hi[0]; x++) {
          const dx = axisGap(p[0], x * v, (x + 1) * v);
          if (dx * dx + dy * dy + dz * dz < r2 && this.hash.find(x, y, z) >= 0) return false;
        }
      }
    }
    return true;
  }
}

function axisGap(p: number, lo: number, hi: number): number {
  return p < lo ? lo - p : p > hi ? p - hi : 0;
}

interface Frame3 {
  up: Vec3;
  e1: Vec3;
  e2: Vec3;
  floor: number;
}

function at(frame: Frame3, a: number, b: number, h: number): Vec3 {
  const { up, e1, e2, floor } = frame;
  const z = floor + h;
  return [
    a * e1[0] + b * e2[0] + z * up[0],
    a * e1[1] + b * e2[1] + z * up[1],
    a * e1[2] + b * e2[2] + z * up[2],
  ];
}

function direction(frame: Frame3, yaw: number, pitchDeg: number): Vec3 {
  const p = (pitchDeg * Math.PI) / 180;
  const c = Math.cos(p);
  const s = Math.sin(p);
  const { up, e1, e2 } = frame;
  const ca = Math.cos(yaw) * c;
  const sa = Math.sin(yaw) * c;
  return [
    ca * e1[0] + sa * e2[0] + s * up[0],
    ca * e1[1] + sa * e2[1] + s * up[1],
    ca * e1[2] + sa * e2[2] + s * up[2],
  ];
}

/** Quantile of a numeric sample (sorted copy). */
function quantile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((sorted.length - 1) * q)))];
}

/** Bitsets of the planning points each candidate sees, in one array. */
class Coverage {
  readonly words: number;
  private bits: Uint32Array;
  count = 0;
  constructor(readonly points: number) {
    this.words = Math.ceil(points / 32);
    this.bits = new Uint32Array(this.words * 64);
  }

  add(seen: Uint8Array): number {
    const id = this.count++;
    if (this.count * this.words > this.bits.length) {
      const grown = new Uint32Array(this.bits.length * 2);
      grown.set(this.bits);
      this.bits = grown;
    }
    const o = id * this.words;
    for (let i = 0; i < this.points; i++) if (seen[i]) this.bits[o + (i >>> 5)] |= 1 << (i & 31);
    return id;
  }

  /** Σ remaining[i] over the points candidate `id` sees. */
  gain(id: number, remaining: Float64Array): number {
    const o = id * this.words;
    let total = 0;
    for (let w = 0; w < this.words; w++) {
      let word = this.bits[o + w];
      while (word !== 0) {
        const low = word & -word;
        total += remaining[(w << 5) + (31 - Math.clz32(low))];
        word ^= low;
      }
    }
    return total;
  }

  /** Sets remaining[i] = 0 for the points candidate `id` sees; returns what that removed. */
  take(id: number, remaining: Float64Array): number {
    const o = id * this.words;
    let total = 0;
    for (let w = 0; w < this.words; w++) {
      let word = this.bits[o + w];
      while (word !== 0) {
        const low = word & -word;
        const i = (w << 5) + (31 - Math.clz32(low));
        total += remaining[i];
        remaining[i] = 0;
        word ^= low;
      }
    }
    return total;
  }
}

/**
 * Greedy max coverage with lazy gains: picks candidates until `goal` weight is covered, `limit`
 * picks are made, or nothing adds anything. Returns the picks and the weight they covered.
 */
function greedy(
  coverage: Coverage,
  remaining: Float64Array,
  used: Uint8Array,
  goal: number,
  limit: number,
): { picks: number[]; covered: number } {
  const bounds = new Float64Array(coverage.count);
  for (let c = 0; c < coverage.count; c++) bounds[c] = used[c] ? -1 : coverage.gain(c, remaining);
  const picks: number[] = [];
  let covered = 0;
  while (picks.length < limit && covered < goal) {
    let pick = -1;
    for (;;) {
      let best = -1;
      let second = -1;
      for (let c = 0; c < bounds.length; c++) {
        if (best < 0 || bounds[c] > bounds[best]) {
          second = best;
          best = c;
        } else if (second < 0 || bounds[c] > bounds[second]) {
          second = c;
        }
      }
      if (best < 0 || bounds[best] <= 0) break;
      bounds[best] = coverage.gain(best, remaining);
      if (second < 0 || bounds[best] >= bounds[second]) {
        if (bounds[best] > 0) pick = best;
        break;
      }
    }
    if (pick < 0) break;
    covered += coverage.take(pick, remaining);
    used[pick] = 1;
    bounds[pick] = -1;
    picks.push(pick);
  }
  return { picks, covered };
}

/**
 * Points covering a mesh's triangles about every `spacing` metres (a barycentric grid per
 * triangle, vertices included), so big triangles count as surface for free-space, floor and
 * coverage estimates, not just their corners. Degenerate and non-finite triangles add nothing.
 */
export function meshSurfaceSamples(
  positions: Float32Array,
  faces: Uint32Array,
  spacing: number,
  maxSamples = MAX_SURFACE_SAMPLES,
): Float32Array {
  const p = positions;
  const subdivisions = (t: number, step: number) => {
    const a = faces[t * 3] * 3;
    const b = faces[t * 3 + 1] * 3;
    const c = faces[t * 3 + 2] * 3;
    const longest = Math.max(
      Math.hypot(p[a] - p[b], p[a + 1] - p[b + 1], p[a + 2] - p[b + 2]),
      Math.hypot(p[b] - p[c], p[b + 1] - p[c + 1], p[b + 2] - p[c + 2]),
      Math.hypot(p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]),
    );
    return Number.isFinite(longest) ? Math.max(1, Math.ceil(longest / step)) : 0;
  };
  const triangles = Math.floor(faces.length / 3);
  let step = spacing;
  let total = 0;
  for (let attempt = 0; attempt < 40; attempt++) {
    total = 0;
    for (let t = 0; t < triangles && total <= maxSamples; t++) {
      const n = subdivisions(t, step);
      if (n > 0) total += ((n + 1) * (n + 2)) / 2;
    }
    if (total <= maxSamples) break;
    step *= 1.5;
  }
  if (total > maxSamples) return positions; // absurd meshes: fall back to the vertices
  const out = new Float32Array(total * 3);
  let k = 0;
  for (let t = 0; t < triangles; t++) {
    const n = subdivisions(t, step);
    if (n === 0) continue;
    const a = faces[t * 3] * 3;
    const b = faces[t * 3 + 1] * 3;
    const c = faces[t * 3 + 2] * 3;
    for (let i = 0; i <= n; i++) {
      for (let j = 0; i + j <= n; j++) {
        const u = i / n;
        const v = j / n;
        for (let d = 0; d < 3; d++) {
          out[k++] = p[a + d] + u * (p[b + d] - p[a + d]) + v * (p[c + d] - p[a + d]);
        }
      }
    }
  }
  return out;
}

export function planViews(cloud: PointCloud, options: Partial<ViewPlanOptions> = {}): ViewPlan {
  const o = viewPlanOptionsWithDefaults(options);
  const warnings: string[] = [];
  const positions = cloud.positions;
  if (positions.length % 3 !== 0) {
    throw new UnsupportedError(`positions length ${positions.length} is not a multiple of 3`);
  }
  const fullIntrinsics = intrinsicsFromFov(o.width, o.height, o.horizontalFovDeg);
  // Meshes are planned on samples of their surfaces; coverage is still counted on vertices.
  const faces = cloud.faces;
  const surface =
    faces && faces.length >= 3 && (!o.render?.mode || o.render.mode !== 'points')
      ? meshSurfaceSamples(positions, faces, o.planningVoxelM / 2)
      : positions;
  const floorEstimate = inferFloor(surface, o.up);
  if (!floorEstimate.floorFound)
    warnings.push('no floor found; heights are above the lowest points');
  const [e1, e2] = horizontalBasis(floorEstimate.up);
  const frame: Frame3 = { up: floorEstimate.up, e1, e2, floor: floorEstimate.floorHeight };

  // Planning cloud and its splat renderer.
  const plan = planningCloud(surface, o.planningVoxelM);
  const repCount = plan.weights.length;
  const spacing = estimatePointSpacing(plan.positions).spacing;
  const planner = SceneRenderer.fromPoints(plan.positions, new Uint8Array(repCount * 3), spacing, {
    ...o.render,
    splatShape: 'square',
    splatRadiusFactor: 0.8,
  });
  const planningHeight = Math.max(1, Math.round((o.planningWidth * o.height) / o.width));
  const planningIntrinsics = intrinsicsFromFov(o.planningWidth, planningHeight, o.horizontalFovDeg);
  const planningTolerance: VisibilityTolerance = {
    toleranceM: o.visibilityToleranceM + plan.voxelSize,
    toleranceRelative: o.visibilityToleranceRelative,
  };
  const planningSlack = planner.visibilitySlack();
  const seenScratch = new Uint8Array(repCount);
  let scratchImages: RenderedImages | undefined;
  const scoreView = (pose: Float64Array, subset?: ArrayLike<number>): Uint8Array => {
    scratchImages = planner.render(
      { intrinsics: planningIntrinsics, cameraToWorld: pose },
      scratchImages,
    );
    seenScratch.fill(0);
    markSeenPoints(
      plan.positions,
      scratchImages,
      planningTolerance,
      seenScratch,
      subset,
      planningSlack,
    );
    return seenScratch;
  };

  // Horizontal extent of the scene (robust), in the (e1, e2) plane.
  const horizontal = horizontalRange(plan.positions, frame);
  const occupancy = new Occupancy(surface, Math.max(0.05, o.clearanceM / 2));

  const coverage = new Coverage(repCount);
  const poses: Float64Array[] = [];
  const addCandidate = (pose: Float64Array) => {
    coverage.add(scoreView(pose));
    poses.push(pose);
    if ((poses.length & 63) === 0) {
      throwIfAborted(o.signal);
      o.onProgress?.({ stage: 'plan views', done: poses.length, total: 0, unit: 'candidates' });
    }
  };

  // Object-centric views first: what they see counts towards coverage.
  const objectViews: PlannedView[] = [];
  const objectCandidates: number[] = [];
  (o.boxes ?? []).forEach((box, boxIndex) => {
    const chosen = planObjectViews(box, boxIndex, o, frame, plan, occupancy, horizontal, scoreView);
    if (chosen.length === 0) warnings.push(`box ${boxIndex}: no free spot to look at it from`);
    for (const view of chosen) {
      objectViews.push(view);
      addCandidate(view.cameraToWorld);
      objectCandidates.push(poses.length - 1);
    }
  });

  // Standing positions × eye heights × headings × pitches.
  const spots = standingSpots(o, frame, horizontal, occupancy, warnings);
  const perSpot = o.yawSteps * o.pitchesDeg.length;
  const stride = Math.max(1, Math.ceil((spots.length * perSpot) / MAX_CANDIDATES));
  for (let s = 0; s < spots.length; s += stride) {
    const spot = spots[s];
    for (let k = 0; k < o.yawSteps; k++) {
      const yaw = (2 * Math.PI * k) / o.yawSteps;
      for (const pitch of o.pitchesDeg) {
        const f = direction(frame, yaw, pitch);
        const eye = spot.eye;
        addCandidate(lookAtPose(eye, [eye[0] + f[0], eye[1] + f[1], eye[2] + f[2]], frame.up));
      }
    }
  }
  if (spots.length === 0) {
    warnings.push('no standing spot inside the scene; cameras circle it instead');
    for (const pose of orbitPoses(o, frame, horizontal, plan)) addCandidate(pose);
  }

  // Greedy selection on the planning cloud.
  const remaining = Float64Array.from(plan.weights);
  const totalWeight = plan.weights.reduce((a, b) => a + b, 0);
  const used = new Uint8Array(coverage.count);
  let covered = 0;
  for (const c of objectCandidates) {
    covered += coverage.take(c, remaining);
    used[c] = 1;
  }
  const first = greedy(
    coverage,
    remaining,
    used,
    o.targetCoverage * totalWeight - covered,
    o.maxViews,
  );
  covered += first.covered;
  const coveragePicks = [...first.picks];

  const views = (): PlannedView[] => [
    ...coveragePicks.map((c, k) => ({
      name: `render-${String(k).padStart(3, '0')}`,
      kind: 'coverage' as const,
      intrinsics: { ...fullIntrinsics },
      cameraToWorld: poses[c],
    })),
    ...objectViews,
  ];

  let measured: number | undefined;
  if (o.verify) {
    const renderer = SceneRenderer.fromCloud(cloud, o.render);
    const slack = renderer.visibilitySlack();
    const tolerance: VisibilityTolerance = {
      toleranceM: o.visibilityToleranceM,
      toleranceRelative: o.visibilityToleranceRelative,
    };
    const n = positions.length / 3;
    const seen = new Uint8Array(n);
    let finite = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(positions[i * 3] + positions[i * 3 + 1] + positions[i * 3 + 2])) finite++;
    }
    let seenCount = 0;
    let images: RenderedImages | undefined;
    const verifyViews = (list: PlannedView[]) => {
      for (const view of list) {
        throwIfAborted(o.signal);
        images = renderer.render(view, images);
        seenCount += markSeenPoints(positions, images, tolerance, seen, undefined, slack);
      }
    };
    verifyViews(views());
    for (let round = 0; round < VERIFY_ROUNDS; round++) {
      if (seenCount >= o.targetCoverage * finite || coveragePicks.length >= o.maxViews) break;
      // Weights are now the points still unseen at full size, on their planning points.
      remaining.fill(0);
      const inv = 1 / plan.voxelSize;
      for (let i = 0; i < n; i++) {
        if (seen[i]) continue;
        const r = plan.hash.find(
          Math.floor(positions[i * 3] * inv),
          Math.floor(positions[i * 3 + 1] * inv),
          Math.floor(positions[i * 3 + 2] * inv),
        );
        if (r >= 0) remaining[r]++;
      }
      const more = greedy(
        coverage,
        remaining,
        used,
        o.targetCoverage * finite - seenCount,
        o.maxViews - coveragePicks.length,
      );
      if (more.picks.length === 0) break;
      const before = coveragePicks.length;
      coveragePicks.push(...more.picks);
      verifyViews(views().slice(before, coveragePicks.length));
    }
    measured = finite > 0 ? seenCount / finite : 0;
    if (measured < o.targetCoverage) {
      warnings.push(
        `views see ${(measured * 100).toFixed(1)} % of the points, below the target ` +
          `${(o.targetCoverage * 100).toFixed(0)} % (maxViews ${o.maxViews})`,
      );
    }
  }

  return {
    views: views(),
    up: frame.up,
    floorHeight: frame.floor,
    candidateCount: coverage.count,
    estimatedCoverage: totalWeight > 0 ? Math.min(1, covered / totalWeight) : 0,
    ...(measured !== undefined ? { coverage: measured } : {}),
    warnings,
  };
}

interface HorizontalRange {
  lo: [number, number];
  hi: [number, number];
}

function horizontalRange(points: Float32Array, frame: Frame3): HorizontalRange {
  const n = points.length / 3;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const { e1, e2 } = frame;
  for (let i = 0; i < n; i++) {
    const x = points[i * 3];
    const y = points[i * 3 + 1];
    const z = points[i * 3 + 2];
    a[i] = x * e1[0] + y * e1[1] + z * e1[2];
    b[i] = x * e2[0] + y * e2[1] + z * e2[2];
  }
  return {
    lo: [quantile(a, 0.005), quantile(b, 0.005)],
    hi: [quantile(a, 0.995), quantile(b, 0.995)],
  };
}

/**
 * Camera positions where a person could stand: for each grid cell and eye height, the eye is
 * clear of every point, the column down to the knees is empty and there is floor underneath.
 * Drops the floor check when nothing passes; none at all means an object scan (orbit instead).
 */
function standingSpots(
  o: ViewPlanOptions,
  frame: Frame3,
  range: HorizontalRange,
  occupancy: Occupancy,
  warnings: string[],
): { eye: Vec3 }[] {
  const spanA = range.hi[0] - range.lo[0];
  const spanB = range.hi[1] - range.lo[1];
  if (!Number.isFinite(spanA) || !Number.isFinite(spanB)) {
    throw new UnsupportedError('scene extent is not finite; cannot place cameras');
  }
  // Large scenes get a coarser grid (checked before allocating anything sized by the extent).
  const g = Math.max(o.gridSpacingM, Math.sqrt((spanA * spanB) / MAX_GRID_CELLS));
  if (g > o.gridSpacingM) {
    warnings.push(`planning grid coarsened to ${g.toFixed(2)} m for a large scene`);
  }
  const countA = Math.min(MAX_GRID_CELLS, Math.max(1, Math.floor(spanA / g)));
  const countB = Math.min(MAX_GRID_CELLS, Math.max(1, Math.floor(spanB / g)));
  const cells = (lo: number, hi: number, count: number) => {
    const offset = (hi - lo - (count - 1) * g) / 2;
    return Array.from({ length: count }, (_, k) => lo + offset + k * g);
  };
  const as = cells(range.lo[0], range.hi[0], countA);
  const bs = cells(range.lo[1], range.hi[1], countB);
  const floorProbe = Math.max(0.1, g / 2);
  // First with floor underneath, then without (scans with holes in the floor).
  for (const needFloor of [true, false]) {
    const spots: { eye: Vec3 }[] = [];
    for (const a of as) {
      for (const b of bs) {
        if (needFloor && occupancy.isFree(at(frame, a, b, 0), floorProbe)) continue;
        for (const h of o.eyeHeightsM) {
          const eye = at(frame, a, b, h);
          if (!occupancy.isFree(eye, o.clearanceM)) continue;
          if (!columnIsFree(frame, a, b, h - o.clearanceM, occupancy)) continue;
          spots.push({ eye });
        }
      }
    }
    if (spots.length > 0) {
      if (!needFloor) warnings.push('no floor under any free spot; standing spots need no floor');
      return spots;
    }
  }
  return [];
}

function columnIsFree(
  frame: Frame3,
  a: number,
  b: number,
  top: number,
  occupancy: Occupancy,
): boolean {
  for (let h = KNEE_HEIGHT_M; h <= top; h += STANDING_RADIUS_M) {
    if (!occupancy.isFree(at(frame, a, b, h), STANDING_RADIUS_M)) return false;
  }
  return true;
}

/** Cameras on a circle around the scene at eye heights, looking at its centre. */
function orbitPoses(
  o: ViewPlanOptions,
  frame: Frame3,
  range: HorizontalRange,
  plan: PlanningCloud,
): Float64Array[] {
  const ca = (range.lo[0] + range.hi[0]) / 2;
  const cb = (range.lo[1] + range.hi[1]) / 2;
  const radius = Math.max(
    0.1,
    Math.hypot(range.hi[0] - range.lo[0], range.hi[1] - range.lo[1]) / 2,
  );
  const halfFov = (o.horizontalFovDeg * Math.PI) / 360;
  const distance = radius / Math.sin(Math.min(halfFov * o.objectViewFill, Math.PI / 2 - 0.01));
  const { up } = frame;
  let topAlongUp = -Infinity;
  for (let i = 0; i < plan.weights.length; i++) {
    const h =
      plan.positions[i * 3] * up[0] +
      plan.positions[i * 3 + 1] * up[1] +
      plan.positions[i * 3 + 2] * up[2];
    if (h > topAlongUp) topAlongUp = h;
  }
  const centre = at(frame, ca, cb, (topAlongUp - frame.floor) / 2);
  const poses: Float64Array[] = [];
  for (let k = 0; k < o.yawSteps; k++) {
    const yaw = (2 * Math.PI * k) / o.yawSteps;
    for (const h of o.eyeHeightsM) {
      const eye = at(frame, ca + distance * Math.cos(yaw), cb + distance * Math.sin(yaw), h);
      poses.push(lookAtPose(eye, centre, up));
    }
  }
  return poses;
}

/**
 * Views of one box: cameras around it at eye heights, at the distance where it fills
 * `objectViewFill` of the view (and nearer or farther when that spot is taken), the best
 * `objectViewsPerBox` by new box points seen.
 */
function planObjectViews(
  box: Aabb,
  boxIndex: number,
  o: ViewPlanOptions,
  frame: Frame3,
  plan: PlanningCloud,
  occupancy: Occupancy,
  range: HorizontalRange,
  scoreView: (pose: Float64Array, subset?: ArrayLike<number>) => Uint8Array,
): PlannedView[] {
  if (o.objectViewsPerBox === 0) return [];
  const finite = [...box.min, ...box.max].every(Number.isFinite);
  if (!finite) return [];
  const margin = plan.voxelSize;
  const inside: number[] = [];
  const p = plan.positions;
  for (let i = 0; i < plan.weights.length; i++) {
    let ok = true;
    for (let k = 0; k < 3 && ok; k++) {
      const v = p[i * 3 + k];
      ok = v >= box.min[k] - margin && v <= box.max[k] + margin;
    }
    if (ok) inside.push(i);
  }
  if (inside.length === 0) return [];
  const centre: Vec3 = [
    (box.min[0] + box.max[0]) / 2,
    (box.min[1] + box.max[1]) / 2,
    (box.min[2] + box.max[2]) / 2,
  ];
  const radius = Math.max(
    0.05,
    Math.hypot(box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]) / 2,
  );
  const verticalFov =
    2 * Math.atan((Math.tan((o.horizontalFovDeg * Math.PI) / 360) * o.height) / o.width);
  const halfFov = Math.min((o.horizontalFovDeg * Math.PI) / 360, verticalFov / 2);
  const distance = radius / Math.sin(Math.min(Math.PI / 2 - 0.01, halfFov * o.objectViewFill));
  const { e1, e2, up } = frame;
  const ca = centre[0] * e1[0] + centre[1] * e1[1] + centre[2] * e1[2];
  const cb = centre[0] * e2[0] + centre[1] * e2[1] + centre[2] * e2[2];
  const candidates: { pose: Float64Array; seen: Uint8Array }[] = [];
  for (const clearance of [o.clearanceM, o.clearanceM / 2]) {
    for (const factor of [1, 1.35, 0.8, 0.6]) {
      const d = Math.max(distance * factor, radius + clearance);
      for (let k = 0; k < 8; k++) {
        const yaw = (2 * Math.PI * k) / 8;
        const a = ca + d * Math.cos(yaw);
        const b = cb + d * Math.sin(yaw);
        if (a < range.lo[0] || a > range.hi[0] || b < range.lo[1] || b > range.hi[1]) continue;
        for (const h of o.eyeHeightsM) {
          const eye = at(frame, a, b, h);
          if (!occupancy.isFree(eye, clearance)) continue;
          const pose = lookAtPose(eye, centre, up);
          const seen = scoreView(pose, inside);
          const picked = new Uint8Array(inside.length);
          for (let j = 0; j < inside.length; j++) picked[j] = seen[inside[j]];
          candidates.push({ pose, seen: picked });
        }
      }
    }
    if (candidates.length > 0) break;
  }
  const chosen: PlannedView[] = [];
  const covered = new Uint8Array(inside.length);
  while (chosen.length < o.objectViewsPerBox) {
    let best = -1;
    let bestGain = 0;
    candidates.forEach((c, k) => {
      let gain = 0;
      for (let j = 0; j < inside.length; j++) {
        if (c.seen[j] && !covered[j]) gain += plan.weights[inside[j]];
      }
      if (gain > bestGain) {
        bestGain = gain;
        best = k;
      }
    });
    if (best < 0) break;
    const c = candidates[best];
    for (let j = 0; j < inside.length; j++) if (c.seen[j]) covered[j] = 1;
    chosen.push({
      name: `object-${boxIndex}-${chosen.length}`,
      kind: 'object',
      boxIndex,
      intrinsics: intrinsicsFromFov(o.width, o.height, o.horizontalFovDeg),
      cameraToWorld: c.pose,
    });
    candidates.splice(best, 1);
  }
  return chosen;
}
