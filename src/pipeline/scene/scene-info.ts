import {
  ensureCloud,
  reconstructionOf,
  type ReconstructOptions,
  type ReconstructionSummary,
} from './reconstruct';
import type { Aabb, PointCloud, Scene, SceneInfo } from './types';

export function cloudBounds(cloud: PointCloud): Aabb | undefined {
  const p = cloud.positions;
  if (p.length < 3) return undefined;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      const v = p[i + a];
      if (v < min[a]) min[a] = v;
      if (v > max[a]) max[a] = v;
    }
  }
  return { min, max };
}

export interface SceneInfoOptions extends ReconstructOptions {
  /** Reconstruct a cloud from the frames when the scene has none (RGB-D-only formats). */
  reconstruct?: boolean;
}

/** SceneInfo plus where the point count comes from. */
export interface SceneInfoReport extends SceneInfo {
  /** 'file': the source's own cloud; 'reconstructed': back-projected from the frames. */
  cloudSource: 'file' | 'reconstructed' | 'none';
  /** Settings and counts of the reconstruction, when cloudSource is 'reconstructed'. */
  reconstruction?: ReconstructionSummary;
}

/**
 * Plain-data summary: what `info` prints and what the worker sends the viewer. With
 * `reconstruct: true`, an RGB-D-only scene gets its cloud built first (see ensureCloud).
 */
export async function sceneInfo(
  scene: Scene,
  options: SceneInfoOptions = {},
): Promise<SceneInfoReport> {
  if (options.reconstruct) await ensureCloud(scene, options);
  const first = scene.frames[0];
  let depthScale: number | undefined;
  if (first) depthScale = (await first.loadDepth()).depthScale;
  const reconstruction = reconstructionOf(scene);
  return {
    name: scene.name,
    format: scene.format,
    frameCount: scene.frames.length,
    imageSizes: first
      ? {
          color: [first.intrinsics.width, first.intrinsics.height],
          depth: [first.depthIntrinsics.width, first.depthIntrinsics.height],
        }
      : {},
    intrinsics: first?.intrinsics,
    depthScale,
    pointCount: scene.cloud ? scene.cloud.positions.length / 3 : 0,
    cloudSource: !scene.cloud ? 'none' : reconstruction ? 'reconstructed' : 'file',
    reconstruction,
    bounds: scene.cloud ? cloudBounds(scene.cloud) : undefined,
    objectCount: scene.objects?.length ?? 0,
    warnings: scene.warnings,
  };
}
