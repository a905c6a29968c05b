/**
 * Camera-to-world poses in our convention (OpenCV camera axes: x right, y down, z forward;
 * row-major 4x4) for a camera at `eye` looking at `target` in a z-up world.
 */
import type { Mat4 } from '../scene/types';
import type { Vec3 } from './primitives';

export function lookAtCameraToWorld(eye: Vec3, target: Vec3): Mat4 {
  const f = normalise([target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]]);
  // right = forward × up(+z); undefined when looking straight up or down, which we never do.
  const r = normalise([f[1], -f[0], 0]);
  // down = forward × right, so (right, down, forward) is right-handed.
  const d: Vec3 = [f[1] * r[2] - f[2] * r[1], f[2] * r[0] - f[0] * r[2], f[0] * r[1] - f[1] * r[0]];
  const m = new Float64Array(16);
  for (let row = 0; row < 3; row++) {
    m[row * 4 + 0] = r[row];
    m[row * 4 + 1] = d[row];
    m[row * 4 + 2] = f[row];
    m[row * 4 + 3] = eye[row];
  }
  m[15] = 1;
  // No negative zeros: they would not survive a JSON round trip (bundle manifests).
  for (let i = 0; i < 16; i++) m[i] += 0;
  return m;
}

function normalise(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0)) throw new Error('lookAtCameraToWorld: degenerate direction');
  return [v[0] / n, v[1] / n, v[2] / n];
}
