/** Test helpers: a plain float32 SimilarityField and a seeded synthetic room of boxes. */
import type { SimilarityField } from '../../../src/pipeline/query/types';
import { mulberry32 } from '../../../src/pipeline/random';

export { mulberry32 };

export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function unitVector(dim: number, rand: () => number): Float32Array {
  const v = new Float32Array(dim);
  let s = 0;
  for (let i = 0; i < dim; i++) s += (v[i] = gaussian(rand)) ** 2;
  for (let i = 0; i < dim; i++) v[i] /= Math.sqrt(s);
  return v;
}

/** Full float32 features; NaN rows (or `seen[i] = false`) are unseen points. */
export class Float32Field implements SimilarityField {
  calls = 0;
  constructor(
    readonly features: Float32Array,
    readonly count: number,
    readonly dim: number,
    readonly seen?: Uint8Array,
  ) {}

  similarity(queries: Float32Array, q: number): Float32Array[] {
    this.calls++;
    const out: Float32Array[] = [];
    for (let j = 0; j < q; j++) {
      const sims = new Float32Array(this.count);
      for (let i = 0; i < this.count; i++) {
        if (this.seen && !this.seen[i]) {
          sims[i] = NaN;
          continue;
        }
        let d = 0;
        for (let k = 0; k < this.dim; k++)
          d += this.features[i * this.dim + k] * queries[j * this.dim + k];
        sims[i] = d;
      }
      out.push(sims);
    }
    return out;
  }
}

export interface SyntheticObject {
  min: [number, number, number];
  max: [number, number, number];
  feature: Float32Array;
}

export interface SyntheticRoom {
  positions: Float32Array;
  features: Float32Array;
  objectOfPoint: Int32Array;
  objects: SyntheticObject[];
  backgroundFeature: Float32Array;
  count: number;
  dim: number;
}

/**
 * Points on the surfaces of a floor and a few boxes, each object with its own unit feature plus
 * noise, and a handful of stray points carrying an object's feature far away from it.
 */
export function syntheticRoom(
  seed: number,
  dim = 32,
  pointsPerObject = 1500,
  floorPoints = 20_000,
): SyntheticRoom {
  const rand = mulberry32(seed);
  const objects: SyntheticObject[] = [];
  const placed: SyntheticObject[] = [];
  while (objects.length < 5) {
    const size = [0.3 + rand() * 0.9, 0.3 + rand() * 0.9, 0.3 + rand() * 0.9];
    const x = rand() * (6 - size[0]);
    const y = rand() * (5 - size[1]);
    const candidate: SyntheticObject = {
      min: [x, y, 0],
      max: [x + size[0], y + size[1], size[2]],
      feature: unitVector(dim, rand),
    };
    const clear = placed.every(
      (o) =>
        candidate.min[0] > o.max[0] + 0.3 ||
        candidate.max[0] < o.min[0] - 0.3 ||
        candidate.min[1] > o.max[1] + 0.3 ||
        candidate.max[1] < o.min[1] - 0.3,
    );
    if (clear) {
      objects.push(candidate);
      placed.push(candidate);
    }
  }
  const backgroundFeature = unitVector(dim, rand);
  const strays = 20;
  const count = floorPoints + objects.length * pointsPerObject + strays;
  const positions = new Float32Array(count * 3);
  const features = new Float32Array(count * dim);
  const objectOfPoint = new Int32Array(count).fill(-1);
  const setFeature = (i: number, base: Float32Array, noise: number) => {
    let s = 0;
    for (let k = 0; k < dim; k++)
      s += (features[i * dim + k] = base[k] + (noise * gaussian(rand)) / Math.sqrt(dim)) ** 2;
    for (let k = 0; k < dim; k++) features[i * dim + k] /= Math.sqrt(s);
  };
  let i = 0;
  for (; i < floorPoints; i++) {
    positions.set([rand() * 6, rand() * 5, 0], i * 3);
    setFeature(i, backgroundFeature, 0.5);
  }
  objects.forEach((o, id) => {
    for (let n = 0; n < pointsPerObject; n++, i++) {
      // a point on one of the five visible faces (not the bottom)
      const face = Math.floor(rand() * 5);
      const p = [0, 1, 2].map((a) => o.min[a] + rand() * (o.max[a] - o.min[a]));
      if (face < 4) {
        const axis = face >> 1;
        p[axis] = face & 1 ? o.max[axis] : o.min[axis];
      } else p[2] = o.max[2];
      positions.set(p, i * 3);
      setFeature(i, o.feature, 0.5);
      objectOfPoint[i] = id;
    }
  });
  for (let s = 0; s < strays; s++, i++) {
    const o = objects[s % objects.length];
    positions.set([rand() * 6, rand() * 5, 2.5 + rand()], i * 3);
    setFeature(i, o.feature, 0.5);
  }
  return { positions, features, objectOfPoint, objects, backgroundFeature, count, dim };
}
