/**
 * The generated demo room as a Scene: layout → cameras → point cloud (surfaces seen by the
 * cameras) → lazily rendered RGB-D frames with per-pixel instance ids → GT objects. Deterministic
 * for a given seed and options, pure TypeScript, fast enough for the browser worker.
 */
import { DEMO_ROOM_DEFAULTS } from '../pipeline/defaults';
import type { GtObject, RgbdFrame, Scene } from '../pipeline/scene/types';
import { seededRng } from './prng';
import { DEMO_DEPTH_SCALE, renderView, type RenderedView } from './ray-caster';
import { generateClutteredLayout } from './cluttered-layout';
import { generateRoomLayout, type RoomLayout } from './room-layout';
import { RoomTracer } from './room-tracer';
import { sampleRoomSurfaces } from './surface-sampler';
import { planViews, type PlannedView } from './view-planner';

/** Bump when the generator's output changes for the same options (invalidates cached bundles). */
export const DEMO_ROOM_GENERATOR_VERSION = 7;
export const DEMO_ROOM_NAME = 'demo-room';
export const CLUTTERED_ROOM_NAME = 'cluttered-room';

/**
 * Which room: 'demo' (ten objects of ten colours, well apart) or 'cluttered' (eleven objects,
 * two chairs of one colour touching the table, a television on the cabinet, objects touching the
 * walls, a flat rug; `cluttered-layout.ts`).
 */
export type DemoRoomLayoutKind = 'demo' | 'cluttered';
export const DEMO_ROOM_LAYOUTS: readonly DemoRoomLayoutKind[] = ['demo', 'cluttered'];

/** The scene (and bundle folder) name of each layout. */
export function demoRoomSceneName(layout: DemoRoomLayoutKind): string {
  return layout === 'cluttered' ? CLUTTERED_ROOM_NAME : DEMO_ROOM_NAME;
}

export function generateLayout(layout: DemoRoomLayoutKind, seed: number): RoomLayout {
  return layout === 'cluttered' ? generateClutteredLayout(seed) : generateRoomLayout(seed);
}

export interface DemoRoomOptions {
  /** Default 'demo'. */
  layout?: DemoRoomLayoutKind;
  seed?: number;
  width?: number;
  height?: number;
  views?: number;
  horizontalFovDeg?: number;
  objectPointSpacing?: number;
  shellPointSpacing?: number;
}

export type ResolvedDemoRoomOptions = Required<DemoRoomOptions>;

export interface DemoRoom {
  scene: Scene;
  layout: RoomLayout;
  views: PlannedView[];
  options: ResolvedDemoRoomOptions;
}

export function resolveDemoRoomOptions(options: DemoRoomOptions = {}): ResolvedDemoRoomOptions {
  const o: ResolvedDemoRoomOptions = { ...DEMO_ROOM_DEFAULTS, layout: 'demo' };
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  }
  if (!DEMO_ROOM_LAYOUTS.includes(o.layout)) {
    throw new RangeError(
      `demo room: layout must be one of ${DEMO_ROOM_LAYOUTS.join(', ')}, got ${String(o.layout)}`,
    );
  }
  const positiveInt = (name: 'width' | 'height' | 'views', max: number) => {
    const v = o[name];
    if (!Number.isInteger(v) || v < 1 || v > max) {
      throw new RangeError(`demo room: ${name} must be an integer in 1..${max}, got ${v}`);
    }
  };
  positiveInt('width', 4096);
  positiveInt('height', 4096);
  positiveInt('views', 1000);
  if (!Number.isInteger(o.seed)) throw new RangeError(`demo room: seed must be an integer`);
  if (!(o.horizontalFovDeg > 10 && o.horizontalFovDeg < 150)) {
    throw new RangeError(`demo room: horizontalFovDeg must be in (10, 150)`);
  }
  // Below ~3 mm the cloud would run to millions of points.
  for (const k of ['objectPointSpacing', 'shellPointSpacing'] as const) {
    if (!(o[k] >= 0.003 && o[k] <= 0.5))
      throw new RangeError(`demo room: ${k} must be in [0.003, 0.5]`);
  }
  return o;
}

export function buildDemoRoom(options: DemoRoomOptions = {}): DemoRoom {
  const opts = resolveDemoRoomOptions(options);
  const layout = generateLayout(opts.layout, opts.seed);
  const tracer = new RoomTracer(layout);
  const views = planViews(layout, {
    count: opts.views,
    width: opts.width,
    height: opts.height,
    horizontalFovDeg: opts.horizontalFovDeg,
  });
  // Separate stream from the layout's, so changing the spacing leaves the furniture where it is.
  const cloud = sampleRoomSurfaces(layout, tracer, views, seededRng(opts.seed ^ 0x5eed5eed), {
    objectSpacing: opts.objectPointSpacing,
    shellSpacing: opts.shellPointSpacing,
  });

  // One render serves loadColor, loadDepth and loadInstances of the same frame; only the last
  // one is kept so a long pass over all frames holds one frame's pixels at a time.
  let cached: { index: number; view: RenderedView } | undefined;
  const rendered = (index: number): RenderedView => {
    if (cached?.index !== index) {
      const v = views[index];
      cached = {
        index,
        view: renderView(tracer, v.intrinsics, v.cameraToWorld, {
          noiseSeed: opts.seed,
          viewIndex: index,
        }),
      };
    }
    return cached.view;
  };

  const frames: RgbdFrame[] = views.map((v, index) => ({
    index,
    name: `view-${String(index).padStart(3, '0')}`,
    intrinsics: { ...v.intrinsics },
    depthIntrinsics: { ...v.intrinsics },
    cameraToWorld: v.cameraToWorld,
    loadColor: async () => {
      const r = rendered(index);
      return { width: r.width, height: r.height, data: r.color.slice() };
    },
    loadDepth: async () => {
      const r = rendered(index);
      return {
        width: r.width,
        height: r.height,
        data: r.depth.slice(),
        depthScale: DEMO_DEPTH_SCALE,
        invalidValues: [0],
      };
    },
    loadInstances: async () => rendered(index).instances.slice(),
  }));

  const ids = cloud.instanceIds!;
  const objects: GtObject[] = layout.objects.map((o) => {
    const pointIds: number[] = [];
    for (let i = 0; i < ids.length; i++) if (ids[i] === o.id) pointIds.push(i);
    return {
      id: o.id,
      label: o.label,
      colorName: o.colorName,
      aabb: { min: [...o.aabb.min], max: [...o.aabb.max] },
      pointIds: Uint32Array.from(pointIds),
    };
  });

  const scene: Scene = {
    name: demoRoomSceneName(opts.layout),
    format: 'generated',
    cloud,
    frames,
    objects,
    warnings: [],
  };
  return { scene, layout, views, options: opts };
}

/** The demo (or cluttered) room as a Scene (see buildDemoRoom for the layout and cameras as well). */
export function generateDemoRoom(options: DemoRoomOptions = {}): Scene {
  return buildDemoRoom(options).scene;
}
