/**
 * Triangle rasteriser with a z-buffer, for meshes with per-vertex colours.
 *
 * - Vertices are projected once per view; screen coordinates are snapped to 1/2048 px, so edge
 *   functions are exact in float64 (coordinates stay within ±2^14 px thanks to the guard band:
 *   products of differences need < 49 of the 53 mantissa bits) and neighbouring triangles share edges without cracks or
 *   double coverage (an antisymmetric tie rule gives a pixel centre on a shared edge to exactly
 *   one of the two triangles).
 * - Depth and colour are interpolated perspective-correctly: 1/z and c/z are linear in screen
 *   space, so z = area / Σ wᵢ/zᵢ and c = Σ wᵢcᵢ/zᵢ / Σ wᵢ/zᵢ with wᵢ the edge functions.
 * - Both sides are drawn (scans have inconsistent winding): a triangle with negative screen
 *   area is drawn with two vertices swapped.
 * - Triangles crossing the near plane are clipped in camera space (Sutherland–Hodgman), and so
 *   are those reaching far outside the image (a guard band keeps the edge functions exact).
 * - Triangles with a non-finite vertex or zero area are skipped.
 */
import { UnsupportedError } from '../errors';
import { worldToCameraOrThrow } from './camera-model';
import type { CameraView, DepthRange, RenderedImages } from './types';

export interface MeshGeometry {
  /** V·3 xyz, metres. */
  positions: Float32Array;
  /** V·3 RGB per vertex. */
  colors: Uint8Array;
  /** T·3 vertex indices. */
  faces: Uint32Array;
}

const SUBPIXEL = 2048;
/** Pixels beyond the image edge within which projected vertices need no side clipping. */
const GUARD_BAND_PX = 1024;
/** Half of one unit of the edge functions' resolution (1/SUBPIXEL²): biases strict tests. */
const TIE_BIAS = 1 / (2 * SUBPIXEL * SUBPIXEL);

const VERTEX_OK = 0;
const VERTEX_CLIP = 1;
const VERTEX_INVALID = 2;

/** Floats per clip-polygon vertex: camera x, y, z and r, g, b. */
const CLIP_STRIDE = 6;
/** A triangle clipped by five planes has at most 8 vertices. */
const CLIP_MAX_VERTICES = 16;

/** Checks a mesh's arrays (lengths and index range) once, with typed errors. */
export function checkMesh(mesh: MeshGeometry): void {
  const { positions, colors, faces } = mesh;
  if (positions.length % 3 !== 0) {
    throw new UnsupportedError(`mesh positions length ${positions.length} is not a multiple of 3`);
  }
  const vertexCount = positions.length / 3;
  if (colors.length !== positions.length) {
    throw new UnsupportedError(
      `mesh has ${vertexCount} vertices but ${colors.length / 3} vertex colours`,
    );
  }
  if (faces.length % 3 !== 0) {
    throw new UnsupportedError(`mesh faces length ${faces.length} is not a multiple of 3`);
  }
  for (let i = 0; i < faces.length; i++) {
    if (faces[i] >= vertexCount) {
      throw new UnsupportedError(
        `face ${Math.floor(i / 3)} refers to vertex ${faces[i]} of ${vertexCount}`,
      );
    }
  }
}

export class MeshRasteriser {
  private readonly positions: Float32Array;
  private readonly colors: Uint8Array;
  private readonly faces: Uint32Array;
  // Per-vertex scratch, reused across views.
  private readonly camera: Float64Array;
  private readonly screen: Float64Array;
  private readonly inverseDepth: Float64Array;
  private readonly state: Uint8Array;
  private readonly clipA = new Float64Array(CLIP_MAX_VERTICES * CLIP_STRIDE);
  private readonly clipB = new Float64Array(CLIP_MAX_VERTICES * CLIP_STRIDE);

  // Per-render state read by rasterise().
  private width = 0;
  private height = 0;
  private depth: Float32Array = new Float32Array(0);
  private color: Uint8Array = new Uint8Array(0);
  private ids: Int32Array = new Int32Array(0);

  constructor(mesh: MeshGeometry) {
    checkMesh(mesh);
    this.positions = mesh.positions;
    this.colors = mesh.colors;
    this.faces = mesh.faces;
    const v = mesh.positions.length / 3;
    this.camera = new Float64Array(v * 3);
    this.screen = new Float64Array(v * 2);
    this.inverseDepth = new Float64Array(v);
    this.state = new Uint8Array(v);
  }

