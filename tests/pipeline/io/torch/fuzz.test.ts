/**
 * Fuzz: mutated torch.save files (the whole zip, and the data.pkl re-zipped with its storages)
 * either read or throw one of our typed errors naming the file; nothing else, no hang.
 */
import fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BudgetError, ParseError, UnsupportedError } from '../../../../src/pipeline/errors';
import { pyDict, pyTuple, tensor } from '../../../../src/pipeline/io/torch/tensor';
import { readTorchFile, writeTorchFile } from '../../../../src/pipeline/io/torch/torch-file';

const ABSURD = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff, -1];

const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(...ABSURD), fc.integer()),
    width: fc.constantFrom(1 as const, 4 as const),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ maxLength: 8 }),
  }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'flip') b[at] ^= 1 << m.bit;
    else if (m.kind === 'overwrite') {
      if (m.width === 4 && b.length - at >= 4)
        new DataView(b.buffer).setUint32(at, m.value >>> 0, true);
      else b[at] = m.value & 0xff;
    } else {
      const out = new Uint8Array(b.length + m.bytes.length);
      out.set(b.subarray(0, at));
      out.set(m.bytes, at);
      out.set(b.subarray(at), at + m.bytes.length);
      b = out;
    }
  }
  return b;
}

function expectTyped(err: unknown, file: string): void {
  if (err instanceof ParseError) {
    expect(err.message).toContain(file);
    // a byte offset, or the zip record whose declared size is wrong
    expect(err.location.byteOffset !== undefined || err.location.file !== file).toBe(true);
    return;
  }
  if (err instanceof UnsupportedError || err instanceof BudgetError) {
    expect(err.message).toContain(file);
    return;
  }
  throw err;
}

const original = writeTorchFile(
  pyDict({
    feat: tensor('float16', [4, 3], new Uint16Array(12).fill(0x3c00)),
    mask_full: tensor('bool', [6], new Uint8Array([1, 1, 0, 1, 0, 1])),
    ids: tensor('int64', [2], new BigInt64Array([3n, -4n])),
    meta: pyDict([
      ['scene', 'scene0000_00'],
      [1, pyTuple(2, null, true, [0.5])],
    ]),
  }),
);

describe('torch file fuzz', () => {
  it('mutated archives read or fail with typed errors (600 runs)', () => {
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (ms) => {
        try {
          readTorchFile(mutate(original, ms), 'fuzz.pt');
        } catch (e) {
          expectTyped(e, 'fuzz.pt');
        }
      }),
      { numRuns: 600, seed: 16 },
    );
  });

  it('mutated data.pkl inside a valid zip reads or fails with typed errors (600 runs)', () => {
    const entries = unzipSync(original);
    const pickle = entries['archive/data.pkl'];
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (ms) => {
        const zip = zipSync({ ...entries, 'archive/data.pkl': mutate(pickle, ms) }, { level: 0 });
        try {
          readTorchFile(zip, 'pkl.pt');
        } catch (e) {
          expectTyped(e, 'pkl.pt');
        }
      }),
      { numRuns: 600, seed: 61 },
    );
  });
});
