/**
 * Python oracle: our .npy reader and writer against the numpy installed here, live (the
 * committed fixtures in npy.test.ts were written by one numpy once). numpy loads every file we
 * write with the same dtype, shape and bytes, and np.save of the same array gives exactly our
 * file; we read numpy's files back to the same bytes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readNpy, writeNpy, type NpyData, type NpyDtype } from '../../../src/pipeline/io/npy';
import { mulberry32 } from '../../../src/pipeline/random';
import { describeWithPython } from '../../oracles/python';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'npy-numpy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DTYPES: NpyDtype[] = ['<f4', '<f2', '|u1', '<u2', '<i4', '<f8'];
const SHAPES = [[], [0], [1], [7], [3, 5], [2, 0, 4], [2, 3, 4], [1000, 3], [4, 1, 1, 2]];

/** Random bit patterns for every element (NaNs and infinities included for floats). */
function randomArray(dtype: NpyDtype, n: number, seed: number): NpyData {
  const r = mulberry32(seed);
  const bytes = new Uint8Array(
    n * { '<f4': 4, '<f2': 2, '|u1': 1, '<u2': 2, '<i4': 4, '<f8': 8 }[dtype],
  );
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
  const b = bytes.buffer;
  switch (dtype) {
    case '<f4':
      return new Float32Array(b);
    case '<f2':
    case '<u2':
      return new Uint16Array(b);
    case '|u1':
      return bytes;
    case '<i4':
      return new Int32Array(b);
    case '<f8':
      return new Float64Array(b);
  }
}

const hex = (d: NpyData) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');

interface Loaded {
  file: string;
  dtype: string;
  shape: number[];
  hex: string;
  fortran: boolean;
}

const SCRIPT = `
import json, sys
import numpy as np
cases = json.load(sys.stdin)
out = []
for c in cases:
    a = np.load(c['ours'])
    out.append({'file': c['ours'], 'dtype': a.dtype.str, 'shape': list(a.shape),
                'hex': a.tobytes().hex(), 'fortran': bool(np.isfortran(a) and a.ndim > 1)})
    b = np.frombuffer(bytes.fromhex(c['hex']), dtype=c['dtype']).reshape(c['shape'])
    np.save(c['theirs'], b)
print(json.dumps(out))
`;

describeWithPython('.npy files vs numpy', ['numpy'], (py) => {
  it('numpy reads what we write, writes the same bytes, and we read what it writes', () => {
    const cases: { ours: string; theirs: string; dtype: NpyDtype; shape: number[]; hex: string }[] =
      [];
    let seed = 1;
    for (const dtype of DTYPES)
      for (const shape of SHAPES) {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = randomArray(dtype, n, seed++);
        const name = `${dtype.replace(/[<|]/, '')}_${shape.join('x') || 'scalar'}`;
        const ours = path.join(tmp, `${name}.ours.npy`);
        writeFileSync(ours, writeNpy(data, shape, dtype));
        cases.push({
          ours,
          theirs: path.join(tmp, `${name}.numpy.npy`),
          dtype,
          shape,
          hex: hex(data),
        });
      }
    const loaded = py.run<Loaded[]>(SCRIPT, cases);
    expect(loaded).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const got = loaded[i];
      expect(got.dtype, c.ours).toBe(c.dtype);
      expect(got.shape, c.ours).toEqual(c.shape);
      expect(got.fortran, c.ours).toBe(false);
      expect(got.hex, c.ours).toBe(c.hex);
      const theirs = new Uint8Array(readFileSync(c.theirs));
      expect(Buffer.from(theirs).equals(Buffer.from(readFileSync(c.ours))), c.theirs).toBe(true);
      const back = readNpy(theirs, c.theirs);
      expect(back.dtype).toBe(c.dtype);
      expect(back.shape).toEqual(c.shape);
      expect(hex(back.data), c.theirs).toBe(c.hex);
    });
  });
});
