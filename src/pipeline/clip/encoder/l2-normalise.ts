/** Normalises each row of a row-major [rows, dim] matrix in place; returns the norms before. */
export function l2NormaliseRows(data: Float32Array, dim: number): Float32Array {
  const rows = dim > 0 ? Math.floor(data.length / dim) : 0;
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * dim, (r + 1) * dim);
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += row[i] * row[i];
    const norm = Math.sqrt(sum);
    norms[r] = norm;
    // A zero row stays zero rather than becoming NaN.
    if (norm > 0) for (let i = 0; i < dim; i++) row[i] /= norm;
  }
  return norms;
}
