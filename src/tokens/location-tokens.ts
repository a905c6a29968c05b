/**
 * 3D-LLM-style location tokens: an axis-aligned box as six `<locK>` tokens in the order
 * xmin ymin zmin xmax ymax zmax. Each axis is split into `bins` equal bins over the scene
 * normalisation (centroid c0, radius r, as stored in the feature bundle), i.e. over
 * [c0 - r, c0 + r). For bins = 256 this is 3D-LLM's voxel grid: bin = floor((c - c0)/r*128 + 128),
 * clamped to 0..255, and a bin decodes to its centre.
 */

/** Scene normalisation: 3D-LLM divides by the largest distance of a point to the centroid. */
export interface SceneNormalisation {
  centroid: [number, number, number];
  radius: number;
}

/** A box in metres, plain data (same shape as the scene model's Aabb). */
export interface LocationBox {
  min: [number, number, number];
  max: [number, number, number];
}

/** Six bins: xmin ymin zmin xmax ymax zmax. */
export type LocationBins = [number, number, number, number, number, number];

export const DEFAULT_LOCATION_BINS = 256;

/** Largest bin count we accept: keeps token numbers short and bin maths exact in float64. */
export const MAX_LOCATION_BINS = 1 << 20;

export class LocationTokenError extends Error {
  override name = 'LocationTokenError';
  readonly kind = 'location-token';
}

export function checkBinCount(bins: number): void {
  if (!Number.isInteger(bins) || bins < 2 || bins > MAX_LOCATION_BINS) {
    throw new LocationTokenError(
      `bin count must be an integer in 2..${MAX_LOCATION_BINS}, got ${bins}`,
    );
  }
}

export function checkNormalisation(norm: SceneNormalisation): void {
  const ok =
    Array.isArray(norm.centroid) &&
    norm.centroid.length === 3 &&
    norm.centroid.every(Number.isFinite) &&
    Number.isFinite(norm.radius) &&
    norm.radius > 0;
  if (!ok) {
    throw new LocationTokenError(
      'scene normalisation needs a finite 3D centroid and a positive finite radius',
    );
  }
}

/** Bin of one coordinate on one axis (clamped to the grid). */
export function coordinateToBin(
  value: number,
  center: number,
  radius: number,
  bins: number,
): number {
  if (!Number.isFinite(value)) throw new LocationTokenError(`coordinate is not finite: ${value}`);
  const half = bins / 2;
  const bin = Math.floor(((value - center) / radius) * half + half);
  return bin < 0 ? 0 : bin >= bins ? bins - 1 : bin;
}

/** Centre of one bin on one axis, in metres. */
export function binToCoordinate(bin: number, center: number, radius: number, bins: number): number {
  const half = bins / 2;
  return center + (bin + 0.5 - half) * (radius / half);
}

/** Width of one bin in metres (the decode error of a coordinate inside the grid is at most half). */
export function binSize(norm: SceneNormalisation, bins = DEFAULT_LOCATION_BINS): number {
  return (2 * norm.radius) / bins;
}

export function encodeBoxToBins(
  box: LocationBox,
  norm: SceneNormalisation,
  bins = DEFAULT_LOCATION_BINS,
): LocationBins {
  checkBinCount(bins);
  checkNormalisation(norm);
  const out = new Array<number>(6);
  for (let axis = 0; axis < 3; axis++) {
    const c = norm.centroid[axis];
    let lo = box.min[axis];
    let hi = box.max[axis];
    if (lo > hi) [lo, hi] = [hi, lo];
    out[axis] = coordinateToBin(lo, c, norm.radius, bins);
    out[axis + 3] = coordinateToBin(hi, c, norm.radius, bins);
  }
  return out as LocationBins;
}

export function decodeBinsToBox(
  locationBins: readonly number[],
  norm: SceneNormalisation,
  bins = DEFAULT_LOCATION_BINS,
): LocationBox {
  checkBinCount(bins);
  checkNormalisation(norm);
  if (locationBins.length !== 6) {
    throw new LocationTokenError(`a box needs 6 location bins, got ${locationBins.length}`);
  }
  for (const b of locationBins) {
    if (!Number.isInteger(b) || b < 0 || b >= bins) {
      throw new LocationTokenError(`location bin ${b} is not an integer in 0..${bins - 1}`);
    }
  }
  const min: [number, number, number] = [0, 0, 0];
  const max: [number, number, number] = [0, 0, 0];
  for (let axis = 0; axis < 3; axis++) {
    const c = norm.centroid[axis];
    const lo = Math.min(locationBins[axis], locationBins[axis + 3]);
    const hi = Math.max(locationBins[axis], locationBins[axis + 3]);
    min[axis] = binToCoordinate(lo, c, norm.radius, bins);
    max[axis] = binToCoordinate(hi, c, norm.radius, bins);
  }
  return { min, max };
}

/** `<loc12><loc40>...`: no separators, so each token is one vocabulary item. */
export function formatLocationTokens(locationBins: readonly number[]): string {
  return locationBins.map((b) => `<loc${b}>`).join('');
}

export function encodeBoxToTokens(
  box: LocationBox,
  norm: SceneNormalisation,
  bins = DEFAULT_LOCATION_BINS,
): string {
  return formatLocationTokens(encodeBoxToBins(box, norm, bins));
}
