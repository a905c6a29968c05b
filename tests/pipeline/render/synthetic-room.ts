import { mulberry32 } from '../../../src/pipeline/random';
import type { Vec3 } from '../../../src/pipeline/render/types';

/**
 * A z-up room of `size` (floor at z = 0, optional ceiling) with furniture-like boxes standing on
 * the floor, sampled at random on its surfaces like a perfect scan: points inside or under
 * furniture (hidden from everywhere) are dropped. A few outliers lie far below and above.
 */
export function syntheticRoom(
  seed: number,
  size: Vec3,
  ceiling: boolean,
  furniture = 6,
): Float32Array {
  return furnishedRoom(seed, size, ceiling, furniture).positions;
}

/** syntheticRoom with the furniture boxes it placed. */
export function furnishedRoom(
  seed: number,
  size: Vec3,
  ceiling: boolean,
  furniture = 6,
): { positions: Float32Array; furniture: { min: Vec3; max: Vec3 }[] } {
  const r = mulberry32(seed);
  const [sx, sy, sz] = size;
  // Furniture: boxes on the floor, 0.4–1 m tall, away from the walls.
  const boxes: { min: Vec3; max: Vec3 }[] = [];
  for (let k = 0; k < furniture; k++) {
    const w = 0.5 + r();
    const d = 0.5 + r();
    const h = 0.4 + 0.6 * r();
    const x0 = 0.2 + r() * (sx - w - 0.4);
    const y0 = 0.2 + r() * (sy - d - 0.4);
    boxes.push({ min: [x0, y0, 0], max: [x0 + w, y0 + d, h] });
  }
  const hidden = (p: Vec3, own: number) =>
    boxes.some(
      (b, k) => k !== own && p.every((c, a) => c > b.min[a] - 0.01 && c < b.max[a] + 0.01),
    );
  const pts: number[] = [];
  const area = (a: number, b: number) => Math.round(a * b * 400); // ~400 points per m²
  const plane = (n: number, own: number, f: (a: number, b: number) => Vec3) => {
    for (let i = 0; i < n; i++) {
      const p = f(r(), r());
      if (!hidden(p, own)) pts.push(...p);
    }
  };
  plane(area(sx, sy), -1, (a, b) => [a * sx, b * sy, 0.005 * (r() - 0.5)]);
  if (ceiling) plane(area(sx, sy), -1, (a, b) => [a * sx, b * sy, sz]);
  plane(area(sx, sz), -1, (a, b) => [a * sx, 0, b * sz]);
  plane(area(sx, sz), -1, (a, b) => [a * sx, sy, b * sz]);
  plane(area(sy, sz), -1, (a, b) => [0, a * sy, b * sz]);
  plane(area(sy, sz), -1, (a, b) => [sx, a * sy, b * sz]);
  // Objects are scanned closer: three times the density, on the top and four sides.
  boxes.forEach((b, k) => {
    const [x0, y0] = b.min;
    const [x1, y1, h] = b.max;
    const w = x1 - x0;
    const d = y1 - y0;
    plane(area(w, d) * 3, k, (a, c) => [x0 + a * w, y0 + c * d, h]);
    plane(area(w, h) * 3, k, (a, c) => [x0 + a * w, y0, c * h]);
    plane(area(w, h) * 3, k, (a, c) => [x0 + a * w, y1, c * h]);
    plane(area(d, h) * 3, k, (a, c) => [x0, y0 + a * d, c * h]);
    plane(area(d, h) * 3, k, (a, c) => [x1, y0 + a * d, c * h]);
  });
  for (let k = 0; k < 20; k++) pts.push(r() * sx, r() * sy, r() < 0.5 ? -3 - r() : sz + 3 + r());
  return { positions: Float32Array.from(pts), furniture: boxes };
}
