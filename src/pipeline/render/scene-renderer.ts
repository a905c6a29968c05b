/**
 * Renders views of a scene's cloud: triangles where it has faces, density-sized point splats
 * where it has none. Preparation (validation, the point spacing estimate) happens once; each
 * render then costs one pass over the triangles or points.
 */
import { RENDER_DEFAULTS } from '../defaults';
import { UnsupportedError } from '../errors';
import type { PointCloud } from '../scene/types';
import { checkDepthRange } from './camera-model';
import { MeshRasteriser } from './mesh-rasteriser';
import { estimatePointSpacing } from './point-spacing';
import { PointSplatter, type SplatShape } from './point-splatter';
import { finishTarget, prepareTarget } from './render-target';
import type { CameraView, RenderedImages } from './types';

export interface RenderOptions {
  nearM: number;
  farM: number;
  background: readonly [number, number, number];
  /** 'auto': triangles when the cloud has faces, splats otherwise. */
  mode: 'auto' | 'mesh' | 'points';
  splatShape: SplatShape;
  splatRadiusFactor: number;
  maxSplatRadiusPx: number;
  spacingPointsPerVoxel: number;
  spacingMaxOverMedian: number;
  /** Lay splats in each point's tangent plane (the cloud's normals, else estimated ones). */
  orientSplats: boolean;
}

export function renderOptionsWithDefaults(options: Partial<RenderOptions> = {}): RenderOptions {
  const o: RenderOptions = {
    nearM: options.nearM ?? RENDER_DEFAULTS.nearM,
    farM: options.farM ?? RENDER_DEFAULTS.farM,
    background: options.background ?? RENDER_DEFAULTS.background,
    mode: options.mode ?? RENDER_DEFAULTS.mode,
    splatShape: options.splatShape ?? RENDER_DEFAULTS.splatShape,
    splatRadiusFactor: options.splatRadiusFactor ?? RENDER_DEFAULTS.splatRadiusFactor,
    maxSplatRadiusPx: options.maxSplatRadiusPx ?? RENDER_DEFAULTS.maxSplatRadiusPx,
    spacingPointsPerVoxel: options.spacingPointsPerVoxel ?? RENDER_DEFAULTS.spacingPointsPerVoxel,
    spacingMaxOverMedian: options.spacingMaxOverMedian ?? RENDER_DEFAULTS.spacingMaxOverMedian,
    orientSplats: options.orientSplats ?? RENDER_DEFAULTS.orientSplats,
  };
  checkDepthRange(o);
  if (o.background.length !== 3 || o.background.some((c) => !(c >= 0 && c <= 255))) {
    throw new UnsupportedError(`background must be three values in 0..255`);
  }
  return o;
}

export class SceneRenderer {
  readonly mode: 'mesh' | 'points';
  private readonly options: RenderOptions;
  private readonly mesh?: MeshRasteriser;
  private readonly splats?: PointSplatter;
  private slack?: Float32Array;

  private constructor(
    mode: 'mesh' | 'points',
    options: RenderOptions,
    drawer: MeshRasteriser | PointSplatter,
  ) {
    this.mode = mode;
    this.options = options;
    if (drawer instanceof MeshRasteriser) this.mesh = drawer;
    else this.splats = drawer;
  }

  /** Prepares a renderer for a cloud (checks its arrays; estimates point spacing for splats). */
  static fromCloud(cloud: PointCloud, options: Partial<RenderOptions> = {}): SceneRenderer {
    const o = renderOptionsWithDefaults(options);
    const { positions, colors, faces } = cloud;
    if (positions.length % 3 !== 0 || colors.length !== positions.length) {
      throw new UnsupportedError(
        `cloud needs xyz and RGB per point, got ${positions.length} and ${colors.length} values`,
      );
    }
    const hasFaces = faces !== undefined && faces.length > 0;
    if (o.mode === 'mesh' && !hasFaces) {
      throw new UnsupportedError('mesh rendering asked for, but the cloud has no faces');
    }
    if (hasFaces && o.mode !== 'points') {
      return new SceneRenderer('mesh', o, new MeshRasteriser({ positions, colors, faces }));
    }
    const estimate = estimatePointSpacing(positions, {
      pointsPerVoxel: o.spacingPointsPerVoxel,
      maxOverMedian: o.spacingMaxOverMedian,
    });
    const given = cloud.normals && cloud.normals.length === positions.length;
    const normals = o.orientSplats ? (given ? cloud.normals : estimate.normals) : undefined;
    return SceneRenderer.fromPoints(positions, colors, estimate.spacing, o, normals);
  }

  /** A splat renderer with known per-point spacing (metres) and, optionally, normals. */
  static fromPoints(
    positions: Float32Array,
    colors: Uint8Array,
    spacing: Float32Array,
    options: Partial<RenderOptions> = {},
    normals?: Float32Array,
  ): SceneRenderer {
    const o = renderOptionsWithDefaults(options);
    const splats = new PointSplatter(
      positions,
      colors,
      spacing,
      { shape: o.splatShape, radiusFactor: o.splatRadiusFactor, maxRadiusPx: o.maxSplatRadiusPx },
      o.orientSplats ? normals : undefined,
    );
    return new SceneRenderer('points', o, splats);
  }

  /**
   * Extra depth tolerance per point for "is this point the visible surface" tests
   * (visibility.ts): twice each splat's radius for splats, undefined for meshes (exact surface).
   */
  visibilitySlack(): Float32Array | undefined {
    if (!this.splats) return undefined;
    this.slack ??= this.splats.worldRadii.map((r) => 2 * r);
    return this.slack;
  }

  /**
   * Renders one view. Pass the previous result as `reuse` to draw into its buffers (same size),
   * avoiding allocation in loops; the returned object is then that same object.
   */
  render(view: CameraView, reuse?: RenderedImages): RenderedImages {
    const o = this.options;
    const target = prepareTarget(view.intrinsics, view.cameraToWorld, o.farM, o.background, reuse);
    if (this.mesh) this.mesh.render(view, target, o);
    else this.splats!.render(view, target, o);
    return finishTarget(target);
  }
}
