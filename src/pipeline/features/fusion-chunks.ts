/**
 * Points bucketed into spatial chunks (~1024 points each) with tight boxes: whole chunks are
 * culled per view, and the accumulator keeps its rows in chunk order so per-point sums are
 * written sequentially (random writes into an N×D array were cache-miss bound).
 */

export interface PointChunks {
  count: number;
  /** Chunk c holds sorted slots starts[c]..starts[c+1]. */
  starts: Uint32Array;
  /** Slot → original point index. */
  order: Uint32Array;
  /** Positions in slot order (N×3). */
  positions: Float32Array;
  /** Per chunk xmin ymin zmin xmax ymax zmax. */
  boxes: Float64Array;
  /** 1 where the chunk's box is finite (only those are culled). */
  finiteBox: Uint8Array;
}

const POINTS_PER_CHUNK = 1024;

export function buildChunks(positions: Float32Array, n: number): PointChunks {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      const v = positions[i * 3 + a];
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    }
  }
  const finite = lo.every(Number.isFinite) && hi.every(Number.isFinite);
  const ext = finite ? hi.map((h, a) => Math.max(h - lo[a], 1e-6)) : [1, 1, 1];
  const target = Math.max(1, Math.min(1 << 18, Math.ceil(n / POINTS_PER_CHUNK)));
  // Surfaces, not volumes: size cells for ~target occupied cells on a 2-D manifold.
  const side = Math.sqrt((ext[0] * ext[1] + ext[1] * ext[2] + ext[0] * ext[2]) / target) || 1;
  const dims = ext.map((e) => Math.max(1, Math.min(1024, Math.ceil(e / side))));
  const cellOf = new Uint32Array(n);
  const cells = dims[0] * dims[1] * dims[2];
  const counts = new Uint32Array(cells + 1);
  for (let i = 0; i < n; i++) {
    let key = 0;
    if (finite) {
      const ix = Math.min(dims[0] - 1, Math.floor(((positions[i * 3] - lo[0]) / ext[0]) * dims[0]));
      const iy = Math.min(
        dims[1] - 1,
        Math.floor(((positions[i * 3 + 1] - lo[1]) / ext[1]) * dims[1]),
      );
      const iz = Math.min(
        dims[2] - 1,
        Math.floor(((positions[i * 3 + 2] - lo[2]) / ext[2]) * dims[2]),
      );
      // Non-finite coordinates land in cell 0; their box becomes non-finite and is never culled.
      key = ix >= 0 && iy >= 0 && iz >= 0 ? (iz * dims[1] + iy) * dims[0] + ix : 0;
    }
    cellOf[i] = key;
    counts[key + 1]++;
  }
  for (let c = 0; c < cells; c++) counts[c + 1] += counts[c];
  const order = new Uint32Array(n);
  const fill = counts.slice(0, cells);
  for (let i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
  const starts: number[] = [];
  for (let c = 0; c < cells; c++) if (counts[c + 1] > counts[c]) starts.push(counts[c]);
  starts.push(n);
  const chunkCount = starts.length - 1;
  const sorted = new Float32Array(n * 3);
  const boxes = new Float64Array(chunkCount * 6);
  for (let c = 0; c < chunkCount; c++) {
    const b = c * 6;
    boxes.fill(Infinity, b, b + 3);
    boxes.fill(-Infinity, b + 3, b + 6);
    for (let j = starts[c]; j < starts[c + 1]; j++) {
      const i = order[j];
      for (let a = 0; a < 3; a++) {
        const v = positions[i * 3 + a];
        sorted[j * 3 + a] = v;
        if (!(v >= boxes[b + a]))
          boxes[b + a] = Number.isNaN(v) ? -Infinity : Math.min(boxes[b + a], v);
        if (!(v <= boxes[b + 3 + a]))
          boxes[b + 3 + a] = Number.isNaN(v) ? Infinity : Math.max(boxes[b + 3 + a], v);
      }
    }
  }
  const finiteBox = new Uint8Array(chunkCount);
  for (let c = 0; c < chunkCount; c++) {
    finiteBox[c] = boxes.subarray(c * 6, c * 6 + 6).every(Number.isFinite) ? 1 : 0;
  }
  return {
    count: chunkCount,
    starts: Uint32Array.from(starts),
    order,
    positions: sorted,
    boxes,
    finiteBox,
  };
}

/** The most points any chunk holds (scratch size for a per-chunk pass). */
export function largestChunk(chunks: PointChunks): number {
  let max = 0;
  for (let c = 0; c < chunks.count; c++)
    max = Math.max(max, chunks.starts[c + 1] - chunks.starts[c]);
  return max;
}

/** Moves row j to row order[j] for every j, in place (cycle by cycle, two row buffers). */
export function permuteRowsInPlace(
  data: Float32Array | Uint16Array,
  width: number,
  order: Uint32Array,
): void {
  const n = order.length;
  const done = new Uint8Array(n);
  const carry = new Float64Array(width);
  const swap = new Float64Array(width);
  for (let s = 0; s < n; s++) {
    if (done[s] || order[s] === s) {
      done[s] = 1;
      continue;
    }
    for (let k = 0; k < width; k++) carry[k] = data[s * width + k];
    let j = s;
    do {
      const dest = order[j];
      for (let k = 0; k < width; k++) {
        swap[k] = data[dest * width + k];
        data[dest * width + k] = carry[k];
        carry[k] = swap[k];
      }
      done[dest] = 1;
      j = dest;
    } while (j !== s);
  }
}
