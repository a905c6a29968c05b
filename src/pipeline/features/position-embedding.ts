/**
 * 3D-LLM's sin/cos position embedding (the `PositionalEncoding1D` formula of
 * tatp22/multidim-positional-encoding as 3D-LLM's blip2_t5.py uses it), in float32 like torch:
 * per axis c = floor(D/3) channels, C = 2·ceil(c/2), inv_freq_k = 1/10000^(2k/C),
 * PE[p][2k] = sin(p·inv_freq_k), PE[p][2k+1] = cos(p·inv_freq_k), truncated to c; the 3-D
 * embedding is concat(PE[x], PE[y], PE[z]) zero-padded to D.
 */

const f = Math.fround;

/** inv_freq for one axis with c channels (C/2 values, float32). */
export function inverseFrequencies(channelsPerAxis: number): Float32Array {
  const C = 2 * Math.ceil(channelsPerAxis / 2);
  const out = new Float32Array(C / 2);
  for (let k = 0; k < C / 2; k++) {
    const exponent = f((2 * k) / C);
    out[k] = f(1 / f(Math.pow(10000, exponent)));
  }
  return out;
}

/** PE table for integer positions 0..positions-1: positions×c float32, interleaved sin/cos. */
export function axisEmbeddingTable(channelsPerAxis: number, positions = 256): Float32Array {
  const inv = inverseFrequencies(channelsPerAxis);
  const c = channelsPerAxis;
  const table = new Float32Array(positions * c);
  for (let p = 0; p < positions; p++) {
    for (let k = 0; k < inv.length; k++) {
      const arg = f(p * inv[k]);
      if (2 * k < c) table[p * c + 2 * k] = Math.sin(arg);
      if (2 * k + 1 < c) table[p * c + 2 * k + 1] = Math.cos(arg);
    }
  }
  return table;
}

/** A reusable D-dimensional 3-D embedding for voxel indices 0..255 per axis. */
export class PositionEmbedding3D {
  readonly channelsPerAxis: number;
  private readonly table: Float32Array;

  constructor(
    readonly dim: number,
    readonly positions = 256,
  ) {
    this.channelsPerAxis = Math.floor(dim / 3);
    this.table = axisEmbeddingTable(this.channelsPerAxis, positions);
  }

  /** Writes the embedding of voxel (x, y, z) into out[offset..offset+dim). */
  embed(x: number, y: number, z: number, out: Float32Array, offset = 0): Float32Array {
    const c = this.channelsPerAxis;
    out.set(this.table.subarray(x * c, x * c + c), offset);
    out.set(this.table.subarray(y * c, y * c + c), offset + c);
    out.set(this.table.subarray(z * c, z * c + c), offset + 2 * c);
    out.fill(0, offset + 3 * c, offset + this.dim);
    return out;
  }
}

/** features (M×D) + weight·PE(voxels) as a new array (float32 arithmetic). */
export function addPositionEmbedding(
  features: Float32Array,
  voxels: Int32Array,
  dim: number,
  weight: number,
): Float32Array {
  const pe = new PositionEmbedding3D(dim);
  const m = voxels.length / 3;
  const out = new Float32Array(m * dim);
  const row = new Float32Array(dim);
  for (let i = 0; i < m; i++) {
    pe.embed(voxels[i * 3], voxels[i * 3 + 1], voxels[i * 3 + 2], row);
    for (let d = 0; d < dim; d++) out[i * dim + d] = features[i * dim + d] + f(weight * row[d]);
  }
  return out;
}
