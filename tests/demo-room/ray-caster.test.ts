import { describe, expect, it } from 'vitest';
import { FOCAL_SRGB } from '../../src/pipeline/clip/offline/color-terms';
import { lookAtCameraToWorld } from '../../src/demo-room/look-at';
import { box, primitiveAabb, sphere, type Primitive } from '../../src/demo-room/primitives';
import { renderView } from '../../src/demo-room/ray-caster';
import { lightLevel } from '../../src/demo-room/shading';
import type { RoomLayout } from '../../src/demo-room/room-layout';
import { RoomTracer } from '../../src/demo-room/room-tracer';
import { backprojectPixel } from '../../src/pipeline/geometry/camera';
import type { Intrinsics } from '../../src/pipeline/scene/types';
import { generatedDemoRoom, generatedDemoRoomLayout } from './generated-demo-room';
import { distanceToAnySurface, signedDistance } from './surface-distance';

/** A 10 x 10 x 3 m room with the given solids as object 0. */
function roomWith(prims: Primitive[]): RoomLayout {
  const aabb = primitiveAabb(prims[0]);
  for (const p of prims.slice(1)) {
    const b = primitiveAabb(p);
    for (let k = 0; k < 3; k++) {
      aabb.min[k] = Math.min(aabb.min[k], b.min[k]);
      aabb.max[k] = Math.max(aabb.max[k], b.max[k]);
    }
  }
  return {
    seed: 0,
    width: 10,
    depth: 10,
    height: 3,
    interior: { min: [-5, -5, 0], max: [5, 5, 3] },
    shellColorName: 'white',
    shellColor: [...FOCAL_SRGB.white],
    objects: [
      {
        id: 0,
        label: 'thing',
        colorName: 'red',
        color: [...FOCAL_SRGB.red],
        primitives: prims,
        aabb,
      },
    ],
  };
}

// Odd sizes so a pixel centre sits exactly on the optical axis: (cx, cy) = (32, 24).
const intr: Intrinsics = { fx: 100, fy: 100, cx: 32, cy: 24, width: 65, height: 49 };
// At (0, 0, 1.5) looking along +x: camera right = world -y, camera down = world -z.
const pose = lookAtCameraToWorld([0, 0, 1.5], [1, 0, 1.5]);

