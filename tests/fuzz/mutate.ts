/**
 * Mutation strategies (after tests/pipeline/scene/readers/fuzz.test.ts and rgbd-fuzz.test.ts):
 * byte-level truncations, bit flips, absurd integers (LE and BE), inserted / deleted /
 * duplicated ranges and 0xff runs; for text formats also numbers swapped for odd ones, injected
 * punctuation, deleted / duplicated lines, a long digit run (regex backtracking), and JSON values
 * replaced by wrong types, huge numbers, deep nesting or huge arrays.
 */
import { int, pick, type Rng } from './rng';

const ABSURD = [0, 1, 0x7f, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 2 ** 40, 2 ** 53 - 1, -1];

const NUMBER_TOKENS = [
  '1099511627776',
  '4294967296',
  '-1',
  '0',
  '99999999999999999999',
  'nan',
  'NaN',
  'inf',
  '-Infinity',
  '1e309',
  '1.79e308',
  '-1e-400',
  '0x10',
  '1.5',
  '',
  '-0',
];

const TEXT_TOKENS = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  ':',
  '\n',
  '\r\n',
  '\u0000',
  '#',
  ' ',
  '\t',
  '\uFFFD',
  '1 2 3',
];

/** Replacement JSON values; DEEP and HUGE are spliced in as raw text after stringifying. */
const DEEP = '\u0000DEEP\u0000';
const HUGE = '\u0000HUGE\u0000';
const JSON_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  0.5,
  1e308,
  -1e308,
  4294967296,
  2 ** 53 + 2,
  'text',
  '',
  [],
  {},
  [1, 2, 3],
  { a: 1 },
  DEEP,
  HUGE,
];

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function splice(b: Uint8Array, at: number, removed: number, inserted: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - removed + inserted.length);
  out.set(b.subarray(0, at));
  out.set(inserted, at);
  out.set(b.subarray(at + removed), at + inserted.length);
  return out;
}

function byteMutation(b: Uint8Array, rng: Rng): Uint8Array {
  if (b.length === 0) return Uint8Array.from([int(rng, 256)]);
  const at = int(rng, b.length);
  const kind = int(rng, 8);
  if (kind === 0) return b.slice(0, at);
  if (kind === 1) {
    const out = b.slice();
    out[at] ^= 1 << int(rng, 8);
    return out;
  }
  if (kind === 2) {
    const out = b.slice();
    const view = new DataView(out.buffer);
    const value = rng() < 0.7 ? pick(rng, ABSURD) : int(rng, 2 ** 32);
    const little = rng() < 0.6;
    const width = pick(rng, [1, 2, 4, 8]);
    const room = out.length - at;
    if (width === 8 && room >= 8) view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), little);
    else if (width >= 4 && room >= 4) view.setUint32(at, value >>> 0, little);
    else if (width >= 2 && room >= 2) view.setUint16(at, value & 0xffff, little);
    else out[at] = value & 0xff;
    return out;
  }
  if (kind === 3) {
    const bytes = new Uint8Array(1 + int(rng, 16)).map(() => int(rng, 256));
    return splice(b, at, 0, bytes);
  }
  if (kind === 4)
    return splice(b, at, 0, new Uint8Array(1 + int(rng, 12)).fill(rng() < 0.5 ? 0xff : 0));
  if (kind === 5)
    return splice(b, at, Math.min(b.length - at, 1 + int(rng, 64)), new Uint8Array(0));
  if (kind === 6) {
    const from = int(rng, b.length);
    return splice(b, at, 0, b.slice(from, from + 1 + int(rng, 64)));
  }
  // A few random bytes overwritten in place.
  const out = b.slice();
  for (let k = 0; k <= int(rng, 4); k++) out[int(rng, out.length)] = int(rng, 256);
  return out;
}

function replaceDigitRun(text: string, at: number, replacement: string): string {
  let s = at;
  while (s < text.length && !(text[s] >= '0' && text[s] <= '9')) s++;
  if (s >= text.length) return text + replacement;
  let e = s;
  while (e < text.length && /[0-9.eE+-]/.test(text[e])) e++;
  return text.slice(0, s) + replacement + text.slice(e);
}

function jsonMutation(text: string, rng: Rng): string | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Every container slot, then one replaced (or a key deleted).
  const slots: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  // Bounded depth: an earlier mutation may have nested the document 100,000 deep.
  const walk = (node: unknown, depth = 0) => {
    if (slots.length > 5000 || depth > 64 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      const step = Math.max(1, Math.floor(node.length / 64));
      for (let i = 0; i < node.length; i += step) {
        slots.push([node, i]);
        walk(node[i], depth + 1);
      }
    } else {
      for (const key of Object.keys(node)) {
        slots.push([node as Record<string, unknown>, key]);
        walk((node as Record<string, unknown>)[key], depth + 1);
      }
    }
  };
  walk(root);
  if (slots.length === 0) return undefined;
  const [parent, key] = pick(rng, slots);
  if (!Array.isArray(parent) && rng() < 0.15) delete parent[key as string];
  else (parent as Record<string | number, unknown>)[key] = pick(rng, JSON_VALUES);
  const depth = 2000 + int(rng, 100_000);
  let serialised: string;
  try {
    serialised = JSON.stringify(root);
  } catch {
    return undefined; // nested past the stack by an earlier mutation
  }
  return serialised
    .replace(JSON.stringify(DEEP), '['.repeat(depth) + ']'.repeat(depth))
    .replace(JSON.stringify(HUGE), `[${new Array(100_000 + int(rng, 200_000)).fill(7).join(',')}]`);
}

function textMutation(b: Uint8Array, rng: Rng): Uint8Array {
  const text = fromUtf8.decode(b);
  const at = text.length === 0 ? 0 : int(rng, text.length);
  const lines = text.split('\n');
  const line = int(rng, lines.length);
  const kind = int(rng, 100);
  let out: string;
  if (kind < 30) {
    const json = jsonMutation(text, rng);
    out = json ?? replaceDigitRun(text, at, pick(rng, NUMBER_TOKENS));
  } else if (kind < 55) out = replaceDigitRun(text, at, pick(rng, NUMBER_TOKENS));
  else if (kind < 70) out = text.slice(0, at) + pick(rng, TEXT_TOKENS) + text.slice(at);
  else if (kind < 78) {
    lines.splice(line, 1);
    out = lines.join('\n');
  } else if (kind < 86) {
    lines.splice(line, 0, lines[line]);
    out = lines.join('\n');
  } else if (kind < 92) {
    const other = int(rng, lines.length);
    [lines[line], lines[other]] = [lines[other], lines[line]];
    out = lines.join('\n');
  } else {
    // A long digit run then a non-digit: quadratic in a backtracking number regex.
    const run = '1'.repeat(20_000 + int(rng, 180_000)) + pick(rng, ['x', '.', 'e', '.5e']);
    out = replaceDigitRun(text, at, run);
  }
  return utf8.encode(out);
}

/** 1–3 mutations of `bytes`; text files get text mutations two times out of three. */
export function mutateBytes(bytes: Uint8Array, rng: Rng, textual: boolean): Uint8Array {
  let b = bytes;
  const count = 1 + int(rng, 3);
  for (let k = 0; k < count; k++) {
    b = textual && rng() < 0.67 ? textMutation(b, rng) : byteMutation(b, rng);
  }
  return b;
}

/** Offsets that changed, when the mutation kept the length (so checksummed bytes are known). */
export function changedOffsets(before: Uint8Array, after: Uint8Array): number[] | undefined {
  if (before.length !== after.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changed.push(i);
  return changed;
}
