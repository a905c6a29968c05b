/**
 * Which points a rendered view sees: a point is seen when it projects into the image in front of
 * the camera and the rendered depth at its pixel (nearest pixel centre) is within
 * toleranceM + toleranceRelative·depth (+ its own extra tolerance, if given) of the point's own
 * depth, i.e. it is the visible surface. Splatted clouds pass twice each point's splat radius as
 * the extra: camera-facing splats of its neighbours stand proud of a tilted surface by up to
 * radius·tan(angle).
 */
import { worldToCameraOrThrow } from './camera-model';
import type { RenderedImages } from './types';

export interface VisibilityTolerance {
  toleranceM: number;
  toleranceRelative: number;
}

/**
 * Sets seen[i] = 1 for each point i (all points, or those in `subset`) that the view sees, and
 * returns how many were newly set. Points with non-finite coordinates are never seen.
 */
export function markSeenPoints(
  positions: Float32Array,
  view: RenderedImages,
  tolerance: VisibilityTolerance,
  seen: Uint8Array,
  subset?: ArrayLike<number>,
  /** Extra tolerance per point (metres), indexed like the points. */
  extraTolerance?: Float32Array,
): number {
  const m = worldToCameraOrThrow(view.cameraToWorld);
  const { fx, fy, cx, cy, width, height } = view.intrinsics;
  const depth = view.depth;
  const { toleranceM, toleranceRelative } = tolerance;
  const n = subset ? subset.length : positions.length / 3;
  let added = 0;
  for (let k = 0; k < n; k++) {
    const i = subset ? subset[k] : k;
    if (seen[i]) continue;
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    const zc = m[8] * x + m[9] * y + m[10] * z + m[11];
    if (!(zc > 0)) continue;
    const iz = 1 / zc;
    const u = Math.round(fx * (m[0] * x + m[1] * y + m[2] * z + m[3]) * iz + cx);
    const v = Math.round(fy * (m[4] * x + m[5] * y + m[6] * z + m[7]) * iz + cy);
    if (!(u >= 0 && u < width && v >= 0 && v < height)) continue;
    const d = depth[v * width + u];
    const extra = extraTolerance ? extraTolerance[i] : 0;
    if (d > 0 && Math.abs(d - zc) <= toleranceM + toleranceRelative * d + extra) {
      seen[i] = 1;
      added++;
    }
  }
  return added;
}
