/**
 * A point cloud from RGB-D frames: back-project the valid depth of every k-th frame to world
 * coordinates, colour each point from the colour image, and voxel-downsample (mean position and
 * colour per voxel).
 *
 * Readers of RGB-D-only formats leave `scene.cloud` undefined (opening stays cheap); callers that
 * need points call `ensureCloud(scene, options)`, which reconstructs once and stores the result
 * in `scene.cloud`. `reconstructionOf(scene)` tells whether (and how) the cloud was reconstructed.
 */
import { SCENE_DEFAULTS } from '../defaults';
import { UnsupportedError, throwIfAborted } from '../errors';
import { VoxelAccumulator } from '../geometry/voxel-grid';
import { progressTracker, type WorkOptions } from '../progress';
import type { PointCloud, RgbdFrame, Scene } from './types';

export interface ReconstructOptions extends WorkOptions {
  /**
   * Use every k-th frame (1 = all), a positive integer. Unset: the smallest stride whose frames
   * fit `maxRawPoints` (1 for most scans).
   */
  frameStride?: number;
  /** Voxel edge in metres (one mean point per occupied voxel). */
  voxelSize?: number;
  /** Depth beyond this many metres is ignored. */
  maxDepth?: number;
  /** Back-projected depth pixels allowed when the stride is chosen (not when it is given). */
  maxRawPoints?: number;
}

export interface ReconstructionSummary {
  frameStride: number;
  /** 'option': the stride asked for; 'budget': the smallest that fits `pointBudget`. */
  strideFrom: 'option' | 'budget';
  voxelSize: number;
  maxDepth: number;
  framesUsed: number;
  /** Frames of the scan (framesUsed = ceil(framesTotal / frameStride)). */
  framesTotal: number;
  /** The back-projected pixel budget the stride was chosen for. */
  pointBudget: number;
  /** Back-projected points before downsampling. */
  rawPoints: number;
  pointCount: number;
}

const summaries = new WeakMap<Scene, ReconstructionSummary>();

/** How the scene's cloud was reconstructed, or undefined if it came from a file (or none). */
export function reconstructionOf(scene: Scene): ReconstructionSummary | undefined {
  return summaries.get(scene);
}

function positive(name: string, value: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new UnsupportedError(
      `reconstruction ${name} must be a positive number${unit}, got ${value}`,
    );
  }
  return value;
}

/** Depth pixels of every `stride`-th frame: what a reconstruction with that stride back-projects. */
function pixelsAtStride(frames: readonly RgbdFrame[], stride: number): number {
  let pixels = 0;
  for (let i = 0; i < frames.length; i += stride) {
    pixels += frames[i].depthIntrinsics.width * frames[i].depthIntrinsics.height;
  }
  return pixels;
}

/**
 * The smallest stride whose frames back-project at most `budget` pixels (1 when the scan fits;
 * at worst one frame per scan, which is taken even if it alone is over).
 */
export function strideForBudget(frames: readonly RgbdFrame[], budget: number): number {
  let stride = 1;
  while (stride < frames.length && pixelsAtStride(frames, stride) > budget) stride++;
  return stride;
}

/** The options checked (typed errors naming the option) and the stride decided. */
export function resolveReconstruction(scene: Scene, options: ReconstructOptions = {}) {
  const voxelSize = positive(
    'voxel size',
    options.voxelSize ?? SCENE_DEFAULTS.reconstructVoxelSize,
    ' of metres',
  );
  const maxDepth = positive(
    'max depth',
    options.maxDepth ?? SCENE_DEFAULTS.reconstructMaxDepth,
    ' of metres',
  );
  const pointBudget = positive(
    'point budget',
    options.maxRawPoints ?? SCENE_DEFAULTS.reconstructMaxRawPoints,
    '',
  );
  const asked = options.frameStride;
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) {
    throw new UnsupportedError(
      `reconstruction frame stride must be a positive integer (1 = every frame), got ${asked}`,
    );
  }
  const frameStride = asked ?? strideForBudget(scene.frames, pointBudget);
  const strideFrom: ReconstructionSummary['strideFrom'] = asked === undefined ? 'budget' : 'option';
  return { frameStride, strideFrom, voxelSize, maxDepth, pointBudget };
}

