/**
 * Shared mutation helpers for the new readers' fuzz tests: byte mutations (truncate, flip,
 * absurd integers, inserted noise, replaced digit runs), folder mutations (delete or duplicate
 * lines, delete files), a check that an error is one of ours and names the file, and a
 * FileSource that fails when a reader asks for bytes past a file's end.
 */
import fc from 'fast-check';
import {
  BudgetError,
  MissingFileError,
  ParseError,
  UnsupportedError,
} from '../../../../src/pipeline/errors';
import type { FileSource } from '../../../../src/pipeline/io/file-source';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { IMAGE_HEADER_PROBE_BYTES } from '../../../../src/pipeline/image/image-size';

const ABSURD = [0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff, -1];
const TOKENS = ['nan', '1e400', '-1', '99999999999999999999', '', '{', '"', ',', '\n', '1 2'];

export const mutationArb = fc.record({
  kind: fc.constantFrom('truncate', 'flip', 'int32', 'insert', 'token', 'deleteLine', 'dupLine'),
  at: fc.nat(),
  value: fc.oneof(fc.constantFrom(...ABSURD), fc.integer()),
  bit: fc.integer({ min: 0, max: 7 }),
  token: fc.constantFrom(...TOKENS),
  noise: fc.uint8Array({ maxLength: 12 }),
});
export type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;
export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

export function mutateBytes(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b: Uint8Array = input.slice();
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'flip') b[at] ^= 1 << m.bit;
    else if (m.kind === 'int32') {
      if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at, m.value >>> 0, true);
    } else if (m.kind === 'insert') b = splice(b, at, 0, m.noise);
    else if (m.kind === 'token') {
      let s = at;
      while (s < b.length && !(b[s] >= 0x30 && b[s] <= 0x39)) s++;
      let e = s;
      while (e < b.length && ((b[e] >= 0x30 && b[e] <= 0x39) || b[e] === 0x2e)) e++;
      b = splice(b, s, e - s, new TextEncoder().encode(m.token));
    } else {
      const lines = new TextDecoder('latin1').decode(b).split('\n');
      const i = m.at % lines.length;
      if (m.kind === 'deleteLine') lines.splice(i, 1);
      else lines.splice(i, 0, lines[i]);
      b = Uint8Array.from(lines.join('\n'), (ch) => ch.charCodeAt(0));
    }
  }
  return b;
}

/** Mutates one file of a folder (text files three times as often), or deletes one. */
export function mutateFolder(
  files: Record<string, Uint8Array>,
  pick: number,
  mutations: Mutation[],
  deleteFile: boolean,
): { files: Record<string, Uint8Array>; target: string } {
  const names = Object.keys(files).sort();
  const textNames = names.filter((n) => /\.(txt|traj|pincam|json)$/.test(n));
  const pool = [...textNames, ...textNames, ...textNames, ...names];
  const target = pool[pick % pool.length];
  const out = { ...files };
  if (deleteFile) delete out[target];
  else out[target] = mutateBytes(files[target], mutations);
  return { files: out, target };
}

/** Passes for one of our typed errors whose message names `file`; rethrows anything else. */
export function expectOurError(err: unknown, file: string): void {
  const ours =
    err instanceof ParseError ||
    err instanceof MissingFileError ||
    err instanceof UnsupportedError ||
    err instanceof BudgetError;
  if (!ours) throw err;
  if (!(err as Error).message.includes(file)) {
    throw new Error(`error does not name ${file}: ${(err as Error).message}`);
  }
}

/** A FileSource that fails the test if a reader asks past a file's end for more than a header probe. */
export function guardedSource(files: Record<string, Uint8Array>, name: string): FileSource {
  const inner = new MemoryFileSource(files, name);
  return {
    name,
    list: () => inner.list(),
    size: (p) => inner.size(p),
    read: (p) => inner.read(p),
    exists: (p) => inner.exists(p),
    async readRange(p, offset, length) {
      const size = await inner.size(p);
      if (offset + length > size && length > IMAGE_HEADER_PROBE_BYTES) {
        throw new Error(`readRange(${offset}, ${length}) far past the end of a ${size}-byte file`);
      }
      return inner.readRange(p, offset, length);
    },
  };
}
