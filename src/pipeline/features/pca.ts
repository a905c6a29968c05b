/**
 * Small dense linear algebra for per-scene feature bases: the uncentred second-moment matrix of
 * a set of vectors and its top-k eigenvectors (orthogonal iteration + Rayleigh-Ritz, Jacobi on
 * the k×k projection). Deterministic: the start block comes from a fixed-seed generator.
 */
import { mulberry32 } from '../random';

/** Σ xᵢ xᵢᵀ over `rows` (each row L2-normalised first when `normalise`), as dim×dim. */
export function secondMoment(
  vectors: Float32Array,
  rowIndices: ArrayLike<number>,
  dim: number,
  normalise = true,
): Float64Array {
  const m = new Float64Array(dim * dim);
  const x = new Float64Array(dim);
  for (let r = 0; r < rowIndices.length; r++) {
    const base = rowIndices[r] * dim;
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      x[d] = vectors[base + d];
      sq += x[d] * x[d];
    }
    if (!(sq > 0) || !Number.isFinite(sq)) continue;
    const s = normalise ? 1 / Math.sqrt(sq) : 1;
    for (let d = 0; d < dim; d++) x[d] *= s;
    for (let i = 0; i < dim; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const row = i * dim;
      for (let j = i; j < dim; j++) m[row + j] += xi * x[j];
    }
  }
  for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) m[i * dim + j] = m[j * dim + i];
  return m;
}

/** Modified Gram-Schmidt on the k columns of a dim×k column-major block, in place. */
function orthonormaliseColumns(q: Float64Array, dim: number, k: number, rand: () => number): void {
  for (let c = 0; c < k; c++) {
    const col = c * dim;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const prev = p * dim;
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += q[col + d] * q[prev + d];
        for (let d = 0; d < dim; d++) q[col + d] -= dot * q[prev + d];
      }
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += q[col + d] * q[col + d];
    norm = Math.sqrt(norm);
    if (norm < 1e-10) {
      // Rank-deficient direction: restart it randomly and re-orthogonalise.
      for (let d = 0; d < dim; d++) q[col + d] = rand() - 0.5;
      c--;
      continue;
    }
    for (let d = 0; d < dim; d++) q[col + d] /= norm;
  }
}

/** Eigen-decomposition of a small symmetric n×n matrix by cyclic Jacobi. */
export function jacobiEigen(
  a: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i];
  return { values, vectors: v };
}

/**
 * Top-k eigenvectors of a symmetric dim×dim matrix, as a k×dim row-major Float32Array
 * (row r = r-th largest), plus their eigenvalues.
 */
export function topEigenvectors(
  m: Float64Array,
  dim: number,
  k: number,
  iterations = 40,
): { basis: Float32Array; values: Float64Array } {
  k = Math.min(k, dim);
  const rand = mulberry32(0x5eed);
  const q = new Float64Array(dim * k);
  for (let i = 0; i < q.length; i++) q[i] = rand() - 0.5;
  orthonormaliseColumns(q, dim, k, rand);
  const next = new Float64Array(dim * k);
  for (let it = 0; it < iterations; it++) {
    next.fill(0);
    for (let c = 0; c < k; c++) {
      const col = c * dim;
      for (let i = 0; i < dim; i++) {
        const row = i * dim;
        let s = 0;
        for (let j = 0; j < dim; j++) s += m[row + j] * q[col + j];
        next[col + i] = s;
      }
    }
    q.set(next);
    orthonormaliseColumns(q, dim, k, rand);
  }
  // Rayleigh-Ritz: T = Qᵀ M Q (k×k), rotate Q by T's eigenvectors, sorted descending.
  const mq = new Float64Array(dim * k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += m[i * dim + j] * q[c * dim + j];
      mq[c * dim + i] = s;
    }
  }
  const t = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += q[a * dim + d] * mq[b * dim + d];
      t[a * k + b] = s;
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) t[a * k + b] = t[b * k + a] = (t[a * k + b] + t[b * k + a]) / 2;
  const eig = jacobiEigen(t, k);
  const order = Array.from({ length: k }, (_, i) => i).sort(
    (x, y) => eig.values[y] - eig.values[x],
  );
  const basis = new Float32Array(k * dim);
  const values = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    const e = order[r];
    values[r] = eig.values[e];
    for (let d = 0; d < dim; d++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += q[a * dim + d] * eig.vectors[a * k + e];
      basis[r * dim + d] = s;
    }
  }
  return { basis, values };
}
