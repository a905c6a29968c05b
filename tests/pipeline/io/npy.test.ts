import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  readNpy,
  writeNpy,
  type NpyData,
  type NpyDtype,
} from '../../../src/pipeline/io/npy';
import { ParseError, UnsupportedError } from '../../../src/pipeline/errors';

// Fixtures written by numpy 2.x (np.save / numpy.lib.format.write_array).
const fixtures = path.resolve(__dirname, '../../fixtures/io');
const load = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));

describe('readNpy on numpy-written files', () => {
  it('reads float32 2x3', () => {
    const a = readNpy(load('f4_2x3.npy'));
    expect(a.dtype).toBe('<f4');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1.5, -2, 3, 4, 5, 6.25]);
  });
  it('reads float16 as half bits', () => {
    const a = readNpy(load('f2_4.npy'));
    expect(a.shape).toEqual([4]);
    const values = Array.from(a.data as Uint16Array, float16BitsToFloat32);
    expect(values.slice(0, 3)).toEqual([1, -0.5, 65504]);
    expect(values[3]).toBe(2 * 2 ** -24); // 1e-7 → nearest subnormal half
  });
  it('reads int32 including extremes and negatives', () => {
    const a = readNpy(load('i4_3x3.npy'));
    expect(a.shape).toEqual([3, 3]);
    expect(Array.from(a.data)).toEqual([-1, 2, -3, 4, -5, 6, 2147483647, -2147483648, 0]);
  });
  it('reads uint16, float64, uint8 3-D, a scalar and a version 2.0 header', () => {
    expect(Array.from(readNpy(load('u2_5.npy')).data)).toEqual([0, 1, 65535, 300, 7]);
    expect(Array.from(readNpy(load('f8_2.npy')).data)).toEqual([Math.PI, -1e300]);
    const u1 = readNpy(load('u1_2x2x3.npy'));
    expect(u1.dtype).toBe('|u1');
    expect(u1.shape).toEqual([2, 2, 3]);
    expect(Array.from(u1.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const scalar = readNpy(load('scalar_f4.npy'));
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([7.5]);
    const v2 = readNpy(load('f4_v2.npy'));
    expect(Array.from(v2.data)).toEqual([0.25, 0.5]);
  });
});

describe('writeNpy', () => {
  it('writes byte-identical files to numpy for version 1.0', () => {
    const cases: [string, NpyData, number[], NpyDtype][] = [
      ['f4_2x3.npy', new Float32Array([1.5, -2, 3, 4, 5, 6.25]), [2, 3], '<f4'],
      [
        'i4_3x3.npy',
        new Int32Array([-1, 2, -3, 4, -5, 6, 2147483647, -2147483648, 0]),
        [3, 3],
        '<i4',
      ],
      ['u2_5.npy', new Uint16Array([0, 1, 65535, 300, 7]), [5], '<u2'],
      ['u1_2x2x3.npy', Uint8Array.from({ length: 12 }, (_, i) => i), [2, 2, 3], '|u1'],
      ['f8_2.npy', new Float64Array([Math.PI, -1e300]), [2], '<f8'],
    ];
    for (const [name, data, shape, dtype] of cases) {
      expect(Buffer.from(writeNpy(data, shape, dtype)).equals(Buffer.from(load(name))), name).toBe(
        true,
      );
    }
  });
  it('rejects a shape that does not match the data and a wrong array type', () => {
    expect(() => writeNpy(new Float32Array(5), [2, 3], '<f4')).toThrow(UnsupportedError);
    expect(() => writeNpy(new Float64Array(6), [2, 3], '<f4')).toThrow(UnsupportedError);
  });
  it('round-trips random arrays of every dtype (aligned data after the header)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<NpyDtype>('<f4', '<f2', '|u1', '<u2', '<i4', '<f8'),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 3 }),
        fc.integer(),
        (dtype, shape, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: n }, (_, i) => ((seed + i * 7919) % 60000) - 30000);
          const data: NpyData =
            dtype === '<f4'
              ? Float32Array.from(values, (v) => v / 7)
              : dtype === '<f8'
                ? Float64Array.from(values, (v) => v / 7)
                : dtype === '<i4'
                  ? Int32Array.from(values)
                  : dtype === '|u1'
                    ? Uint8Array.from(values, (v) => v & 255)
                    : Uint16Array.from(values, (v) => v & 0xffff);
          const bytes = writeNpy(data, shape, dtype);
          expect((bytes.length - data.byteLength) % 64).toBe(0);
          const back = readNpy(bytes);
          expect(back.dtype).toBe(dtype);
          expect(back.shape).toEqual(shape);
          expect(Array.from(back.data)).toEqual(Array.from(data));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('float16 conversion', () => {
  it('matches IEEE half on hand cases', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // rounds up to infinity
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0x0000);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN)))).toBe(true);
  });
  it('round-trips every finite half exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      expect(float32ToFloat16Bits(float16BitsToFloat32(h))).toBe(h);
    }
  });
  it('agrees with numpy on the fixture', () => {
    const bits = readNpy(load('f2_4.npy')).data as Uint16Array;
    expect(Array.from([1, -0.5, 65504, 1e-7], float32ToFloat16Bits)).toEqual(Array.from(bits));
  });
});