  get triangleCount(): number {
    return this.faces.length / 3;
  }

  /** Draws every triangle into `target` (prepared by prepareTarget) as seen from `view`. */
  render(view: CameraView, target: RenderedImages, range: DepthRange): void {
    const m = worldToCameraOrThrow(view.cameraToWorld);
    const { fx, fy, cx, cy, width, height } = view.intrinsics;
    this.width = width;
    this.height = height;
    this.depth = target.depth;
    this.color = target.color;
    this.ids = target.ids;
    const { nearM, farM } = range;

    const positions = this.positions;
    const camera = this.camera;
    const screen = this.screen;
    const inverseDepth = this.inverseDepth;
    const state = this.state;
    const loU = -GUARD_BAND_PX;
    const hiU = width - 1 + GUARD_BAND_PX;
    const loV = -GUARD_BAND_PX;
    const hiV = height - 1 + GUARD_BAND_PX;
    const vertexCount = positions.length / 3;
    for (let i = 0; i < vertexCount; i++) {
      const x = positions[i * 3];
      const y = positions[i * 3 + 1];
      const z = positions[i * 3 + 2];
      const xc = m[0] * x + m[1] * y + m[2] * z + m[3];
      const yc = m[4] * x + m[5] * y + m[6] * z + m[7];
      const zc = m[8] * x + m[9] * y + m[10] * z + m[11];
      camera[i * 3] = xc;
      camera[i * 3 + 1] = yc;
      camera[i * 3 + 2] = zc;
      if (!Number.isFinite(xc + yc + zc)) {
        state[i] = VERTEX_INVALID;
        continue;
      }
      if (zc < nearM) {
        state[i] = VERTEX_CLIP;
        continue;
      }
      const iz = 1 / zc;
      const u = fx * xc * iz + cx;
      const v = fy * yc * iz + cy;
      if (u < loU || u > hiU || v < loV || v > hiV) {
        state[i] = VERTEX_CLIP;
        continue;
      }
      state[i] = VERTEX_OK;
      screen[i * 2] = Math.round(u * SUBPIXEL) / SUBPIXEL;
      screen[i * 2 + 1] = Math.round(v * SUBPIXEL) / SUBPIXEL;
      inverseDepth[i] = iz;
    }

    const faces = this.faces;
    const colors = this.colors;
    const triangleCount = faces.length / 3;
    for (let t = 0; t < triangleCount; t++) {
      const a = faces[t * 3];
      const b = faces[t * 3 + 1];
      const c = faces[t * 3 + 2];
      const sa = state[a];
      const sb = state[b];
      const sc = state[c];
      if (sa === VERTEX_INVALID || sb === VERTEX_INVALID || sc === VERTEX_INVALID) continue;
      // Wholly behind the near plane or beyond the far plane: nothing to draw.
      const za = camera[a * 3 + 2];
      const zb = camera[b * 3 + 2];
      const zc = camera[c * 3 + 2];
      if ((za < nearM && zb < nearM && zc < nearM) || (za > farM && zb > farM && zc > farM)) {
        continue;
      }
      if (sa === VERTEX_OK && sb === VERTEX_OK && sc === VERTEX_OK) {
        this.rasterise(
          screen[a * 2],
          screen[a * 2 + 1],
          inverseDepth[a],
          colors[a * 3],
          colors[a * 3 + 1],
          colors[a * 3 + 2],
          screen[b * 2],
          screen[b * 2 + 1],
          inverseDepth[b],
          colors[b * 3],
          colors[b * 3 + 1],
          colors[b * 3 + 2],
          screen[c * 2],
          screen[c * 2 + 1],
          inverseDepth[c],
          colors[c * 3],
          colors[c * 3 + 1],
          colors[c * 3 + 2],
          t,
        );
      } else {
        this.clipAndRasterise(a, b, c, t, view, nearM);
      }
    }
  }

