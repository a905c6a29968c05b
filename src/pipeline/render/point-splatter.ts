/**
 * Point splatting with a z-buffer, for clouds without faces. Each point covers a square (or
 * disc) of radius factor × its local spacing (point-spacing.ts) projected to pixels, so a surface
 * sampled every s metres is closed at any resolution. The smallest radius still covers the
 * point's own pixel; the largest is capped (points right at the lens).
 *
 * With normals, splats lie in the point's tangent plane: each pixel gets the depth where its own
 * ray meets that plane (clamped to ±2 radii of the point's depth, for edge-on planes and bad
 * normals), so tilted surfaces come back flat instead of as camera-facing steps of up to
 * radius·tan(tilt). Without a usable normal a splat faces the camera at the point's depth.
 */
import { RENDER_DEFAULTS } from '../defaults';
import { UnsupportedError } from '../errors';
import { worldToCameraOrThrow } from './camera-model';
import type { CameraView, DepthRange, RenderedImages } from './types';

export type SplatShape = 'square' | 'disc';

export interface SplatOptions {
  shape: SplatShape;
  /** Splat radius (square: half side) in multiples of the point's spacing. */
  radiusFactor: number;
  maxRadiusPx: number;
}

/** A square of half side 0.5 px, or a disc of radius √½ px, always covers the nearest centre. */
const MIN_RADIUS_SQUARE = 0.5;
const MIN_RADIUS_DISC = Math.SQRT1_2;

export class PointSplatter {
  private readonly radii: Float32Array;
  private readonly options: SplatOptions;

  constructor(
    private readonly positions: Float32Array,
    private readonly colors: Uint8Array,
    /** Per-point spacing in metres (estimatePointSpacing). */
    spacing: Float32Array,
    options: Partial<SplatOptions> = {},
    /** Per-point normals (any length, any sign; NaN or zero = none) to orient splats. */
    private readonly normals?: Float32Array,
  ) {
    if (positions.length % 3 !== 0 || colors.length !== positions.length) {
      throw new UnsupportedError(
        `splats need xyz and RGB per point, got ${positions.length} and ${colors.length} values`,
      );
    }
    if (normals && normals.length !== positions.length) {
      throw new UnsupportedError(
        `splats need one normal per point, got ${normals.length / 3} for ${positions.length / 3}`,
      );
    }
    if (spacing.length * 3 !== positions.length) {
      throw new UnsupportedError(
        `splats need one spacing per point, got ${spacing.length} for ${positions.length / 3}`,
      );
    }
    this.options = {
      shape: options.shape ?? RENDER_DEFAULTS.splatShape,
      radiusFactor: options.radiusFactor ?? RENDER_DEFAULTS.splatRadiusFactor,
      maxRadiusPx: options.maxRadiusPx ?? RENDER_DEFAULTS.maxSplatRadiusPx,
    };
    const { radiusFactor, maxRadiusPx } = this.options;
    if (!(radiusFactor >= 0 && Number.isFinite(radiusFactor))) {
      throw new UnsupportedError(`splat radius factor must be ≥ 0, got ${radiusFactor}`);
    }
    if (!(maxRadiusPx >= 1 && maxRadiusPx <= 1024)) {
      throw new UnsupportedError(`max splat radius must be in [1, 1024] px, got ${maxRadiusPx}`);
    }
    this.radii = new Float32Array(spacing.length);
    for (let i = 0; i < spacing.length; i++) {
      const r = spacing[i] * radiusFactor;
      this.radii[i] = r > 0 && Number.isFinite(r) ? r : 0;
    }
  }

  get pointCount(): number {
    return this.radii.length;
  }

  /** Splat radius per point in metres (before the pixel limits). */
  get worldRadii(): Float32Array {
    return this.radii;
  }

