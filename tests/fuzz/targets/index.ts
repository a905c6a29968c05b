/**
 * The fuzz targets, one module per reader family. Modules load lazily so a tree that lacks a
 * reader (the baseline, or a reader still being written) lists it as unavailable instead of
 * failing the whole run.
 */
import type { FuzzTarget } from '../types';

const MODULES: Record<string, () => Promise<{ targets: FuzzTarget[] }>> = {
  ply: () => import('./ply'),
  sens: () => import('./sens'),
  scannet: () => import('./scannet'),
  rgbd: () => import('./rgbd-folders'),
  'scene-bundle': () => import('./scene-bundle'),
  'feature-bundle': () => import('./feature-bundle'),
  npy: () => import('./npy'),
  images: () => import('./images'),
  onnx: () => import('./onnx'),
  'model-files': () => import('./model-files'),
  'text-files': () => import('./text-files'),
  tokens: () => import('./tokens'),
  'scan-folders': () => import('./scan-folders'),
  'cloud-files': () => import('./cloud-files'),
  torch: () => import('./torch'),
};

export async function loadTargets(): Promise<{ targets: FuzzTarget[]; unavailable: string[] }> {
  const targets: FuzzTarget[] = [];
  const unavailable: string[] = [];
  for (const [name, load] of Object.entries(MODULES)) {
    try {
      targets.push(...(await load()).targets);
    } catch (err) {
      unavailable.push(`${name}: ${String(err).slice(0, 200)}`);
    }
  }
  return { targets, unavailable };
}
