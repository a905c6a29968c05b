import { HTML5_NAMED_ENTITIES } from './html-entities';

/**
 * A port of Python's `html.unescape` (CPython Lib/html/__init__.py), which CLIP's `basic_clean`
 * applies twice: named references (longest known prefix when the ';' is missing), decimal and
 * hex numeric references with the HTML5 replacement rules for invalid code points.
 */

const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

/** Numeric references the HTML5 spec remaps (Windows-1252 C1 range, NUL, CR). */
const INVALID_CHARREFS: ReadonlyMap<number, string> = new Map([
  [0x00, '\ufffd'],
  [0x0d, '\r'],
  [0x80, '\u20ac'],
  [0x81, '\x81'],
  [0x82, '\u201a'],
  [0x83, '\u0192'],
  [0x84, '\u201e'],
  [0x85, '\u2026'],
  [0x86, '\u2020'],
  [0x87, '\u2021'],
  [0x88, '\u02c6'],
  [0x89, '\u2030'],
  [0x8a, '\u0160'],
  [0x8b, '\u2039'],
  [0x8c, '\u0152'],
  [0x8d, '\x8d'],
  [0x8e, '\u017d'],
  [0x8f, '\x8f'],
  [0x90, '\x90'],
  [0x91, '\u2018'],
  [0x92, '\u2019'],
  [0x93, '\u201c'],
  [0x94, '\u201d'],
  [0x95, '\u2022'],
  [0x96, '\u2013'],
  [0x97, '\u2014'],
  [0x98, '\u02dc'],
  [0x99, '\u2122'],
  [0x9a, '\u0161'],
  [0x9b, '\u203a'],
  [0x9c, '\u0153'],
  [0x9d, '\x9d'],
  [0x9e, '\u017e'],
  [0x9f, '\u0178'],
]);

/** Code points a numeric reference may not produce; Python drops them (returns ''). */
function isInvalidCodePoint(cp: number): boolean {
  if ((cp >= 0x1 && cp <= 0x8) || cp === 0xb || (cp >= 0xe && cp <= 0x1f)) return true;
  if ((cp >= 0x7f && cp <= 0x9f) || (cp >= 0xfdd0 && cp <= 0xfdef)) return true;
  // U+xFFFE and U+xFFFF of every plane.
  return (cp & 0xfffe) === 0xfffe;
}

let namedEntities: Map<string, string> | undefined;

/** Own keys only: a plain object lookup would also find 'constructor', 'toString', ... */
function named(): Map<string, string> {
  namedEntities ??= new Map(Object.entries(HTML5_NAMED_ENTITIES));
  return namedEntities;
}

function replaceNumeric(ref: string): string {
  const body = ref.endsWith(';') ? ref.slice(0, -1) : ref;
  const hex = body[1] === 'x' || body[1] === 'X';
  // Long digit strings overflow to huge values or Infinity, which fall into the U+FFFD branch.
  const cp = hex ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  const remapped = INVALID_CHARREFS.get(cp);
  if (remapped !== undefined) return remapped;
  if ((cp >= 0xd800 && cp <= 0xdfff) || !(cp <= 0x10ffff)) return '\ufffd';
  if (isInvalidCodePoint(cp)) return '';
  return String.fromCodePoint(cp);
}

function replaceNamed(ref: string): string {
  const table = named();
  const exact = table.get(ref);
  if (exact !== undefined) return exact;
  // The longest known prefix (at least 2 characters), as the HTML5 spec does for legacy names.
  const chars = Array.from(ref);
  for (let n = chars.length - 1; n > 1; n--) {
    const prefix = chars.slice(0, n).join('');
    const value = table.get(prefix);
    if (value !== undefined) return value + chars.slice(n).join('');
  }
  return '&' + ref;
}

export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(CHARREF, (_match, ref: string) =>
    ref[0] === '#' ? replaceNumeric(ref) : replaceNamed(ref),
  );
}