  /** Draws every point into `target` (prepared by prepareTarget) as seen from `view`. */
  render(view: CameraView, target: RenderedImages, range: DepthRange): void {
    const m = worldToCameraOrThrow(view.cameraToWorld);
    const { fx, fy, cx, cy, width, height } = view.intrinsics;
    const { nearM, farM } = range;
    const disc = this.options.shape === 'disc';
    const minRadius = disc ? MIN_RADIUS_DISC : MIN_RADIUS_SQUARE;
    const maxRadius = Math.max(minRadius, this.options.maxRadiusPx);
    const positions = this.positions;
    const normals = this.normals;
    const colors = this.colors;
    const radii = this.radii;
    const depth = target.depth;
    const color = target.color;
    const ids = target.ids;
    const lastX = width - 1;
    const lastY = height - 1;
    const n = radii.length;
    for (let i = 0; i < n; i++) {
      const x = positions[i * 3];
      const y = positions[i * 3 + 1];
      const z = positions[i * 3 + 2];
      const zc = m[8] * x + m[9] * y + m[10] * z + m[11];
      if (!(zc >= nearM && zc < farM)) continue; // also skips NaN
      const xc = m[0] * x + m[1] * y + m[2] * z + m[3];
      const yc = m[4] * x + m[5] * y + m[6] * z + m[7];
      const iz = 1 / zc;
      const u = fx * xc * iz + cx;
      const v = fy * yc * iz + cy;
      const radius = radii[i];
      let rx = fx * radius * iz;
      let ry = fy * radius * iz;
      rx = rx < minRadius ? minRadius : rx > maxRadius ? maxRadius : rx;
      ry = ry < minRadius ? minRadius : ry > maxRadius ? maxRadius : ry;
      const x0 = Math.max(0, Math.ceil(u - rx));
      const x1 = Math.min(lastX, Math.floor(u + rx));
      const y0 = Math.max(0, Math.ceil(v - ry));
      const y1 = Math.min(lastY, Math.floor(v + ry));
      if (!(x0 <= x1 && y0 <= y1)) continue;
      // Depth at pixel (px, py) = k / (a·px + b·py + c): the tangent plane n·X = n·P along the
      // pixel's ray (x, y, 1) in camera space; a camera-facing splat is a = b = 0, c = 1, k = z.
      let a = 0;
      let b = 0;
      let c = 1;
      let k = zc;
      if (normals) {
        const nx = normals[i * 3];
        const ny = normals[i * 3 + 1];
        const nz = normals[i * 3 + 2];
        const nn = nx * nx + ny * ny + nz * nz;
        if (nn > 1e-12 && nn < Infinity) {
          const ncx = m[0] * nx + m[1] * ny + m[2] * nz;
          const ncy = m[4] * nx + m[5] * ny + m[6] * nz;
          const ncz = m[8] * nx + m[9] * ny + m[10] * nz;
          k = ncx * xc + ncy * yc + ncz * zc;
          a = ncx / fx;
          b = ncy / fy;
          c = ncz - a * cx - b * cy;
        }
      }
      const lo = Math.max(nearM, zc - 2 * radius);
      const hi = zc + 2 * radius;
      const r = colors[i * 3];
      const g = colors[i * 3 + 1];
      const bl = colors[i * 3 + 2];
      const irx2 = 1 / (rx * rx);
      const iry2 = 1 / (ry * ry);
      for (let py = y0; py <= y1; py++) {
        const dv = py - v;
        const dv2 = dv * dv * iry2;
        const rowDenominator = b * py + c;
        let index = py * width + x0;
        for (let px = x0; px <= x1; px++, index++) {
          if (disc) {
            const du = px - u;
            if (du * du * irx2 + dv2 > 1) continue;
          }
          let d = k / (a * px + rowDenominator);
          if (d > hi) d = hi;
          else if (!(d >= lo)) d = lo; // also NaN (a degenerate plane)
          if (d < depth[index]) {
            depth[index] = d;
            ids[index] = i;
            const o = index * 3;
            color[o] = r;
            color[o + 1] = g;
            color[o + 2] = bl;
          }
        }
      }
    }
  }
}
