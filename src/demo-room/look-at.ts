/**
 * Demo-room camera poses: the pipeline's look-at (OpenCV axes, row-major camera-to-world) in the
 * room's z-up world, with negative zeros cleared so poses survive a JSON round trip unchanged
 * (bundle manifests).
 */
import { lookAtPose } from '../pipeline/render/camera-model';
import type { Vec3 } from '../pipeline/render/types';
import type { Mat4 } from '../pipeline/scene/types';

const Z_UP: Vec3 = [0, 0, 1];

export function lookAtCameraToWorld(eye: Vec3, target: Vec3): Mat4 {
  const m = lookAtPose(eye, target, Z_UP);
  for (let i = 0; i < 16; i++) m[i] += 0;
  return m;
}
