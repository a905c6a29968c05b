/**
 * Fuzz: ≥ 1,000 mutated inputs per reader (truncations, bit flips, absurd counts, garbage). Each
 * either reads or throws one of our typed errors naming the file; nothing else, no hang, and no
 * read larger than the file (so no allocation sized by a garbled count).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BudgetError,
  MissingFileError,
  ParseError,
  UnsupportedError,
} from '../../../../src/pipeline/errors';
import type { FileSource } from '../../../../src/pipeline/io/file-source';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { readSceneBundle } from '../../../../src/pipeline/scene/bundle/bundle-reader';
import { writeSceneBundle } from '../../../../src/pipeline/scene/bundle/bundle-writer';
import { parsePly } from '../../../../src/pipeline/scene/readers/ply';
import { writePly } from '../../../../src/pipeline/scene/readers/ply-writer';
import { scannetReader } from '../../../../src/pipeline/scene/readers/scannet';
import { readSensFrames } from '../../../../src/pipeline/scene/readers/sens';
import type { Scene } from '../../../../src/pipeline/scene/types';
import { bundleSeedScene, sensSeeds, smallCloud } from './fuzz-seeds';

const RUNS = 1000;

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'overwrite'; at: number; value: number; width: 1 | 2 | 4 | 8 }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'digits'; at: number; digits: string };

const ABSURD = [0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 2 ** 40, 2 ** 53 - 1, -1];

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
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
    width: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ maxLength: 16 }),
  }),
  // Text formats: a number replaced by a huge or odd one.
  fc.record({
    kind: fc.constant('digits' as const),
    at: fc.nat(),
    digits: fc.constantFrom(
      '1099511627776',
      '-1',
      '99999999999999999999',
      'nan',
      '1e309',
      '0x10',
      '',
    ),
  }),
);

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'flip') b[at] ^= 1 << m.bit;
    else if (m.kind === 'overwrite') {
      const v = new DataView(b.buffer);
      const room = b.length - at;
      if (m.width === 8 && room >= 8) v.setBigUint64(at, BigInt.asUintN(64, BigInt(m.value)), true);
      else if (m.width === 4 && room >= 4) v.setUint32(at, m.value >>> 0, true);
      else if (m.width === 2 && room >= 2) v.setUint16(at, m.value & 0xffff, true);
      else b[at] = m.value & 0xff;
    } else if (m.kind === 'insert') {
      const out = new Uint8Array(b.length + m.bytes.length);
      out.set(b.subarray(0, at));
      out.set(m.bytes, at);
      out.set(b.subarray(at), at + m.bytes.length);
      b = out;
    } else {
      // Replace the run of digits at or after `at`.
      let s = at;
      while (s < b.length && !(b[s] >= 0x30 && b[s] <= 0x39)) s++;
      let e = s;
      while (e < b.length && b[e] >= 0x30 && b[e] <= 0x39) e++;
      const rep = new TextEncoder().encode(m.digits);
      const out = new Uint8Array(b.length - (e - s) + rep.length);
      out.set(b.subarray(0, s));
      out.set(rep, s);
      out.set(b.subarray(e), s + rep.length);
      b = out;
    }
  }
  return b;
}

const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });

/** Passes for success or one of our typed errors that names `file`; rethrows anything else. */
function expectTyped(err: unknown, file: string, needsLocation: boolean): void {
  if (err instanceof ParseError) {
    expect(err.message).toContain(file);
    if (needsLocation) {
      expect(err.location.byteOffset !== undefined || err.location.line !== undefined).toBe(true);
    }
    return;
  }
  if (err instanceof UnsupportedError || err instanceof MissingFileError) {
    expect(err.message).toContain(file);
    return;
  }
  // A mutated size above the resource budget: refused before allocating, naming the file.
  if (err instanceof BudgetError) {
    expect(err.message).toContain(file);
    expect(err.location?.file).toContain(file);
    return;
  }
  throw err;
}

/** A FileSource that fails the test if a reader asks for more bytes than the file has. */
function guarded(files: Map<string, Uint8Array>, name: string): FileSource {
  const inner = new MemoryFileSource(files, name);
  return {
    name,
    list: () => inner.list(),
    size: (p) => inner.size(p),
    read: (p) => inner.read(p),
    exists: (p) => inner.exists(p),
    async readRange(p, offset, length) {
      const size = await inner.size(p);
      if (offset + length > size) {
        throw new Error(`readRange(${offset}, ${length}) past the end of a ${size}-byte file`);
      }
      return inner.readRange(p, offset, length);
    },
  };
}

