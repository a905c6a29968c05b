/**
 * Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations: a few sweeps reach
 * double precision for 3×3, with no branches on degenerate spectra (planes, lines, points), which
 * the closed-form cubic handles badly. Scratch arrays are the caller's, so the hot loops allocate
 * nothing.
 */

/**
 * `m` holds xx, xy, xz, yy, yz, zz. On return `values` holds the eigenvalues ascending and
 * `vectors` the matching unit eigenvectors, row k = eigenvector k (xyz).
 */
export function symmetricEigen3(
  m: ArrayLike<number>,
  values: Float64Array,
  vectors: Float64Array,
): void {
  let a00 = m[0];
  let a01 = m[1];
  let a02 = m[2];
  let a11 = m[3];
  let a12 = m[4];
  let a22 = m[5];
  // v is column-major: column k is eigenvector k.
  let v00 = 1,
    v01 = 0,
    v02 = 0,
    v10 = 0,
    v11 = 1,
    v12 = 0,
    v20 = 0,
    v21 = 0,
    v22 = 1;
  for (let sweep = 0; sweep < 12; sweep++) {
    const off = a01 * a01 + a02 * a02 + a12 * a12;
    const scale = a00 * a00 + a11 * a11 + a22 * a22 + off;
    if (!(off > 1e-30 * scale)) break;
    // Rotation in the (p, q) plane zeroes a_pq; the three planes in turn.
    for (let plane = 0; plane < 3; plane++) {
      let apq: number, app: number, aqq: number;
      if (plane === 0) [apq, app, aqq] = [a01, a00, a11];
      else if (plane === 1) [apq, app, aqq] = [a02, a00, a22];
      else [apq, app, aqq] = [a12, a11, a22];
      if (apq === 0) continue;
      const theta = (aqq - app) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      if (plane === 0) {
        a00 = app - t * apq;
        a11 = aqq + t * apq;
        a01 = 0;
        const r02 = a02,
          r12 = a12;
        a02 = c * r02 - s * r12;
        a12 = s * r02 + c * r12;
        [v00, v01] = [c * v00 - s * v01, s * v00 + c * v01];
        [v10, v11] = [c * v10 - s * v11, s * v10 + c * v11];
        [v20, v21] = [c * v20 - s * v21, s * v20 + c * v21];
      } else if (plane === 1) {
        a00 = app - t * apq;
        a22 = aqq + t * apq;
        a02 = 0;
        const r01 = a01,
          r21 = a12;
        a01 = c * r01 - s * r21;
        a12 = s * r01 + c * r21;
        [v00, v02] = [c * v00 - s * v02, s * v00 + c * v02];
        [v10, v12] = [c * v10 - s * v12, s * v10 + c * v12];
        [v20, v22] = [c * v20 - s * v22, s * v20 + c * v22];
      } else {
        a11 = app - t * apq;
        a22 = aqq + t * apq;
        a12 = 0;
        const r10 = a01,
          r20 = a02;
        a01 = c * r10 - s * r20;
        a02 = s * r10 + c * r20;
        [v01, v02] = [c * v01 - s * v02, s * v01 + c * v02];
        [v11, v12] = [c * v11 - s * v12, s * v11 + c * v12];
        [v21, v22] = [c * v21 - s * v22, s * v21 + c * v22];
      }
    }
  }
  // Sort the three (value, column) pairs ascending.
  const d = [a00, a11, a22];
  const cols = [
    [v00, v10, v20],
    [v01, v11, v21],
    [v02, v12, v22],
  ];
  const order = [0, 1, 2].sort((i, j) => d[i] - d[j]);
  for (let k = 0; k < 3; k++) {
    const col = cols[order[k]];
    values[k] = d[order[k]];
    vectors[k * 3] = col[0];
    vectors[k * 3 + 1] = col[1];
    vectors[k * 3 + 2] = col[2];
  }
}
