/**
 * How a surface point looks: its base colour under mostly-ambient light with a soft key light
 * (half-Lambert, so no face drops below the ambient level and colours stay nameable), times a mild
 * world-space texture so image crops are not perfectly flat. View-independent, so the point
 * cloud and every rendered view agree on a point's colour.
 */
import { normalise3 } from '../pipeline/render/camera-model';
import { hashToUnit } from './prng';

export const AMBIENT = 0.72;
export const DIFFUSE = 0.28;
/** Towards the light: mostly from above, a little from the +x, -y side. */
const LIGHT = normalise3([0.35, -0.25, 0.9]);
const TEXTURE_CELL_M = 0.07;
const TEXTURE_AMPLITUDE = 0.035;

/** Light level in [AMBIENT, AMBIENT + DIFFUSE] for a unit normal. */
export function lightLevel(nx: number, ny: number, nz: number): number {
  const lambert = nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2];
  return AMBIENT + DIFFUSE * (0.5 + 0.5 * lambert);
}

/** Smooth value noise in [-1, 1] over world space (trilinear between hashed lattice values). */
export function valueNoise(x: number, y: number, z: number, salt: number): number {
  const gx = x / TEXTURE_CELL_M;
  const gy = y / TEXTURE_CELL_M;
  const gz = z / TEXTURE_CELL_M;
  const ix = Math.floor(gx);
  const iy = Math.floor(gy);
  const iz = Math.floor(gz);
  const fx = smooth(gx - ix);
  const fy = smooth(gy - iy);
  const fz = smooth(gz - iz);
  let sum = 0;
  for (let c = 0; c < 8; c++) {
    const dx = c & 1;
    const dy = (c >> 1) & 1;
    const dz = (c >> 2) & 1;
    const w = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy) * (dz ? fz : 1 - fz);
    sum += w * hashToUnit(ix + dx, iy + dy, iz + dz, salt);
  }
  return sum * 2 - 1;
}

const smooth = (t: number) => t * t * (3 - 2 * t);

/**
 * Writes the shaded sRGB colour (as floats, not yet rounded or clamped) of a surface point into
 * out[offset..offset+2].
 */
export function shadeSurface(
  base: readonly number[],
  nx: number,
  ny: number,
  nz: number,
  x: number,
  y: number,
  z: number,
  salt: number,
  out: Float64Array,
): void {
  const level = lightLevel(nx, ny, nz) * (1 + TEXTURE_AMPLITUDE * valueNoise(x, y, z, salt));
  out[0] = base[0] * level;
  out[1] = base[1] * level;
  out[2] = base[2] * level;
}

export function toByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
