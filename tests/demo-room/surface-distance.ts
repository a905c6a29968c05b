/**
 * Test-side geometry, written independently of the generator's inside tests and intersections:
 * signed distances to primitives (exact for boxes, upright cylinders and spheres).
 */
import type { Primitive } from '../../src/demo-room/primitives';

export function distanceToSurface(p: Primitive, x: number, y: number, z: number): number {
  return Math.abs(signedDistance(p, x, y, z));
}

/** Signed distance: negative inside the solid, positive outside. */
export function signedDistance(p: Primitive, x: number, y: number, z: number): number {
  switch (p.kind) {
    case 'box': {
      // Signed distance of an axis-aligned box, absolute value.
      const c = [(p.min[0] + p.max[0]) / 2, (p.min[1] + p.max[1]) / 2, (p.min[2] + p.max[2]) / 2];
      const h = [(p.max[0] - p.min[0]) / 2, (p.max[1] - p.min[1]) / 2, (p.max[2] - p.min[2]) / 2];
      const q = [Math.abs(x - c[0]) - h[0], Math.abs(y - c[1]) - h[1], Math.abs(z - c[2]) - h[2]];
      const outside = Math.hypot(Math.max(q[0], 0), Math.max(q[1], 0), Math.max(q[2], 0));
      const inside = Math.min(Math.max(q[0], q[1], q[2]), 0);
      return outside + inside;
    }
    case 'cylinder': {
      const radial = Math.hypot(x - p.centerX, y - p.centerY) - p.radius;
      const half = (p.zMax - p.zMin) / 2;
      const axial = Math.abs(z - (p.zMin + p.zMax) / 2) - half;
      const outside = Math.hypot(Math.max(radial, 0), Math.max(axial, 0));
      const inside = Math.min(Math.max(radial, axial), 0);
      return outside + inside;
    }
    case 'sphere':
      return Math.hypot(x - p.center[0], y - p.center[1], z - p.center[2]) - p.radius;
  }
}

/** Distance to the nearest surface among several primitives. */
export function distanceToAnySurface(prims: Primitive[], x: number, y: number, z: number): number {
  let best = Infinity;
  for (const p of prims) best = Math.min(best, distanceToSurface(p, x, y, z));
  return best;
}

/** sRGB (0..255) → CIELAB (D65), for naming colours perceptually. */
export function srgbToLab(r: number, g: number, b: number): [number, number, number] {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const X = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
  const Y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const Z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}
