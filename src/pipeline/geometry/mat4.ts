/**
 * 4x4 matrices, row-major in a Float64Array(16): m[r*4 + c] (see scene/types.ts CONVENTIONS).
 * Points are column vectors: p' = M * p.
 */
import type { Mat4 } from '../scene/types';

export function identity(): Mat4 {
  const m = new Float64Array(16);
  m[0] = m[5] = m[10] = m[15] = 1;
  return m;
}

export function fromRows(values: ArrayLike<number>): Mat4 {
  if (values.length !== 16)
    throw new RangeError(`a 4x4 matrix needs 16 values, got ${values.length}`);
  return Float64Array.from(values);
}

/** a * b (apply b first, then a). */
export function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k] * b[k * 4 + c];
      out[r * 4 + c] = s;
    }
  }
  return out;
}

/** Inverse of a rigid transform [R t; 0 1] = [Rᵀ −Rᵀt; 0 1] (exact and cheap; no checks). */
export function invertRigid(m: Mat4): Mat4 {
  const out = new Float64Array(16);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 4 + c] = m[c * 4 + r];
  }
  for (let r = 0; r < 3; r++) {
    out[r * 4 + 3] = -(out[r * 4] * m[3] + out[r * 4 + 1] * m[7] + out[r * 4 + 2] * m[11]);
  }
  out[15] = 1;
  return out;
}

/** General inverse by Gauss-Jordan with partial pivoting; undefined if singular. */
export function invert(m: Mat4): Mat4 | undefined {
  const a = Float64Array.from(m);
  const inv = identity();
  for (let col = 0; col < 4; col++) {
    let pivot = col;
    for (let r = col + 1; r < 4; r++) {
      if (Math.abs(a[r * 4 + col]) > Math.abs(a[pivot * 4 + col])) pivot = r;
    }
    const p = a[pivot * 4 + col];
    if (!Number.isFinite(p) || Math.abs(p) < 1e-12) return undefined;
    if (pivot !== col) {
      for (let c = 0; c < 4; c++) {
        [a[col * 4 + c], a[pivot * 4 + c]] = [a[pivot * 4 + c], a[col * 4 + c]];
        [inv[col * 4 + c], inv[pivot * 4 + c]] = [inv[pivot * 4 + c], inv[col * 4 + c]];
      }
    }
    for (let c = 0; c < 4; c++) {
      a[col * 4 + c] /= p;
      inv[col * 4 + c] /= p;
    }
    for (let r = 0; r < 4; r++) {
      if (r === col) continue;
      const f = a[r * 4 + col];
      if (f === 0) continue;
      for (let c = 0; c < 4; c++) {
        a[r * 4 + c] -= f * a[col * 4 + c];
        inv[r * 4 + c] -= f * inv[col * 4 + c];
      }
    }
  }
  return inv;
}

/** M * [x y z 1], divided by w when the last row is not [0 0 0 1]. */
export function transformPoint(
  m: Mat4,
  x: number,
  y: number,
  z: number,
  out: Float64Array | number[] = new Float64Array(3),
): Float64Array | number[] {
  const w = m[12] * x + m[13] * y + m[14] * z + m[15];
  const s = w === 1 ? 1 : 1 / w;
  out[0] = (m[0] * x + m[1] * y + m[2] * z + m[3]) * s;
  out[1] = (m[4] * x + m[5] * y + m[6] * z + m[7]) * s;
  out[2] = (m[8] * x + m[9] * y + m[10] * z + m[11]) * s;
  return out;
}

/**
 * Rigid transform from a unit quaternion (x, y, z, w — TUM / ROS order) and a translation.
 * The quaternion is normalised first; a zero quaternion gives NaNs (caught by isRigid).
 */