  /**
   * Clips triangle (a, b, c) in camera space against the near plane and the guard band's four
   * side planes, then draws the resulting convex polygon as a fan.
   */
  private clipAndRasterise(
    a: number,
    b: number,
    c: number,
    triangle: number,
    view: CameraView,
    nearM: number,
  ): void {
    const { fx, fy, cx, cy, width, height } = view.intrinsics;
    let polygon = this.clipA;
    let scratch = this.clipB;
    const camera = this.camera;
    const colors = this.colors;
    const corners = [a, b, c];
    for (let k = 0; k < 3; k++) {
      const v = corners[k];
      polygon[k * CLIP_STRIDE] = camera[v * 3];
      polygon[k * CLIP_STRIDE + 1] = camera[v * 3 + 1];
      polygon[k * CLIP_STRIDE + 2] = camera[v * 3 + 2];
      polygon[k * CLIP_STRIDE + 3] = colors[v * 3];
      polygon[k * CLIP_STRIDE + 4] = colors[v * 3 + 1];
      polygon[k * CLIP_STRIDE + 5] = colors[v * 3 + 2];
    }
    let count = 3;
    // Half-spaces p·(x, y, z) + q ≥ 0: near, then u ≥ −G, u ≤ W−1+G, v ≥ −G, v ≤ H−1+G.
    const g = GUARD_BAND_PX;
    // prettier-ignore
    const planes = [
      0, 0, 1, -nearM,
      fx, 0, cx + g, 0,
      -fx, 0, width - 1 + g - cx, 0,
      0, fy, cy + g, 0,
      0, -fy, height - 1 + g - cy, 0,
    ];
    for (let p = 0; p < planes.length && count >= 3; p += 4) {
      count = clipPolygon(
        polygon,
        count,
        scratch,
        planes[p],
        planes[p + 1],
        planes[p + 2],
        planes[p + 3],
      );
      const swap = polygon;
      polygon = scratch;
      scratch = swap;
    }
    if (count < 3) return;
    // Project the polygon's vertices in place: (u, v, 1/z) replace (x, y, z).
    for (let k = 0; k < count; k++) {
      const o = k * CLIP_STRIDE;
      const iz = 1 / polygon[o + 2];
      polygon[o] = Math.round((fx * polygon[o] * iz + cx) * SUBPIXEL) / SUBPIXEL;
      polygon[o + 1] = Math.round((fy * polygon[o + 1] * iz + cy) * SUBPIXEL) / SUBPIXEL;
      polygon[o + 2] = iz;
    }
    for (let k = 1; k + 1 < count; k++) {
      const o1 = k * CLIP_STRIDE;
      const o2 = (k + 1) * CLIP_STRIDE;
      this.rasterise(
        polygon[0],
        polygon[1],
        polygon[2],
        polygon[3],
        polygon[4],
        polygon[5],
        polygon[o1],
        polygon[o1 + 1],
        polygon[o1 + 2],
        polygon[o1 + 3],
        polygon[o1 + 4],
        polygon[o1 + 5],
        polygon[o2],
        polygon[o2 + 1],
        polygon[o2 + 2],
        polygon[o2 + 3],
        polygon[o2 + 4],
        polygon[o2 + 5],
        triangle,
      );
    }
  }

