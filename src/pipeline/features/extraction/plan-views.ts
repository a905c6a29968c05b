/**
 * What an extraction will process, decided before any encoding: the points (the scene's cloud,
 * reconstructed from the frames when it has none), whether their accumulators fit the memory
 * budget, and the views: every `frameStride`-th captured frame with a usable pose, and/or views
 * rendered from the scene's mesh or points (extractionViews, for scans without frames).
 */
import { RENDER_DEFAULTS } from '../../defaults';
import { BudgetError, UnsupportedError } from '../../errors';
import { isFiniteMatrix } from '../../geometry/mat4';
import type { WorkOptions } from '../../progress';
import { renderedFrames, type CachedRender, type RenderCache } from '../../render/rendered-frames';
import { inferFloor } from '../../render/floor';
import { planViews as planRenderViews, type ViewPlan } from '../../render/view-planner';
import { ensureCloud } from '../../scene/reconstruct';
import type { Aabb, PointCloud, RgbdFrame, Scene } from '../../scene/types';
import { segmentScene } from '../../segment/segment-scene';
import { StructureKind, type SceneSegmentation } from '../../segment/types';
import { canonicalJson, Hasher } from '../cache-key';
import type { ExtractRequest } from './options';

/** The points to put features on; refuses a scene with none. */
export async function sceneCloud(scene: Scene, work: WorkOptions): Promise<PointCloud> {
  const cloud = await ensureCloud(scene, { signal: work.signal, onProgress: work.onProgress });
  if (!cloud || cloud.positions.length === 0) {
    throw new UnsupportedError(
      `${scene.name}: no points to put features on (no cloud and no frames)`,
    );
  }
  return cloud;
}

/**
 * Refuses, before any work, a cloud whose fusion sums (count × fusionDim) plus, when fusion
 * runs in a basis, the lifted D-dimensional features exceed `maxBytes`.
 */
export function checkFusionBudget(
  sceneName: string,
  count: number,
  D: number,
  fusionDim: number,
  maxBytes: number,
): void {
  const accBytes = count * fusionDim * 4 + (fusionDim < D ? count * D * 4 : 0);
  if (accBytes > maxBytes) {
    throw new BudgetError(
      `${sceneName}: ${count} points × ${D} dims need ${(accBytes / 2 ** 20).toFixed(0)} MiB, over the ` +
        `${(maxBytes / 2 ** 20).toFixed(0)} MiB budget; voxel-downsample the cloud first`,
    );
  }
}

/**
 * Every `frameStride`-th captured frame whose pose is finite (others are skipped with a warning),
 * then every rendered frame (the planner chose each of them; a stride would leave points unseen).
 * A scene without frames gets rendered views with the defaults (extractionViews does this with
 * progress, cancel and a store; this is for callers that go straight to extractFeatures).
 */
export function planViews(scene: Scene, frameStride: number, warnings: string[]): RgbdFrame[] {
  if (scene.frames.length === 0 && scene.cloud && scene.cloud.positions.length > 0) {
    const plan = planRenderViews(scene.cloud);
    warnings.push(...plan.warnings);
    return renderedFrames(scene, plan);
  }
  const frames: RgbdFrame[] = [];
  const captured = scene.frames.filter((f) => !f.rendered);
  for (let i = 0; i < captured.length; i += frameStride) {
    const f = captured[i];
    if (!isFiniteMatrix(f.cameraToWorld))
      warnings.push(`frame ${f.name}: pose has non-finite values; skipped`);
    else frames.push(f);
  }
  for (const f of scene.frames) if (f.rendered) frames.push(f);
  if (frames.length === 0) {
    throw new UnsupportedError(
      `${scene.name}: no usable views (${scene.frames.length} frames, stride ${frameStride})`,
    );
  }
  return frames;
}

// --- rendered views -------------------------------------------------------------------------

/** Where an extraction's views come from. */
export type ViewSource = 'captured' | 'rendered' | 'both';
export const VIEW_SOURCES: readonly ViewSource[] = ['captured', 'rendered', 'both'];

/** Without a choice: the captured frames when the scene has any, views rendered from it when not. */
export function defaultViewSource(scene: Scene): ViewSource {
  return scene.frames.length > 0 ? 'captured' : 'rendered';
}

/** The views asked for, checked; undefined when that is the scene's default (cache keys stay put). */
export function requestedViews(scene: Scene, views: unknown): ViewSource | undefined {
  if (views === undefined) return undefined;
  if (!VIEW_SOURCES.includes(views as ViewSource)) {
    throw new UnsupportedError(
      `views must be one of ${VIEW_SOURCES.join(', ')}, got '${String(views)}'`,
    );
  }
  return views === defaultViewSource(scene) ? undefined : (views as ViewSource);
}

/**
 * What a host keeps per open scene so that extracting again neither plans nor renders again:
 * view plans by their options, and renders (rendered-frames.ts' RenderCache).
 */
export interface ViewStore {
  plans: Map<string, ViewPlan>;
  renders: RenderCache;
}

/**
 * An in-memory store for one scene. Renders past `maxBytes` evict the oldest (a 512² view
 * with instance ids is about 2.4 MB); plans are small.
 */
