/**
 * Rendered views as ordinary RGB-D frames for the existing fusion: colour, Uint16 depth with a
 * scale (0 = no surface), the exact intrinsics and camera-to-world pose they were rendered with,
 * and per-pixel instance ids when the cloud has them. Frames render lazily; one render serves
 * loadColor, loadDepth and loadInstances; the most recent renders are kept in memory, and an
 * optional external cache (e.g. stored with the scene) is consulted before rendering.
 */
import { RENDER_DEFAULTS } from '../defaults';
import { UnsupportedError } from '../errors';
import type { DepthImage, RgbdFrame, RgbImage, Scene } from '../scene/types';
import { checkIntrinsics } from './camera-model';
import { toDepthImage } from './render-target';
import { SceneRenderer, renderOptionsWithDefaults, type RenderOptions } from './scene-renderer';
import type { CameraView, RenderedImages } from './types';

/** What a frame needs from one render (what a cache stores). */
export interface CachedRender {
  color: RgbImage;
  depth: DepthImage;
  /** Per-pixel instance ids (−1: none), when the cloud has instance ids. */
  instances?: Int32Array;
}

/** A store for renders, keyed by renderKey(); the caller scopes it to one scene. */
export interface RenderCache {
  get(key: string): Promise<CachedRender | undefined>;
  set(key: string, value: CachedRender): Promise<void>;
}

export interface RenderedFrameOptions extends RenderOptions {
  depthScale: number;
  /** Renders kept in memory (most recent). */
  memoViews: number;
  cache?: RenderCache;
}

export interface NamedView extends CameraView {
  name: string;
}

/** Bump when renders change for the same inputs (invalidates cached renders). */
export const RENDERER_VERSION = 1;

/**
 * A stable key for a render of `view` with these options: the view's name, pose, intrinsics and
 * every option that changes pixels, hashed (FNV-1a over their text).
 */
export function renderKey(
  view: NamedView,
  options: RenderOptions & { depthScale: number },
): string {
  const parts = [
    RENDERER_VERSION,
    ...view.cameraToWorld,
    view.intrinsics.fx,
    view.intrinsics.fy,
    view.intrinsics.cx,
    view.intrinsics.cy,
    view.intrinsics.width,
    view.intrinsics.height,
    options.nearM,
    options.farM,
    ...options.background,
    options.mode,
    options.splatShape,
    options.splatRadiusFactor,
    options.maxSplatRadiusPx,
    options.spacingPointsPerVoxel,
    options.spacingMaxOverMedian,
    options.orientSplats,
    options.depthScale,
  ].join(',');
  let h = 0x811c9dc5;
  for (let i = 0; i < parts.length; i++) {
    h ^= parts.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `render-v${RENDERER_VERSION}-${view.name}-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Frames for the planned views of a scene's cloud (mesh triangles when it has faces, splats
 * otherwise). Throws UnsupportedError when the scene has no cloud or a view is unusable.
 */
export function renderedFrames(
  scene: Scene,
  plan: { views: readonly NamedView[] },
  options: Partial<RenderedFrameOptions> = {},
): RgbdFrame[] {
  const cloud = scene.cloud;
  if (!cloud || cloud.positions.length === 0) {
    throw new UnsupportedError(`${scene.name}: no points or mesh to render views of`);
  }
  const renderOptions = renderOptionsWithDefaults(options);
  const depthScale = options.depthScale ?? RENDER_DEFAULTS.depthScale;
  if (!(depthScale > 0 && Number.isFinite(depthScale))) {
    throw new UnsupportedError(`depthScale must be > 0, got ${depthScale}`);
  }
  const memoViews = Math.max(0, Math.floor(options.memoViews ?? RENDER_DEFAULTS.memoViews));
  const cache = options.cache;
  for (const v of plan.views) checkIntrinsics(v.intrinsics);

  let renderer: SceneRenderer | undefined;
  // Most recent first; each entry holds one finished render.
  const memo: { index: number; render: Promise<CachedRender> }[] = [];

  const renderNow = (view: NamedView): CachedRender => {
    renderer ??= SceneRenderer.fromCloud(cloud, renderOptions);
    const images: RenderedImages = renderer.render(view);
    const out: CachedRender = {
      color: { width: images.width, height: images.height, data: images.color },
      depth: toDepthImage(images, depthScale),
    };
    const instanceIds = cloud.instanceIds;
    if (instanceIds) {
      // Mesh pixels take the instance of their triangle's first vertex.
      const faces = renderer.mode === 'mesh' ? cloud.faces! : undefined;
      const ids = images.ids;
      const instances = new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        instances[i] = id < 0 ? -1 : instanceIds[faces ? faces[id * 3] : id];
      }
      out.instances = instances;
    }
    return out;
  };

  const load = (index: number): Promise<CachedRender> => {
    const hit = memo.findIndex((m) => m.index === index);
    if (hit >= 0) {
      const [entry] = memo.splice(hit, 1);
      memo.unshift(entry);
      return entry.render;
    }
    const view = plan.views[index];
    const render = (async () => {
      const key = cache ? renderKey(view, { ...renderOptions, depthScale }) : '';
      const stored = cache ? await cache.get(key) : undefined;
      // A stored render without the instance map this cloud can give is rendered again.
      if (stored && (!cloud.instanceIds || stored.instances)) return stored;
      const fresh = renderNow(view);
      if (cache) await cache.set(key, fresh);
      return fresh;
    })();
    if (memoViews > 0) {
      memo.unshift({ index, render });
      if (memo.length > memoViews) memo.length = memoViews;
    }
    // A failed render is not kept: the next call tries again.
    render.catch(() => {
      const k = memo.findIndex((m) => m.render === render);
      if (k >= 0) memo.splice(k, 1);
    });
    return render;
  };

  return plan.views.map((view, index) => {
    const frame: RgbdFrame = {
      index,
      name: view.name,
      intrinsics: { ...view.intrinsics },
      depthIntrinsics: { ...view.intrinsics },
      cameraToWorld: Float64Array.from(view.cameraToWorld),
      rendered: true,
      loadColor: async () => {
        const r = await load(index);
        return { width: r.color.width, height: r.color.height, data: r.color.data.slice() };
      },
      loadDepth: async () => {
        const r = await load(index);
        return {
          ...r.depth,
          data: r.depth.data.slice(),
          invalidValues: [...r.depth.invalidValues],
        };
      },
    };
    if (cloud.instanceIds) {
      frame.loadInstances = async () => {
        const r = await load(index);
        return r.instances!.slice();
      };
    }
    return frame;
  });
}