async function loadAll(scene: Scene): Promise<void> {
  for (const f of scene.frames) {
    await f.loadColor();
    await f.loadDepth();
    if (f.loadInstances) await f.loadInstances();
  }
}

describe('reader fuzzing', () => {
  for (const format of ['binary_little_endian', 'binary_big_endian', 'ascii'] as const) {
    it(`PLY ${format}: ${RUNS} mutated files`, () => {
      const base = writePly(smallCloud(), { format });
      fc.assert(
        fc.property(mutationsArb, (muts) => {
          try {
            parsePly(mutate(base, muts), 'fuzz.ply');
          } catch (err) {
            expectTyped(err, 'fuzz.ply', true);
          }
        }),
        { numRuns: RUNS, seed: 1234 },
      );
    });
  }

  it(`.sens: ${RUNS} mutated files, every frame loaded`, async () => {
    // JPEG, PNG and raw colour; zlib and raw depth.
    const bases = sensSeeds();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bases.length - 1 }), mutationsArb, async (which, muts) => {
        const src = guarded(new Map([['f.sens', mutate(bases[which], muts)]]), 'fz');
        try {
          const { frames } = await readSensFrames(src, 'f.sens');
          await loadAll({ name: '', format: 'sens', frames, warnings: [] });
        } catch (err) {
          expectTyped(err, 'fz/f.sens', true);
        }
      }),
      { numRuns: RUNS, seed: 99 },
    );
  });

  it(`scene bundle: ${RUNS} mutated bundles, every frame loaded`, async () => {
    const files = await writeSceneBundle(bundleSeedScene());
    const names = [...files.keys()].sort();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), mutationsArb, async (target, muts) => {
        const copy = new Map(files);
        copy.set(target, mutate(files.get(target)!, muts));
        try {
          await loadAll(await readSceneBundle(guarded(copy, 'bz')));
        } catch (err) {
          // Manifest field errors name the field rather than a byte offset.
          expectTyped(err, 'bz/', target !== 'scene.json' && target.endsWith('.ply'));
        }
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  it(`ScanNet folder: ${RUNS} mutated folders`, async () => {
    const cloud = smallCloud();
    const n = cloud.positions.length / 3;
    const enc = (s: string) => new TextEncoder().encode(s);
    const files = new Map<string, Uint8Array>([
      ['s_vh_clean_2.ply', writePly(cloud)],
      ['s_vh_clean_2.labels.ply', writePly(cloud)],
      [
        's_vh_clean_2.0.010000.segs.json',
        enc(JSON.stringify({ segIndices: Array.from({ length: n }, (_, i) => i % 5) })),
      ],
      [
        's.aggregation.json',
        enc(
          JSON.stringify({
            segGroups: [
              { id: 0, objectId: 0, label: 'a', segments: [0, 1] },
              { id: 1, objectId: 1, label: 'b', segments: [3] },
            ],
          }),
        ),
      ],
      ['s.txt', enc('axisAlignment = 1 0 0 1 0 1 0 2 0 0 1 3 0 0 0 1\n')],
    ]);
    const names = [...files.keys()].sort();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), mutationsArb, async (target, muts) => {
        const copy = new Map(files);
        copy.set(target, mutate(files.get(target)!, muts));
        const src = guarded(copy, 'sn');
        try {
          await scannetReader.read(src, await src.list(), {});
        } catch (err) {
          expectTyped(err, `sn/${target}`, target.endsWith('.ply') || target.endsWith('.txt'));
        }
      }),
      { numRuns: RUNS, seed: 5 },
    );
  });

  it(`garbage: ${RUNS} random files after a valid PLY header or .sens version, and raw noise`, async () => {
    const header = new TextEncoder().encode(
      'ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 2\nproperty list uchar int vertex_indices\nend_header\n',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.nat({ max: 2 }),
        async (noise, kind) => {
          const prefix =
            kind === 0 ? header : kind === 1 ? Uint8Array.from([4, 0, 0, 0]) : new Uint8Array(0);
          const bytes = new Uint8Array(prefix.length + noise.length);
          bytes.set(prefix);
          bytes.set(noise, prefix.length);
          try {
            parsePly(bytes, 'g.ply');
          } catch (err) {
            expectTyped(err, 'g.ply', true);
          }
          try {
            const { frames } = await readSensFrames(
              guarded(new Map([['g.sens', bytes]]), 'gz'),
              'g.sens',
            );
            await loadAll({ name: '', format: 'sens', frames, warnings: [] });
          } catch (err) {
            expectTyped(err, 'gz/g.sens', true);
          }
        },
      ),
      { numRuns: RUNS, seed: 3 },
    );
  });
});
