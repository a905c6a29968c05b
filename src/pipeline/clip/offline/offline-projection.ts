/**
 * A fixed, seeded orthonormal projection from the joint colour space (12) to D: rows are
 * Gram-Schmidt-orthonormalised Gaussian vectors, so cosines in D equal cosines in the joint space.
 */
import { mulberry32 } from '../../random';

/** Row-major [rows, cols] matrix with orthonormal rows (rows ≤ cols). */
export function orthonormalRows(rows: number, cols: number, seed: number): Float64Array {
  if (rows > cols)
    throw new RangeError(`cannot fit ${rows} orthonormal rows in ${cols} dimensions`);
  const random = mulberry32(seed);
  const gaussian = () => {
    // Box-Muller; 1 - u keeps the log argument in (0, 1].
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const m = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = m.subarray(r * cols, (r + 1) * cols);
    for (let c = 0; c < cols; c++) row[c] = gaussian();
    // Two passes of Gram-Schmidt for numerical orthogonality.
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < r; q++) {
        const prev = m.subarray(q * cols, (q + 1) * cols);
        let dot = 0;
        for (let c = 0; c < cols; c++) dot += row[c] * prev[c];
        for (let c = 0; c < cols; c++) row[c] -= dot * prev[c];
      }
    }
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += row[c] * row[c];
    norm = Math.sqrt(norm);
    for (let c = 0; c < cols; c++) row[c] /= norm;
  }
  return m;
}
