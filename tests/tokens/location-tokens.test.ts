import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  binSize,
  coordinateToBin,
  decodeBinsToBox,
  encodeBoxToBins,
  encodeBoxToTokens,
  LocationTokenError,
  type LocationBox,
  type SceneNormalisation,
} from '../../src/tokens';

const normArb: fc.Arbitrary<SceneNormalisation> = fc.record({
  centroid: fc.tuple(
    fc.double({ min: -1000, max: 1000, noNaN: true }),
    fc.double({ min: -1000, max: 1000, noNaN: true }),
    fc.double({ min: -1000, max: 1000, noNaN: true }),
  ),
  radius: fc.double({ min: 0.01, max: 1000, noNaN: true }),
});
const binsArb = fc.oneof(fc.constant(256), fc.integer({ min: 2, max: 4096 }));

describe('location tokens: hand-computed cases', () => {
  const unit: SceneNormalisation = { centroid: [0, 0, 0], radius: 1 };

  it("uses 3D-LLM's grid for N = 256: floor(p*128 + 128) clamped to 0..255", () => {
    expect(coordinateToBin(0, 0, 1, 256)).toBe(128);
    expect(coordinateToBin(-1, 0, 1, 256)).toBe(0);
    expect(coordinateToBin(1, 0, 1, 256)).toBe(255); // 256 clamps
    expect(coordinateToBin(-0.001, 0, 1, 256)).toBe(127); // floor, not truncation
    expect(coordinateToBin(0.5, 0, 1, 256)).toBe(192);
    expect(coordinateToBin(-7, 0, 1, 256)).toBe(0);
    expect(coordinateToBin(7, 0, 1, 256)).toBe(255);
    // centroid 10, radius 2: 11 -> (0.5)*128 + 128 = 192
    expect(coordinateToBin(11, 10, 2, 256)).toBe(192);
  });

  it('encodes a box in xmin ymin zmin xmax ymax zmax order and decodes to bin centres', () => {
    const box: LocationBox = { min: [-0.5, 0, 0.25], max: [0.5, 0.75, 0.999] };
    expect(encodeBoxToBins(box, unit)).toEqual([64, 128, 160, 192, 224, 255]);
    expect(encodeBoxToTokens(box, unit)).toBe('<loc64><loc128><loc160><loc192><loc224><loc255>');
    const decoded = decodeBinsToBox([64, 128, 160, 192, 224, 255], unit);
    // centre of bin b: (b + 0.5 - 128) / 128
    expect(decoded.min).toEqual([-63.5 / 128, 0.5 / 128, 32.5 / 128]);
    expect(decoded.max).toEqual([64.5 / 128, 96.5 / 128, 127.5 / 128]);
  });

  it('generalises to other bin counts', () => {
    // N = 4 over [-1, 1): bins of 0.5 m
    expect(coordinateToBin(-0.6, 0, 1, 4)).toBe(0);
    expect(coordinateToBin(-0.4, 0, 1, 4)).toBe(1);
    expect(coordinateToBin(0.1, 0, 1, 4)).toBe(2);
    expect(decodeBinsToBox([0, 1, 2, 3, 3, 3], unit, 4)).toEqual({
      min: [-0.75, -0.25, 0.25],
      max: [0.75, 0.75, 0.75],
    });
  });

  it('rejects bad bins, bad normalisations and non-finite coordinates with a typed error', () => {
    expect(() => decodeBinsToBox([0, 0, 0, 0, 0, 256], unit)).toThrow(LocationTokenError);
    expect(() => decodeBinsToBox([0, 0, 0, 0, 0], unit)).toThrow(LocationTokenError);
    expect(() => decodeBinsToBox([0, 0, 0.5, 0, 0, 1], unit)).toThrow(LocationTokenError);
    expect(() => encodeBoxToBins({ min: [0, 0, NaN], max: [1, 1, 1] }, unit)).toThrow(
      LocationTokenError,
    );
    expect(() =>
      encodeBoxToBins({ min: [0, 0, 0], max: [1, 1, 1] }, { centroid: [0, 0, 0], radius: 0 }),
    ).toThrow(LocationTokenError);
    expect(() => encodeBoxToBins({ min: [0, 0, 0], max: [1, 1, 1] }, unit, 1)).toThrow(
      LocationTokenError,
    );
  });
});

describe('location tokens: properties', () => {
  it('encode -> decode moves every coordinate inside the grid by at most half a bin', () => {
    fc.assert(
      fc.property(
        normArb,
        binsArb,
        fc.array(fc.double({ min: -1, max: 1, noNaN: true, maxExcluded: true }), {
          minLength: 6,
          maxLength: 6,
        }),
        (norm, bins, unitCoords) => {
          const coords = unitCoords.map((u, i) => norm.centroid[i % 3] + u * norm.radius);
          const box: LocationBox = {
            min: [0, 1, 2].map((a) => Math.min(coords[a], coords[a + 3])) as LocationBox['min'],
            max: [0, 1, 2].map((a) => Math.max(coords[a], coords[a + 3])) as LocationBox['max'],
          };
          const decoded = decodeBinsToBox(encodeBoxToBins(box, norm, bins), norm, bins);
          const halfBin = binSize(norm, bins) / 2;
          // float64 rounding of (c - c0) / r at |c0| up to 1000 m
          const slack =
            1e-9 *
            (1 +
              Math.abs(norm.centroid[0]) +
              Math.abs(norm.centroid[1]) +
              Math.abs(norm.centroid[2]) +
              norm.radius);
          for (let a = 0; a < 3; a++) {
            expect(Math.abs(decoded.min[a] - box.min[a])).toBeLessThanOrEqual(halfBin + slack);
            expect(Math.abs(decoded.max[a] - box.max[a])).toBeLessThanOrEqual(halfBin + slack);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('decode -> encode is the identity on valid tokens (min <= max)', () => {
    fc.assert(
      fc.property(normArb, binsArb, fc.infiniteStream(fc.nat()), (norm, bins, stream) => {
        const raw = [...stream.take(6)].map((v) => v % bins);
        const tokenBins = [0, 1, 2, 0, 1, 2].map((a, i) =>
          i < 3 ? Math.min(raw[a], raw[a + 3]) : Math.max(raw[a], raw[a + 3]),
        );
        const box = decodeBinsToBox(tokenBins, norm, bins);
        expect(encodeBoxToBins(box, norm, bins)).toEqual(tokenBins);
      }),
      { numRuns: 2000 },
    );
  });

  it('encoding is monotone and always inside 0..N-1, even far outside the scene', () => {
    fc.assert(
      fc.property(
        normArb,
        binsArb,
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        (norm, bins, a, b) => {
          const ba = coordinateToBin(a, norm.centroid[0], norm.radius, bins);
          const bb = coordinateToBin(b, norm.centroid[0], norm.radius, bins);
          expect(ba).toBeGreaterThanOrEqual(0);
          expect(ba).toBeLessThan(bins);
          expect(Number.isInteger(ba)).toBe(true);
          if (a <= b) expect(ba).toBeLessThanOrEqual(bb);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