/** Adds one frame's valid depth pixels to the accumulator; returns how many points it added. */
export async function accumulateFrame(
  frame: RgbdFrame,
  grid: VoxelAccumulator,
  maxDepth: number,
): Promise<number> {
  const depth = await frame.loadDepth();
  const color = await frame.loadColor();
  const dk = frame.depthIntrinsics;
  const ck = frame.intrinsics;
  const invalid = new Uint8Array(65536);
  for (const v of depth.invalidValues) invalid[v & 0xffff] = 1;
  invalid[0] = 1;
  const m = frame.cameraToWorld;
  const sameSize = color.width === depth.width && color.height === depth.height;
  const rgb = color.data;
  const inverseScale = 1 / depth.depthScale;
  let added = 0;
  for (let v = 0; v < depth.height; v++) {
    const yn = (v - dk.cy) / dk.fy;
    for (let u = 0; u < depth.width; u++) {
      const raw = depth.data[v * depth.width + u];
      if (invalid[raw]) continue;
      const z = raw * inverseScale;
      if (z > maxDepth) continue;
      const xc = ((u - dk.cx) / dk.fx) * z;
      const yc = yn * z;
      let ci: number;
      if (sameSize) ci = (v * color.width + u) * 3;
      else {
        // Depth is registered to the colour camera: project the camera point with colour K.
        const uc = Math.round((ck.fx * xc) / z + ck.cx);
        const vc = Math.round((ck.fy * yc) / z + ck.cy);
        if (uc < 0 || vc < 0 || uc >= color.width || vc >= color.height) continue;
        ci = (vc * color.width + uc) * 3;
      }
      grid.add(
        m[0] * xc + m[1] * yc + m[2] * z + m[3],
        m[4] * xc + m[5] * yc + m[6] * z + m[7],
        m[8] * xc + m[9] * yc + m[10] * z + m[11],
        rgb[ci],
        rgb[ci + 1],
        rgb[ci + 2],
      );
      added++;
    }
  }
  return added;
}

export async function reconstructCloud(
  scene: Scene,
  options: ReconstructOptions = {},
): Promise<{ cloud: PointCloud; summary: ReconstructionSummary }> {
  const { frameStride, strideFrom, voxelSize, maxDepth, pointBudget } = resolveReconstruction(
    scene,
    options,
  );
  const selected = scene.frames.filter((_, i) => i % frameStride === 0);
  const grid = new VoxelAccumulator(voxelSize);
  const report = progressTracker('reconstruct', selected.length, 'frames', options.onProgress);
  let rawPoints = 0;
  for (let i = 0; i < selected.length; i++) {
    throwIfAborted(options.signal);
    rawPoints += await accumulateFrame(selected[i], grid, maxDepth);
    report(i + 1);
  }
  throwIfAborted(options.signal);
  const cloud = grid.toCloud();
  return {
    cloud,
    summary: {
      frameStride,
      strideFrom,
      voxelSize,
      maxDepth,
      framesUsed: selected.length,
      framesTotal: scene.frames.length,
      pointBudget,
      rawPoints,
      pointCount: cloud.positions.length / 3,
    },
  };
}

/**
 * The scene's cloud, reconstructing it from the frames (once) when the source had none.
 * Returns undefined for a scene with neither. Options are checked even when the cloud exists.
 */
export async function ensureCloud(
  scene: Scene,
  options: ReconstructOptions = {},
): Promise<PointCloud | undefined> {
  if (scene.frames.length > 0) resolveReconstruction(scene, options);
  if (scene.cloud) return scene.cloud;
  if (scene.frames.length === 0) return undefined;
  const { cloud, summary } = await reconstructCloud(scene, options);
  scene.cloud = cloud;
  summaries.set(scene, summary);
  return cloud;
}

/**
 * The scene as it was opened, before its cloud was reconstructed: a copy to reconstruct again
 * with other options (ensureCloud), while the original keeps its cloud until the copy is ready
 * (a cancelled or failed reconstruction changes nothing). Refuses a scene whose points came from
 * a file (that cloud is the scan, not a reconstruction) or that has no frames.
 */
export function sceneToReconstruct(scene: Scene): Scene {
  if (scene.frames.length === 0) {
    throw new UnsupportedError(`${scene.name}: no RGB-D frames to reconstruct a cloud from`);
  }
  if (scene.cloud && !summaries.has(scene)) {
    throw new UnsupportedError(
      `${scene.name}: its points come from a file, not from its frames; there is nothing to reconstruct`,
    );
  }
  return { ...scene, cloud: undefined, warnings: [...scene.warnings] };
}