  /**
   * Draws one triangle given snapped screen positions, inverse depths and colours. Pixel centres
   * are at integer coordinates.
   */
  private rasterise(
    x0: number,
    y0: number,
    iz0: number,
    r0: number,
    g0: number,
    b0: number,
    x1: number,
    y1: number,
    iz1: number,
    r1: number,
    g1: number,
    b1: number,
    x2: number,
    y2: number,
    iz2: number,
    r2: number,
    g2: number,
    b2: number,
    id: number,
  ): void {
    let area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
    if (!(area !== 0)) return;
    if (area < 0) {
      // Back face: swap vertices 1 and 2 so the edge functions are positive inside.
      let s = x1;
      x1 = x2;
      x2 = s;
      s = y1;
      y1 = y2;
      y2 = s;
      s = iz1;
      iz1 = iz2;
      iz2 = s;
      s = r1;
      r1 = r2;
      r2 = s;
      s = g1;
      g1 = g2;
      g2 = s;
      s = b1;
      b1 = b2;
      b2 = s;
      area = -area;
    }
    const width = this.width;
    const minX = Math.max(0, Math.ceil(Math.min(x0, x1, x2)));
    const maxX = Math.min(width - 1, Math.floor(Math.max(x0, x1, x2)));
    const minY = Math.max(0, Math.ceil(Math.min(y0, y1, y2)));
    const maxY = Math.min(this.height - 1, Math.floor(Math.max(y0, y1, y2)));
    if (minX > maxX || minY > maxY) return;

    // Edge i is opposite vertex i: E(p) = (xb − xa)(py − ya) − (yb − ya)(px − xa), a → b.
    const ex0 = x2 - x1;
    const ey0 = y2 - y1;
    const ex1 = x0 - x2;
    const ey1 = y0 - y2;
    const ex2 = x1 - x0;
    const ey2 = y1 - y0;
    // Tie rule: a pixel centre exactly on an edge belongs to the triangle whose edge points
    // down (or left when horizontal); the neighbour traverses it the other way.
    const bias0 = ey0 > 0 || (ey0 === 0 && ex0 < 0) ? 0 : TIE_BIAS;
    const bias1 = ey1 > 0 || (ey1 === 0 && ex1 < 0) ? 0 : TIE_BIAS;
    const bias2 = ey2 > 0 || (ey2 === 0 && ex2 < 0) ? 0 : TIE_BIAS;
    // Perspective-correct numerators: wᵢ/zᵢ for depth, wᵢcᵢ/zᵢ for colour.
    const r0z = r0 * iz0;
    const g0z = g0 * iz0;
    const b0z = b0 * iz0;
    const r1z = r1 * iz1;
    const g1z = g1 * iz1;
    const b1z = b1 * iz1;
    const r2z = r2 * iz2;
    const g2z = g2 * iz2;
    const b2z = b2 * iz2;

    const depth = this.depth;
    const color = this.color;
    const ids = this.ids;
    for (let y = minY; y <= maxY; y++) {
      let w0 = ex0 * (y - y1) - ey0 * (minX - x1) - bias0;
      let w1 = ex1 * (y - y2) - ey1 * (minX - x2) - bias1;
      let w2 = ex2 * (y - y0) - ey2 * (minX - x0) - bias2;
      let entered = false;
      let index = y * width + minX;
      for (let x = minX; x <= maxX; x++, index++) {
        if (w0 >= 0 && w1 >= 0 && w2 >= 0) {
          entered = true;
          const d = w0 * iz0 + w1 * iz1 + w2 * iz2;
          const z = area / d;
          if (z < depth[index]) {
            depth[index] = z;
            ids[index] = id;
            const s = 1 / d;
            const o = index * 3;
            color[o] = (w0 * r0z + w1 * r1z + w2 * r2z) * s + 0.5;
            color[o + 1] = (w0 * g0z + w1 * g1z + w2 * g2z) * s + 0.5;
            color[o + 2] = (w0 * b0z + w1 * b1z + w2 * b2z) * s + 0.5;
          }
        } else if (entered) {
          break; // a triangle's row is one span
        }
        w0 -= ey0;
        w1 -= ey1;
        w2 -= ey2;
      }
    }
  }
}

/**
 * One Sutherland–Hodgman step: keeps the part of `input` (count vertices) where
 * px·x + py·y + pz·z + q ≥ 0, writing it to `output`; returns the new vertex count.
 */
function clipPolygon(
  input: Float64Array,
  count: number,
  output: Float64Array,
  px: number,
  py: number,
  pz: number,
  q: number,
): number {
  let out = 0;
  for (let k = 0; k < count; k++) {
    const a = k * CLIP_STRIDE;
    const b = ((k + 1) % count) * CLIP_STRIDE;
    const da = px * input[a] + py * input[a + 1] + pz * input[a + 2] + q;
    const db = px * input[b] + py * input[b + 1] + pz * input[b + 2] + q;
    if (da >= 0) {
      if (out >= CLIP_MAX_VERTICES) return out;
      output.set(input.subarray(a, a + CLIP_STRIDE), out * CLIP_STRIDE);
      out++;
    }
    if (da >= 0 !== db >= 0) {
      if (out >= CLIP_MAX_VERTICES) return out;
      const t = da / (da - db);
      const o = out * CLIP_STRIDE;
      for (let j = 0; j < CLIP_STRIDE; j++)
        output[o + j] = input[a + j] + t * (input[b + j] - input[a + j]);
      out++;
    }
  }
  return out;
}
