/**
 * Heatmaps made from ground-truth labels, as a user would bring scores from another model: every
 * point of one category = 1, others 0, box-blurred over about `blurM` (the mean over the 3×3×3
 * block of cells of side blurM / 1.5 around the point: an independent grid here) and Gaussian
 * noise of `noise` added.
 */
import { mulberry32 } from '../../../src/pipeline/random';
import type { Scene } from '../../../src/pipeline/scene/types';

export function gtCategoryHeatmap(
  scene: Scene,
  label: string,
  options: { blurM: number; noise: number; seed: number },
): Float32Array {
  const cloud = scene.cloud!;
  const ids = cloud.instanceIds!;
  const inCategory = new Set(
    (scene.objects ?? []).filter((o) => o.label === label).map((o) => o.id),
  );
  const n = cloud.positions.length / 3;
  const p = cloud.positions;
  const cell = options.blurM / 1.5;
  // Cell coordinates packed in one number (|cell| < 10⁴ for any room): Map keys stay fast.
  const key = (x: number, y: number, z: number) => ((x + 1e4) * 2e4 + (y + 1e4)) * 2e4 + (z + 1e4);
  const cellOf = (i: number, a: number) => Math.floor(p[i * 3 + a] / cell);
  const sums = new Map<number, [number, number]>();
  for (let i = 0; i < n; i++) {
    const k = key(cellOf(i, 0), cellOf(i, 1), cellOf(i, 2));
    const s = sums.get(k) ?? [0, 0];
    s[0] += inCategory.has(ids[i]) ? 1 : 0;
    s[1] += 1;
    sums.set(k, s);
  }
  const random = mulberry32(options.seed);
  const gaussian = () => {
    const u = Math.max(1e-12, random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [cx, cy, cz] = [cellOf(i, 0), cellOf(i, 1), cellOf(i, 2)];
    let hot = 0;
    let count = 0;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dz = -1; dz <= 1; dz++) {
          const s = sums.get(key(cx + dx, cy + dy, cz + dz));
          if (s) {
            hot += s[0];
            count += s[1];
          }
        }
    out[i] = hot / count + options.noise * gaussian();
  }
  return out;
}
