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
import { throwIfAborted } from '../errors';
import { VoxelAccumulator } from '../geometry/voxel-grid';
import { progressTracker, type WorkOptions } from '../progress';
import type { PointCloud, RgbdFrame, Scene } from './types';

export interface ReconstructOptions extends WorkOptions {
  /** Use every k-th frame (1 = all). */
  frameStride?: number;
  /** Voxel edge in metres. */
  voxelSize?: number;
  /** Depth beyond this many metres is ignored. */
  maxDepth?: number;
}

export interface ReconstructionSummary {
  frameStride: number;
  voxelSize: number;
  maxDepth: number;
  framesUsed: number;
  /** Back-projected points before downsampling. */
  rawPoints: number;
  pointCount: number;
}

const summaries = new WeakMap<Scene, ReconstructionSummary>();

/** How the scene's cloud was reconstructed, or undefined if it came from a file (or none). */
export function reconstructionOf(scene: Scene): ReconstructionSummary | undefined {
  return summaries.get(scene);
}

function resolveOptions(options: ReconstructOptions) {
  const frameStride = Math.max(
    1,
    Math.floor(options.frameStride ?? SCENE_DEFAULTS.reconstructFrameStride),
  );
  const voxelSize = options.voxelSize ?? SCENE_DEFAULTS.reconstructVoxelSize;
  const maxDepth = options.maxDepth ?? SCENE_DEFAULTS.reconstructMaxDepth;
  if (!(voxelSize > 0) || !Number.isFinite(voxelSize)) {
    throw new RangeError(`voxelSize must be a positive number of metres, got ${voxelSize}`);
  }
  if (!(maxDepth > 0)) throw new RangeError(`maxDepth must be positive, got ${maxDepth}`);
  return { frameStride, voxelSize, maxDepth };
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
  const { frameStride, voxelSize, maxDepth } = resolveOptions(options);
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
      voxelSize,
      maxDepth,
      framesUsed: selected.length,
      rawPoints,
      pointCount: cloud.positions.length / 3,
    },
  };
}

/**
 * The scene's cloud, reconstructing it from the frames (once) when the source had none.
 * Returns undefined for a scene with neither.
 */
export async function ensureCloud(
  scene: Scene,
  options: ReconstructOptions = {},
): Promise<PointCloud | undefined> {
  if (scene.cloud) return scene.cloud;
  if (scene.frames.length === 0) return undefined;
  const { cloud, summary } = await reconstructCloud(scene, options);
  scene.cloud = cloud;
  summaries.set(scene, summary);
  return cloud;
}
