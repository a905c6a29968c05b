/** Depth-only check of a reader's conventions (for lossy or lower-resolution colour). */
import type { RgbdFrame } from '../../../../src/pipeline/scene/types';

/** Every valid depth pixel back-projected with the frame's depth intrinsics and pose lies at z. */
export async function expectDepthOnWall(frames: RgbdFrame[], wallZ: number, eps = 2e-3) {
  let checked = 0;
  for (const f of frames) {
    const depth = await f.loadDepth();
    const k = f.depthIntrinsics;
    const m = f.cameraToWorld;
    for (let v = 0; v < depth.height; v++) {
      for (let u = 0; u < depth.width; u++) {
        const raw = depth.data[v * depth.width + u];
        if (depth.invalidValues.includes(raw)) continue;
        const z = raw / depth.depthScale;
        const x = ((u - k.cx) / k.fx) * z;
        const y = ((v - k.cy) / k.fy) * z;
        const wz = m[8] * x + m[9] * y + m[10] * z + m[11];
        if (Math.abs(wz - wallZ) > eps) throw new Error(`${f.name} ${u},${v}: world z ${wz}`);
        checked++;
      }
    }
  }
  return checked;
}
