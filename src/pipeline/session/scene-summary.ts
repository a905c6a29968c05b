/** Plain-data views of a Scene for the viewer (no lazy loaders, no big arrays). */
import { SESSION_LIMITS } from '../defaults';
import { sceneInfo } from '../scene/scene-info';
import type { Scene } from '../scene/types';
import type { SceneSummary, ViewFrame, ViewObject } from './types';

/** Snaps a direction to the nearest axis when it is within ~25 degrees of it. */
function snapToAxis(v: [number, number, number]): [number, number, number] {
  const len = Math.hypot(v[0], v[1], v[2]);
  if (!(len > 1e-9)) return [0, 0, 1];
  const u = v.map((c) => c / len) as [number, number, number];
  const a = [0, 1, 2].reduce((best, i) => (Math.abs(u[i]) > Math.abs(u[best]) ? i : best), 0);
  if (Math.abs(u[a]) < 0.9) return u;
  const s: [number, number, number] = [0, 0, 0];
  s[a] = Math.sign(u[a]);
  return s;
}

/**
 * World up: cameras are held mostly level, so up is minus the mean camera y axis (OpenCV y points
 * down). Without frames, rooms are flatter than wide: the axis of least extent, pointing +.
 */
export function inferUp(scene: Scene): [number, number, number] {
  if (scene.frames.length > 0) {
    const sum: [number, number, number] = [0, 0, 0];
    for (const f of scene.frames) {
      const m = f.cameraToWorld;
      sum[0] -= m[1];
      sum[1] -= m[5];
      sum[2] -= m[9];
    }
    return snapToAxis(sum);
  }
  return inferUpOfCloud(scene.cloud?.positions);
}

/** A room without camera poses is flatter than wide: up is its axis of least extent, pointing +. */
export function inferUpOfCloud(p: Float32Array | undefined): [number, number, number] {
  if (!p || p.length < 3) return [0, 0, 1];
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a], p[i + a]);
      max[a] = Math.max(max[a], p[i + a]);
    }
  }
  const ext = max.map((v, a) => v - min[a]);
  const a = ext.indexOf(Math.min(...ext));
  const up: [number, number, number] = [0, 0, 0];
  up[a] = 1;
  return up;
}

export async function summarizeScene(id: string, scene: Scene): Promise<SceneSummary> {
  const frames: ViewFrame[] = scene.frames.map((f) => ({
    index: f.index,
    name: f.name,
    intrinsics: { ...f.intrinsics },
    cameraToWorld: Array.from(f.cameraToWorld),
  }));
  const objects: ViewObject[] = (scene.objects ?? []).map((o) => ({
    id: o.id,
    label: o.label,
    colorName: o.colorName,
    aabb: { min: [...o.aabb.min], max: [...o.aabb.max] },
  }));
  const info = await sceneInfo(scene);
  // A reader can warn once per frame: the viewer gets the first few and a count of the rest.
  const limit = SESSION_LIMITS.listItems;
  if (info.warnings.length > limit) {
    const more = info.warnings.length - limit;
    info.warnings = [
      ...info.warnings.slice(0, limit),
      `${more.toLocaleString('en')} more warnings not shown`,
    ];
  }
  const { reconstruction } = info;
  return {
    id,
    info,
    frames,
    objects,
    up: inferUp(scene),
    ...(reconstruction ? { reconstruction } : {}),
  };
}