export function memoryViewStore(maxBytes: number = RENDER_DEFAULTS.storeBytes): ViewStore {
  const renders = new Map<string, CachedRender>();
  let bytes = 0;
  const sizeOf = (r: CachedRender) =>
    r.color.data.byteLength + r.depth.data.byteLength + (r.instances?.byteLength ?? 0);
  return {
    plans: new Map(),
    renders: {
      get: async (key) => renders.get(key),
      set: async (key, value) => {
        const old = renders.get(key);
        if (old) bytes -= sizeOf(old);
        renders.delete(key);
        renders.set(key, value);
        bytes += sizeOf(value);
        for (const [k, r] of renders) {
          if (bytes <= maxBytes || k === key) break;
          renders.delete(k);
          bytes -= sizeOf(r);
        }
      },
    },
  };
}

export interface ExtractionViews {
  /** The scene with `frames` = the views to extract from (captured first, then rendered). */
  scene: Scene;
  views: ViewSource;
  /** The rendered frames among them (indices after the captured frames'). */
  rendered: RgbdFrame[];
  plan?: ViewPlan;
}

export interface ExtractionViewsWork extends WorkOptions {
  store?: ViewStore;
  /** The scene's segmentation, when the caller has it (else it is computed here). */
  segmentation?: SceneSegmentation;
}

/**
 * Boxes of the segmentation's whole objects (its object level; no floor, walls or ceiling),
 * largest first, for object-centric views.
 */
export function objectViewBoxes(
  seg: SceneSegmentation,
  maxBoxes: number = RENDER_DEFAULTS.maxObjectBoxes,
  minPoints: number = RENDER_DEFAULTS.minObjectBoxPoints,
): Aabb[] {
  const level = Math.max(0, seg.levelCount - 2);
  const picked: { size: number; box: Aabb }[] = [];
  for (let p = 0; p < seg.proposalCount; p++) {
    if (seg.level[p] !== level || seg.structure[p] !== StructureKind.None) continue;
    const size = seg.pointOffsets[p + 1] - seg.pointOffsets[p];
    if (size < minPoints) continue;
    const b = seg.bounds.subarray(p * 6, p * 6 + 6);
    picked.push({ size, box: { min: [b[0], b[1], b[2]], max: [b[3], b[4], b[5]] } });
  }
  picked.sort((a, b) => b.size - a.size);
  return picked.slice(0, maxBoxes).map((p) => p.box);
}

/**
 * The views an extraction uses, as a scene whose frames are those views. Rendered views are
 * planned on the scene's cloud (render/view-planner.ts: eye-height cameras chosen to see ≥ 95 %
 * of the points) and rendered lazily as ordinary RGB-D frames, so encoding and fusion are the
 * same for both. The scene itself is not changed (its fingerprint stays the captured one's).
 */
export async function extractionViews(
  scene: Scene,
  request: Pick<ExtractRequest, 'views' | 'renderViews'>,
  work: ExtractionViewsWork = {},
): Promise<ExtractionViews> {
  const views = requestedViews(scene, request.views) ?? defaultViewSource(scene);
  if (views === 'captured') {
    if (scene.frames.length === 0) {
      throw new UnsupportedError(
        `${scene.name}: no RGB-D frames to extract from; use rendered views (--views rendered)`,
      );
    }
    return { scene, views, rendered: [] };
  }
  const cloud = await sceneCloud(scene, work);
  const options = renderViewOptions(request.renderViews);
  const segmentation =
    work.segmentation ?? segmentScene(cloud, { up: inferFloor(cloud.positions).up }, work);
  const boxes = objectViewBoxes(segmentation);
  const boxHash = new Hasher().text(JSON.stringify(boxes)).hex();
  const planKey = `${canonicalJson(options)}:${boxHash}`;
  let plan = work.store?.plans.get(planKey);
  if (!plan) {
    plan = planRenderViews(cloud, {
      ...options,
      boxes,
      signal: work.signal,
      onProgress: work.onProgress,
    });
    work.store?.plans.set(planKey, plan);
  }
  const base = scene.frames.reduce((m, f) => Math.max(m, f.index + 1), 0);
  const rendered = renderedFrames({ ...scene, cloud }, plan, { cache: work.store?.renders }).map(
    (f, k) => ({ ...f, index: base + k }),
  );
  const frames = views === 'both' ? [...scene.frames, ...rendered] : rendered;
  return { scene: { ...scene, cloud, frames }, views, rendered, plan };
}

/** Rendered-view options with their documented defaults, checked. */
function renderViewOptions(o: ExtractRequest['renderViews'] = {}) {
  const resolved = {
    width: o.width ?? RENDER_DEFAULTS.width,
    height: o.height ?? RENDER_DEFAULTS.height,
    horizontalFovDeg: o.horizontalFovDeg ?? RENDER_DEFAULTS.horizontalFovDeg,
    maxViews: o.maxViews ?? RENDER_DEFAULTS.plan.maxViews,
    targetCoverage: o.targetCoverage ?? RENDER_DEFAULTS.plan.targetCoverage,
  };
  if (!(resolved.horizontalFovDeg > 10 && resolved.horizontalFovDeg < 170)) {
    throw new UnsupportedError(
      `rendered views' field of view must be in (10°, 170°), got ${resolved.horizontalFovDeg}`,
    );
  }
  // Image size, view count and coverage are checked by the planner.
  return resolved;
}
