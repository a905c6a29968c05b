import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { ParseError, UnsupportedError } from '../../../../src/pipeline/errors';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { parseLas } from '../../../../src/pipeline/scene/readers/las';
import { lasFile, type LasPoint } from './cloud-files';

const points: LasPoint[] = Array.from({ length: 20 }, (_, i) => ({
  xyz: [0.25 * i, 1.5 - 0.1 * i, 0.001 * i * i],
  rgb16: [i * 3000, 65535 - i * 3000, 257 * 10],
  classification: i % 7,
}));

describe('LAS reader', () => {
  for (const format of [0, 1, 2, 3, 6, 7, 8]) {
    it(`point format ${format}: scale/offset, RGB 16→8 bit, classes`, () => {
      const bytes = lasFile(points, format, [0.001, 0.001, 0.0005], [10, -5, 2]);
      const { cloud, hasColors, shift } = parseLas(bytes, 'f.las');
      expect(shift).toEqual([0, 0, 0]);
      points.forEach((p, i) => {
        for (let c = 0; c < 3; c++)
          expect(Math.abs(cloud.positions[i * 3 + c] - p.xyz[c])).toBeLessThan(6e-4);
        expect(cloud.semanticIds![i]).toBe(p.classification);
        if (hasColors) {
          for (let c = 0; c < 3; c++)
            expect(cloud.colors[i * 3 + c]).toBe(Math.round(p.rgb16![c] / 257));
        }
      });
      expect(hasColors).toBe([2, 3, 7, 8].includes(format));
    });
  }

  it('UTM-sized coordinates are shifted to the minimum corner and keep millimetres', async () => {
    const far = points.map((p) => ({
      ...p,
      xyz: [500000 + p.xyz[0], 4100000 + p.xyz[1], 80 + p.xyz[2]] as [number, number, number],
    }));
    const bytes = lasFile(far, 3, [0.001, 0.001, 0.001], [500000, 4100000, 0]);
    const scene = await openScene(new MemoryFileSource({ 'tile.las': bytes }, 'tile.las'));
    expect(scene.format).toBe('las');
    const minY = Math.min(...far.map((p) => p.xyz[1]));
    far.forEach((p, i) => {
      expect(Math.abs(scene.cloud!.positions[i * 3] - (p.xyz[0] - 500000))).toBeLessThan(1.5e-3);
      expect(Math.abs(scene.cloud!.positions[i * 3 + 1] - (p.xyz[1] - minY))).toBeLessThan(1.5e-3);
    });
    expect(scene.warnings.join(' ')).toMatch(/shifted by −\(500000\.000, /);
  });

  it('an 8-bit-valued RGB file is kept as is; LAZ and bad counts give typed errors', () => {
    const small = points.map((p, i) => ({
      ...p,
      rgb16: [i, 2 * i, 255] as [number, number, number],
    }));
    const { cloud } = parseLas(lasFile(small, 2, [0.01, 0.01, 0.01], [0, 0, 0]), 'a.las');
    expect(Array.from(cloud.colors.subarray(15, 18))).toEqual([5, 10, 255]);
    const laz = lasFile(points, 3, [0.01, 0.01, 0.01], [0, 0, 0]);
    laz[104] |= 0x80;
    expect(() => parseLas(laz, 'c.laz')).toThrow(UnsupportedError);
    const huge = lasFile(points, 3, [0.01, 0.01, 0.01], [0, 0, 0]);
    new DataView(huge.buffer).setUint32(107, 0x7fffffff, true);
    expect(() => parseLas(huge, 'h.las')).toThrow(ParseError);
  });

  it('a scale that overflows float32 gives a ParseError at the point, not Infinity', () => {
    // 1e36 × an int32 of up to 2^31 is finite in float64 but far beyond float32's 3.4e38.
    const bytes = lasFile(points, 0, [1e36, 0.001, 0.001], [0, 0, 0]);
    new DataView(bytes.buffer).setInt32(227 + 62 + 5 * 22, 2_000_000_000, true); // header, VLR, 22-byte records;
    expect(() => parseLas(bytes, 'big.las')).toThrow(
      /big\.las at byte \d+: point 5 has a non-finite coordinate/,
    );
  });
});
