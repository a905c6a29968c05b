/**
 * What an extraction will process, decided before any encoding: the points (the scene's cloud,
 * reconstructed from the frames when it has none), whether their accumulators fit the memory
 * budget, and the views (every `frameStride`-th frame with a usable pose).
 */
import { BudgetError, UnsupportedError } from '../../errors';
import { isFiniteMatrix } from '../../geometry/mat4';
import type { WorkOptions } from '../../progress';
import { ensureCloud } from '../../scene/reconstruct';
import type { PointCloud, RgbdFrame, Scene } from '../../scene/types';

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

/** Every `frameStride`-th frame whose pose is finite (others are skipped with a warning). */
export function planViews(scene: Scene, frameStride: number, warnings: string[]): RgbdFrame[] {
  const frames: RgbdFrame[] = [];
  for (let i = 0; i < scene.frames.length; i += frameStride) {
    const f = scene.frames[i];
    if (!isFiniteMatrix(f.cameraToWorld))
      warnings.push(`frame ${f.name}: pose has non-finite values; skipped`);
    else frames.push(f);
  }
  if (frames.length === 0) {
    throw new UnsupportedError(
      `${scene.name}: no usable views (${scene.frames.length} frames, stride ${frameStride})`,
    );
  }
  return frames;
}