describe('renderView on hand-computed scenes', () => {
  it('a box face 2 m ahead has depth 2000 mm at every pixel it covers (z-depth, not ray length)', () => {
    const layout = roomWith([box([2, -1, 0.5], [3, 1, 2.5])]);
    const r = renderView(new RoomTracer(layout), intr, pose, { noiseSeed: 1, viewIndex: 0 });
    const at = (u: number, v: number) => v * intr.width + u;
    expect(r.depth[at(32, 24)]).toBe(2000);
    expect(r.instances[at(32, 24)]).toBe(0);
    // The face spans |y| ≤ 1, z in [0.5, 2.5] → |u - 32| ≤ 50 and |v - 24| ≤ 50 at 2 m: all pixels.
    let offAxis = 0;
    for (let v = 0; v < intr.height; v++) {
      for (let u = 0; u < intr.width; u++) {
        expect(r.depth[at(u, v)]).toBe(2000);
        expect(r.instances[at(u, v)]).toBe(0);
        const xn = (u - intr.cx) / intr.fx;
        const yn = (v - intr.cy) / intr.fy;
        const rayLengthMm = 2000 * Math.hypot(1, xn, yn);
        if (Math.abs(r.depth[at(u, v)] - rayLengthMm) > 50) offAxis++;
      }
    }
    // Many pixels where the stored depth is visibly not the ray length.
    expect(offAxis).toBeGreaterThan(100);
  });

  it('walls and floor around a small box are at their analytic depths, with instance -1', () => {
    const layout = roomWith([box([2, -0.1, 1.4], [2.2, 0.1, 1.6])]);
    const r = renderView(new RoomTracer(layout), intr, pose, { noiseSeed: 1, viewIndex: 0 });
    const at = (u: number, v: number) => v * intr.width + u;
    expect(r.depth[at(32, 24)]).toBe(2000);
    // Top row: yn = -0.24 → up, hits the far wall x = 5 before the ceiling (z = 1.5 + 0.24·5 < 3).
    expect(r.depth[at(32, 0)]).toBe(5000);
    expect(r.instances[at(32, 0)]).toBe(-1);
    // Bottom row: yn = 0.24 → the floor z = 0 is reached at t = 1.5 / 0.24 = 6.25 > 5: still the wall.
    expect(r.depth[at(32, 48)]).toBe(5000);
    expect(r.instances[at(32, 48)]).toBe(-1);
    // Left column at row 40: yn = 0.16, floor at t = 9.375; wall x = 5 at t = 5: wall wins.
    expect(r.depth[at(0, 40)]).toBe(5000);
    // A steeper camera: looking down 45°, the centre ray meets the floor at t = 1.5·√2, z-depth
    // t along the unnormalised ray (|d| = 1 in camera z) = 1.5·√2 m.
    const down = lookAtCameraToWorld([0, 0, 1.5], [1, 0, 0.5]);
    const r2 = renderView(
      new RoomTracer(roomWith([box([-4, -4, 2.9], [-3.9, -3.9, 3])])),
      intr,
      down,
      {
        noiseSeed: 1,
        viewIndex: 0,
      },
    );
    expect(r2.depth[at(32, 24)]).toBe(Math.round(1.5 * Math.SQRT2 * 1000));
    expect(r2.instances[at(32, 24)]).toBe(-1);
  });

  it('an off-axis sphere: depth is z along the optical axis, not the distance along the ray', () => {
    // Sphere centre in camera coordinates (-1, 0, 4) (world +y is camera -x): pixel u = 32 - 25.
    const layout = roomWith([sphere([4, 1, 1.5], 0.5)]);
    const r = renderView(new RoomTracer(layout), intr, pose, { noiseSeed: 1, viewIndex: 0 });
    const i = 24 * intr.width + 7;
    const rayLength = Math.sqrt(17) - 0.5; // from the camera to the near surface along the ray
    const zDepth = (rayLength * 4) / Math.sqrt(17);
    expect(r.instances[i]).toBe(0);
    expect(r.depth[i]).toBe(Math.round(zDepth * 1000));
    expect(Math.abs(r.depth[i] - rayLength * 1000)).toBeGreaterThan(100);
  });

  it('colours are the base colour under the documented light level, within texture and noise', () => {
    const layout = roomWith([box([2, -1, 0.5], [3, 1, 2.5])]);
    const r = renderView(new RoomTracer(layout), intr, pose, { noiseSeed: 1, viewIndex: 0 });
    const level = lightLevel(-1, 0, 0); // the face normal
    const base = FOCAL_SRGB.red;
    for (let i = 0; i < intr.width * intr.height; i++) {
      for (let c = 0; c < 3; c++) {
        const expected = base[c] * level;
        expect(Math.abs(r.color[i * 3 + c] - expected)).toBeLessThanOrEqual(expected * 0.04 + 3);
      }
    }
  });

  it('is deterministic per (seed, view) and the noise changes with them', () => {
    const tracer = new RoomTracer(roomWith([box([2, -1, 0.5], [3, 1, 2.5])]));
    const a = renderView(tracer, intr, pose, { noiseSeed: 1, viewIndex: 0 });
    const b = renderView(tracer, intr, pose, { noiseSeed: 1, viewIndex: 0 });
    const c = renderView(tracer, intr, pose, { noiseSeed: 2, viewIndex: 0 });
    expect(Buffer.from(a.color).equals(Buffer.from(b.color))).toBe(true);
    expect(Buffer.from(a.color).equals(Buffer.from(c.color))).toBe(false);
    expect(Buffer.from(a.depth.buffer).equals(Buffer.from(c.depth.buffer))).toBe(true);
  });
});

describe('renderView on the demo room', () => {
  it('every pixel back-projects onto the surface its instance id names', async () => {
    const scene = await generatedDemoRoom();
    const layout = generatedDemoRoomLayout();
    for (const k of [0, 5, 13]) {
      const frame = scene.frames[k];
      const depth = await frame.loadDepth();
      const ids = await frame.loadInstances!();
      const { width, height } = frame.intrinsics;
      const p = new Float64Array(3);
      let worst = 0;
      let zeroDepth = 0;
      let insideFurniture = 0;
      const { min, max } = layout.interior;
      for (let v = 0; v < height; v++) {
        for (let u = 0; u < width; u++) {
          const i = v * width + u;
          if (depth.data[i] === 0) zeroDepth++;
          backprojectPixel(frame.intrinsics, frame.cameraToWorld, u, v, depth.data[i] / 1000, p);
          let d: number;
          if (ids[i] >= 0) {
            d = distanceToAnySurface(layout.objects[ids[i]].primitives, p[0], p[1], p[2]);
          } else {
            d = Infinity;
            for (let a = 0; a < 3; a++) {
              d = Math.min(d, Math.abs(p[a] - min[a]), Math.abs(p[a] - max[a]));
            }
            for (const o of layout.objects) {
              for (const q of o.primitives) {
                if (signedDistance(q, p[0], p[1], p[2]) < -0.002) insideFurniture++;
              }
            }
          }
          worst = Math.max(worst, d);
        }
      }
      expect(zeroDepth).toBe(0);
      expect(insideFurniture).toBe(0);
      // Millimetre quantisation of z, stretched by at most the ray's obliquity.
      expect(worst).toBeLessThan(0.0015);
    }
  });
});
