/**
 * Property tests: whatever the geometry (degenerate and NaN triangles, points at infinity,
 * cameras inside or on the geometry) and whatever the camera (zero-size images, NaN poses), the
 * renderer and planner either return well-formed results or throw an UnsupportedError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/pipeline/errors';
import { SceneRenderer } from '../../../src/pipeline/render/scene-renderer';
import type { RenderedImages } from '../../../src/pipeline/render/types';
import { planViews } from '../../../src/pipeline/render/view-planner';
import type { Intrinsics } from '../../../src/pipeline/scene/types';

const coordinate = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e30, -1e30, 0) },
);

const cloudArb = fc
  .integer({ min: 0, max: 14 })
  .chain((n) =>
    fc.record({
      positions: fc.array(coordinate, { minLength: n * 3, maxLength: n * 3 }),
      colors: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: n * 3, maxLength: n * 3 }),
      faces: fc.array(fc.integer({ min: 0, max: Math.max(0, n - 1) }), {
        minLength: 0,
        maxLength: n > 0 ? 30 : 0,
      }),
    }),
  )
  .map(({ positions, colors, faces }) => ({
    positions: Float32Array.from(positions),
    colors: Uint8Array.from(colors),
    faces: Uint32Array.from(faces.slice(0, faces.length - (faces.length % 3))),
  }));

const intrinsicsArb: fc.Arbitrary<Intrinsics> = fc.record({
  fx: fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: 1, max: 200, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -5, NaN) },
  ),
  fy: fc.double({ min: 1, max: 200, noNaN: true }),
  cx: fc.double({ min: -10, max: 40, noNaN: true }),
  cy: fc.double({ min: -10, max: 40, noNaN: true }),
  width: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 24 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5) },
  ),
  height: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 24 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 3.5) },
  ),
});

/** A rotation from three angles and a translation (possibly non-finite). */
const poseArb = fc
  .record({
    a: fc.double({ min: -4, max: 4, noNaN: true }),
    b: fc.double({ min: -4, max: 4, noNaN: true }),
    c: fc.double({ min: -4, max: 4, noNaN: true }),
    t: fc.array(coordinate, { minLength: 3, maxLength: 3 }),
  })
  .map(({ a, b, c, t }) => {
    const [ca, sa, cb, sb, cc, sc] = [
      Math.cos(a),
      Math.sin(a),
      Math.cos(b),
      Math.sin(b),
      Math.cos(c),
      Math.sin(c),
    ];
    // Rz(a)·Ry(b)·Rx(c)
    return Float64Array.from([
      ca * cb, ca * sb * sc - sa * cc, ca * sb * cc + sa * sc, t[0],
      sa * cb, sa * sb * sc + ca * cc, sa * sb * cc - ca * sc, t[1],
      -sb, cb * sc, cb * cc, t[2],
      0, 0, 0, 1,
    ]); // prettier-ignore
  });

function checkImages(images: RenderedImages, nearM: number, farM: number) {
  const { width, height } = images.intrinsics;
  expect(images.depth.length).toBe(width * height);
  expect(images.color.length).toBe(width * height * 3);
  for (let i = 0; i < images.depth.length; i++) {
    const d = images.depth[i];
    expect(Number.isFinite(d)).toBe(true);
    if (images.ids[i] < 0) expect(d).toBe(0);
    else {
      expect(d).toBeGreaterThanOrEqual(Math.fround(nearM) * (1 - 1e-6));
      expect(d).toBeLessThanOrEqual(farM);
    }
  }
}

function typedOrNothing(run: () => void) {
  try {
    run();
  } catch (err) {
    if (!(err instanceof UnsupportedError)) throw err;
  }
}

describe('renderer and planner on arbitrary input', () => {
  it('renders any mesh or cloud from any camera, or refuses with UnsupportedError', () => {
    let rendered = 0;
    let drewSomething = 0;
    fc.assert(
      fc.property(
        cloudArb,
        intrinsicsArb,
        poseArb,
        fc.constantFrom('auto', 'points') as fc.Arbitrary<'auto' | 'points'>,
        (cloud, intrinsics, cameraToWorld, mode) => {
          typedOrNothing(() => {
            const renderer = SceneRenderer.fromCloud(cloud, { mode, nearM: 0.01, farM: 50 });
            const images = renderer.render({ intrinsics, cameraToWorld });
            checkImages(images, 0.01, 50);
            rendered++;
            if (images.ids.some((id) => id >= 0)) drewSomething++;
          });
        },
      ),
      { numRuns: 400, seed: 14 },
    );
    // The property is not vacuous: many inputs render, and some draw pixels.
    expect(rendered).toBeGreaterThan(100);
    expect(drewSomething).toBeGreaterThan(10);
  });

  it('refuses faces that point past the vertices, and mismatched arrays, with UnsupportedError', () => {
    const positions = Float32Array.from([0, 0, 1, 1, 0, 1, 0, 1, 1]);
    const colors = new Uint8Array(9);
    expect(() =>
      SceneRenderer.fromCloud({ positions, colors, faces: Uint32Array.from([0, 1, 3]) }),
    ).toThrow(UnsupportedError);
    expect(() =>
      SceneRenderer.fromCloud({ positions, colors: new Uint8Array(6), faces: undefined }),
    ).toThrow(UnsupportedError);
    expect(() => SceneRenderer.fromCloud({ positions, colors }, { mode: 'mesh' })).toThrow(
      UnsupportedError,
    );
    expect(() => SceneRenderer.fromCloud({ positions, colors }, { nearM: 0 })).toThrow(
      UnsupportedError,
    );
  });

  it('plans views for any small cloud, or refuses with UnsupportedError', () => {
    let planned = 0;
    fc.assert(
      fc.property(cloudArb, fc.boolean(), (cloud, withBox) => {
        typedOrNothing(() => {
          const plan = planViews(cloud, {
            width: 16,
            height: 12,
            planningWidth: 8,
            yawSteps: 3,
            pitchesDeg: [-20],
            maxViews: 3,
            boxes: withBox ? [{ min: [-1, -1, -1], max: [1, 1, 1] }] : undefined,
          });
          for (const v of plan.views) {
            expect(v.cameraToWorld.every(Number.isFinite)).toBe(true);
            expect(v.intrinsics.width).toBe(16);
          }
          expect(plan.views.filter((v) => v.kind === 'coverage').length).toBeLessThanOrEqual(3);
          if (plan.coverage !== undefined) {
            expect(plan.coverage).toBeGreaterThanOrEqual(0);
            expect(plan.coverage).toBeLessThanOrEqual(1);
          }
          planned++;
        });
      }),
      { numRuns: 150, seed: 15 },
    );
    expect(planned).toBeGreaterThan(50);
  });
});
