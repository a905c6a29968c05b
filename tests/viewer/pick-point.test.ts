import { describe, expect, it } from 'vitest';
import { Matrix4, PerspectiveCamera, Vector3 } from 'three';
import { measure, pickPoint } from '../../src/viewer/pick-point';

const W = 640;
const H = 480;

function camera(): PerspectiveCamera {
  const cam = new PerspectiveCamera(50, W / H, 0.05, 100);
  cam.position.set(0.3, -2, 1.2);
  cam.up.set(0, 0, 1);
  cam.lookAt(0, 0, 0.5);
  cam.updateMatrixWorld();
  return cam;
}

const viewProjection = (cam: PerspectiveCamera) =>
  new Matrix4().multiplyMatrices(cam.projectionMatrix, cam.matrixWorldInverse).elements;

/** three.js's own projection to CSS pixels: the independent truth for where a point is drawn. */
function screenOf(cam: PerspectiveCamera, p: readonly number[]): [number, number] {
  const v = new Vector3(p[0], p[1], p[2]).project(cam);
  return [((v.x + 1) / 2) * W, ((1 - v.y) / 2) * H];
}

/** A jittered grid of points on the plane y = depth. */
function plane(depth: number, seed: number): number[] {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5) * 0.01;
  const out: number[] = [];
  for (let i = 0; i < 40; i++)
    for (let k = 0; k < 30; k++) out.push(-1 + i * 0.05 + rand(), depth, k * 0.05 + rand());
  return out;
}

describe('pickPoint', () => {
  for (const seed of [1, 2, 3]) {
    it(`returns the point drawn under the cursor, in front of the one behind it (seed ${seed})`, () => {
      const cam = camera();
      const front = plane(0, seed);
      const back = plane(0.8, seed + 10);
      const positions = new Float32Array([...back, ...front]);
      const frontStart = back.length / 3;
      for (const target of [frontStart + 17, frontStart + 600, frontStart + 1111]) {
        const p = [...positions.subarray(3 * target, 3 * target + 3)];
        const [x, y] = screenOf(cam, p);
        const picked = pickPoint({
          positions,
          viewProjection: viewProjection(cam),
          width: W,
          height: H,
          x,
          y,
          radius: 3,
        });
        expect(picked?.index).toBe(target);
        expect(picked!.position).toEqual(p);
        expect(picked!.screenDistance).toBeLessThan(1e-3);
        // The view depth is the distance along the camera's viewing axis.
        const forward = new Vector3();
        cam.getWorldDirection(forward);
        const depth = new Vector3(...p).sub(cam.position).dot(forward);
        expect(picked!.viewDepth).toBeCloseTo(depth, 5);
      }
    });
  }

  it('ignores points behind the camera, outside the radius and outside the clipping box', () => {
    const cam = camera();
    // On the camera's axis but behind it: it projects to the middle of the screen, mirrored.
    const behind = new Vector3(0, 0, 0.5).sub(cam.position).multiplyScalar(-1).add(cam.position);
    const inside = [0, 0, 0.5];
    const positions = new Float32Array([behind.x, behind.y, behind.z, ...inside]);
    const vp = viewProjection(cam);
    const [x, y] = screenOf(cam, inside);
    const base = { positions, viewProjection: vp, width: W, height: H, radius: 2 };
    expect(pickPoint({ ...base, x, y })?.index).toBe(1);
    expect(pickPoint({ ...base, x: x + 10, y })).toBeUndefined();
    const clip = { min: [0.1, -1, 0], max: [1, 1, 1] };
    expect(pickPoint({ ...base, x, y, clip })).toBeUndefined();
  });

  it('returns nothing for an empty cloud', () => {
    const cam = camera();
    const req = { viewProjection: viewProjection(cam), width: W, height: H, x: 1, y: 1, radius: 5 };
    expect(pickPoint({ ...req, positions: new Float32Array(0) })).toBeUndefined();
  });
});

describe('measure', () => {
  it('splits a 3-4-5 triangle into height and horizontal run', () => {
    const m = measure([1, 1, 1], [4, 1, 5], [0, 0, 1]);
    expect(m.distance).toBeCloseTo(5, 12);
    expect(m.height).toBeCloseTo(4, 12);
    expect(m.horizontal).toBeCloseTo(3, 12);
  });

  it('uses the scene up axis (y-up scans), sign included', () => {
    const m = measure([0, 2, 0], [0, -1, 4], [0, 1, 0]);
    expect(m.distance).toBeCloseTo(5, 12);
    expect(m.height).toBeCloseTo(-3, 12);
    expect(m.horizontal).toBeCloseTo(4, 12);
  });
});