export function fromQuaternion(
  qx: number,
  qy: number,
  qz: number,
  qw: number,
  tx: number,
  ty: number,
  tz: number,
): Mat4 {
  const n = Math.hypot(qx, qy, qz, qw);
  const x = qx / n;
  const y = qy / n;
  const z = qz / n;
  const w = qw / n;
  const m = new Float64Array(16);
  m[0] = 1 - 2 * (y * y + z * z);
  m[1] = 2 * (x * y - z * w);
  m[2] = 2 * (x * z + y * w);
  m[3] = tx;
  m[4] = 2 * (x * y + z * w);
  m[5] = 1 - 2 * (x * x + z * z);
  m[6] = 2 * (y * z - x * w);
  m[7] = ty;
  m[8] = 2 * (x * z - y * w);
  m[9] = 2 * (y * z + x * w);
  m[10] = 1 - 2 * (x * x + y * y);
  m[11] = tz;
  m[15] = 1;
  return m;
}

/** Unit quaternion (x, y, z, w) of a rotation block (Shepperd's method). */
export function toQuaternion(m: Mat4): [number, number, number, number] {
  const trace = m[0] + m[5] + m[10];
  let x: number, y: number, z: number, w: number;
  if (trace > 0) {
    const s = Math.sqrt(trace + 1) * 2;
    w = s / 4;
    x = (m[9] - m[6]) / s;
    y = (m[2] - m[8]) / s;
    z = (m[4] - m[1]) / s;
  } else if (m[0] > m[5] && m[0] > m[10]) {
    const s = Math.sqrt(1 + m[0] - m[5] - m[10]) * 2;
    w = (m[9] - m[6]) / s;
    x = s / 4;
    y = (m[1] + m[4]) / s;
    z = (m[2] + m[8]) / s;
  } else if (m[5] > m[10]) {
    const s = Math.sqrt(1 + m[5] - m[0] - m[10]) * 2;
    w = (m[2] - m[8]) / s;
    x = (m[1] + m[4]) / s;
    y = s / 4;
    z = (m[6] + m[9]) / s;
  } else {
    const s = Math.sqrt(1 + m[10] - m[0] - m[5]) * 2;
    w = (m[4] - m[1]) / s;
    x = (m[2] + m[8]) / s;
    y = (m[6] + m[9]) / s;
    z = s / 4;
  }
  return [x, y, z, w];
}

export function isFiniteMatrix(m: ArrayLike<number>): boolean {
  for (let i = 0; i < m.length; i++) if (!Number.isFinite(m[i])) return false;
  return true;
}

/**
 * True if m is finite, its last row is [0 0 0 1] and its rotation block is orthonormal with
 * determinant +1, all within `tolerance`.
 */
export function isRigid(m: Mat4, tolerance = 1e-3): boolean {
  if (m.length !== 16 || !isFiniteMatrix(m)) return false;
  if (Math.abs(m[12]) > tolerance || Math.abs(m[13]) > tolerance || Math.abs(m[14]) > tolerance) {
    return false;
  }
  if (Math.abs(m[15] - 1) > tolerance) return false;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      // (RᵀR)_ij = column i · column j
      const dot = m[i] * m[j] + m[4 + i] * m[4 + j] + m[8 + i] * m[8 + j];
      if (Math.abs(dot - (i === j ? 1 : 0)) > tolerance) return false;
    }
  }
  const det =
    m[0] * (m[5] * m[10] - m[6] * m[9]) -
    m[1] * (m[4] * m[10] - m[6] * m[8]) +
    m[2] * (m[4] * m[9] - m[5] * m[8]);
  return Math.abs(det - 1) <= tolerance;
}

/** Right-multiplies by diag(1, -1, -1, 1): OpenGL camera axes (y up, looking −z) → OpenCV. */
export function openGlToOpenCvCamera(cameraToWorld: Mat4): Mat4 {
  const out = Float64Array.from(cameraToWorld);
  for (let r = 0; r < 4; r++) {
    out[r * 4 + 1] = -out[r * 4 + 1];
    out[r * 4 + 2] = -out[r * 4 + 2];
  }
  return out;
}
