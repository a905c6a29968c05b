/**
 * Infers a scan's up direction and floor height from its points alone.
 *
 * Scans are gravity-aligned along a world axis in practice (ScanNet, Matterport: +z; Polycam,
 * glTF-style exports: +y; SLAM frames: often −y), but which axis and sign varies, so all six are
 * tried. Per axis, the points' coordinates are histogrammed in 2 cm bins: a floor (or ceiling) is
 * the largest thin slab near one end of the range, and rooms are 1.6–6 m tall. Of the axis's two
 * ends, the floor is the one with more points within a metre of it (furniture stands on floors;
 * ceilings are bare and often missing from scans).
 */
import { UnsupportedError } from '../errors';
import { normalise3 } from './camera-model';
import type { Vec3 } from './types';

export interface FloorEstimate {
  /** Unit up direction. */
  up: Vec3;
  /** Height of the floor along `up` (up · point), metres. */
  floorHeight: number;
  /** A robust top of the scene along `up` (99.8th percentile). */
  topHeight: number;
  /** True when a floor slab was found; false: floorHeight is the robust bottom of the points. */
  floorFound: boolean;
}

const SAMPLE_POINTS = 200_000;
const BIN_M = 0.02;
const MAX_BINS = 4096;
/** A floor slab lies within this share of the range from its end. */
const END_SHARE = 0.15;
/** Smallest share of the points in one bin for it to count as a floor slab. */
const MIN_SLAB_SHARE = 0.01;
const PLAUSIBLE_HEIGHT_M: [number, number] = [1.6, 6];
const NEAR_FLOOR_M = 1;

interface AxisProfile {
  lo: number;
  hi: number;
  binWidth: number;
  bins: Float64Array;
  /** Sorted sample coordinates along the axis. */
  sorted: Float64Array;
}

/** Infers up and floor; pass `up` to fix the direction and only find the floor along it. */
export function inferFloor(positions: Float32Array, up?: Vec3): FloorEstimate {
  const sample = finiteSample(positions);
  if (sample.length === 0) throw new UnsupportedError('no finite points to find a floor in');
  if (up) {
    const u = normalise3(up);
    if (!Number.isFinite(u[0])) throw new UnsupportedError('up must be a non-zero finite vector');
    return floorAlong(sample, u);
  }
  let best: { score: number; up: Vec3 } | undefined;
  for (let axis = 0; axis < 3; axis++) {
    const dir: Vec3 = [0, 0, 0];
    dir[axis] = 1;
    const profile = axisProfile(sample, dir);
    const extent = profile.hi - profile.lo;
    if (!(extent > 0)) continue;
    const low = slabNearEnd(profile, 'low');
    const high = slabNearEnd(profile, 'high');
    const plausible = extent >= PLAUSIBLE_HEIGHT_M[0] && extent <= PLAUSIBLE_HEIGHT_M[1];
    const score = Math.max(low.share, high.share) * (plausible ? 1 : 0.5);
    // The floor end: more mass within a metre (or 40 % of the range) of it.
    const reach = Math.min(NEAR_FLOOR_M, 0.4 * extent);
    const nearLow = countBelow(profile.sorted, profile.lo + reach);
    const nearHigh = profile.sorted.length - countBelow(profile.sorted, profile.hi - reach);
    const sign = nearLow >= nearHigh ? 1 : -1;
    // Ties between axes go to the first (x < y < z is arbitrary; scores rarely tie exactly).
    if (!best || score > best.score) {
      const u: Vec3 = [0, 0, 0];
      u[axis] = sign;
      best = { score, up: u };
    }
  }
  if (!best) {
    // All points coincide: any up will do.
    return floorAlong(sample, [0, 0, 1]);
  }
  return floorAlong(sample, best.up);
}

function floorAlong(sample: Float64Array, up: Vec3): FloorEstimate {
  const profile = axisProfile(sample, up);
  const slab = slabNearEnd(profile, 'low');
  const found = slab.share >= MIN_SLAB_SHARE;
  let floorHeight = profile.lo;
  if (found) {
    // Mean of the points in the slab's bin: sub-bin precision, no pull from objects above it.
    const a = profile.lo + slab.bin * profile.binWidth;
    const b = a + profile.binWidth;
    const from = countBelow(profile.sorted, a);
    const to = countBelow(profile.sorted, b);
    let sum = 0;
    for (let i = from; i < to; i++) sum += profile.sorted[i];
    if (to > from) floorHeight = sum / (to - from);
  }
  return {
    up: [up[0] + 0, up[1] + 0, up[2] + 0],
    floorHeight,
    topHeight: profile.hi,
    floorFound: found,
  };
}

/** xyz of at most SAMPLE_POINTS finite points, evenly strided. */
function finiteSample(positions: Float32Array): Float64Array {
  const n = positions.length / 3;
  const stride = Math.max(1, Math.floor(n / SAMPLE_POINTS));
  const out: number[] = [];
  for (let i = 0; i < n; i += stride) {
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    if (Number.isFinite(x + y + z)) out.push(x, y, z);
  }
  return Float64Array.from(out);
}

function axisProfile(sample: Float64Array, dir: Vec3): AxisProfile {
  const n = sample.length / 3;
  const sorted = new Float64Array(n);
  const [dx, dy, dz] = dir;
  for (let i = 0; i < n; i++) {
    sorted[i] = dx * sample[i * 3] + dy * sample[i * 3 + 1] + dz * sample[i * 3 + 2];
  }
  sorted.sort();
  // Robust range: outliers beyond the 0.2 / 99.8 percentiles do not stretch it.
  const lo = sorted[Math.floor((n - 1) * 0.002)];
  const hi = sorted[Math.ceil((n - 1) * 0.998)];
  const binWidth = Math.max(BIN_M, (hi - lo) / MAX_BINS);
  const binCount = Math.max(1, Math.ceil((hi - lo) / binWidth) + 1);
  const bins = new Float64Array(binCount);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((sorted[i] - lo) / binWidth);
    if (b >= 0 && b < binCount) bins[b] += 1 / n;
  }
  return { lo, hi, binWidth, bins, sorted };
}

/** The fullest bin within END_SHARE of the range from one end: its index and share of points. */
function slabNearEnd(profile: AxisProfile, end: 'low' | 'high'): { bin: number; share: number } {
  const { bins } = profile;
  const span = Math.max(1, Math.ceil(bins.length * END_SHARE));
  let bin = end === 'low' ? 0 : bins.length - 1;
  let share = 0;
  for (let k = 0; k < span && k < bins.length; k++) {
    const b = end === 'low' ? k : bins.length - 1 - k;
    if (bins[b] > share) {
      share = bins[b];
      bin = b;
    }
  }
  return { bin, share };
}

/** Number of sorted values < x. */
function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