describe('readNpy fuzz', () => {
  const seeds = [
    writeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], '<f4'),
    load('f4_v2.npy'),
    load('i4_3x3.npy'),
    load('u1_2x2x3.npy'),
  ];
  const ours = (e: unknown) => e instanceof ParseError || e instanceof UnsupportedError;

  it('returns or throws our typed errors for ≥ 1,000 mutated inputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom('flip', 'truncate', 'set', 'insert'),
            pos: fc.nat(),
            value: fc.integer({ min: 0, max: 255 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (seedIndex, mutations) => {
          let bytes = Uint8Array.from(seeds[seedIndex]);
          for (const m of mutations) {
            const pos = bytes.length ? m.pos % bytes.length : 0;
            if (m.kind === 'flip') bytes[pos] ^= 1 << (m.value & 7);
            else if (m.kind === 'set') bytes[pos] = m.value;
            else if (m.kind === 'truncate') bytes = bytes.slice(0, pos);
            else {
              const next = new Uint8Array(bytes.length + 1);
              next.set(bytes.subarray(0, pos));
              next[pos] = m.value;
              next.set(bytes.subarray(pos), pos + 1);
              bytes = next;
            }
          }
          try {
            const a = readNpy(bytes, 'fuzz.npy');
            expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
          } catch (e) {
            if (!ours(e)) throw e;
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('rejects absurd shapes before allocating, naming the file and offset', () => {
    const text = "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999), }";
    const header = new Uint8Array(10 + 118);
    header.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(header.buffer).setUint16(8, 118, true);
    for (let i = 0; i < 117; i++) header[10 + i] = i < text.length ? text.charCodeAt(i) : 0x20;
    header[127] = 0x0a;
    expect(() => readNpy(header, 'big.npy')).toThrow(/big\.npy at byte \d+/);
  });

  it('reports garbage, unsupported dtypes and Fortran order clearly', () => {
    expect(() => readNpy(new Uint8Array([1, 2, 3]), 'x.npy')).toThrow(ParseError);
    const fortran = writeNpy(new Float32Array(2), [2], '<f4');
    const text = new TextDecoder().decode(fortran.subarray(10, 80)).replace('False', 'True ');
    fortran.set(new TextEncoder().encode(text), 10);
    expect(() => readNpy(fortran, 'f.npy')).toThrow(UnsupportedError);
    const bigEndian = writeNpy(new Float32Array(2), [2], '<f4');
    bigEndian[21] = '>'.charCodeAt(0);
    expect(new TextDecoder().decode(bigEndian.subarray(10, 30))).toContain("'>f4'");
    expect(() => readNpy(bigEndian, 'be.npy')).toThrow(/be\.npy.*dtype '>f4'/);
  });
});
