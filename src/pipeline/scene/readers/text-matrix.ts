/**
 * Small text parsers shared by the RGB-D folder readers: numeric rows with line numbers, so every
 * bad value becomes a ParseError naming the file and line.
 */
import { ParseError } from '../../errors';

export interface NumericLine {
  /** 1-based line number in the file. */
  line: number;
  values: number[];
  /** The raw tokens (for formats mixing numbers and file names). */
  tokens: string[];
}

/** Non-empty, non-comment lines split on whitespace (and commas). */
export function tokenLines(text: string, commentPrefix = '#'): NumericLine[] {
  const out: NumericLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed.length === 0 || trimmed.startsWith(commentPrefix)) continue;
    const tokens = trimmed.split(/[\s,]+/).filter((t) => t.length > 0);
    out.push({ line: i + 1, tokens, values: [] });
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * True if the token is decimal / exponent notation, `[+-]?(d+.?d*|.d+)([eE][+-]?d+)?`, checked
 * by one left-to-right scan: the equivalent regex backtracks quadratically on a long digit run
 * followed by a bad character (a 200 KB pose file took 70 s).
 */
export function isDecimalNumber(token: string): boolean {
  const n = token.length;
  let i = 0;
  let c = token.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) i++;
  const intStart = i;
  while (i < n && isDigit(token.charCodeAt(i))) i++;
  let mantissaDigits = i - intStart;
  if (token.charCodeAt(i) === 0x2e) {
    const fracStart = ++i;
    while (i < n && isDigit(token.charCodeAt(i))) i++;
    mantissaDigits += i - fracStart;
  }
  if (mantissaDigits === 0) return false;
  c = token.charCodeAt(i);
  if (c === 0x65 || c === 0x45) {
    i++;
    c = token.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) i++;
    const start = i;
    while (i < n && isDigit(token.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  return i === n;
}

/** Parses a token as a finite number or throws a ParseError at that line. */
export function parseNumberAt(token: string, file: string, line: number, what: string): number {
  // Number('') is 0 and Number('0x10') is 16; accept only decimal / exponent notation.
  if (!isDecimalNumber(token)) {
    throw new ParseError({ file, line }, `${what}: '${token.slice(0, 40)}' is not a number`);
  }
  const v = Number(token);
  if (!Number.isFinite(v)) throw new ParseError({ file, line }, `${what}: value is not finite`);
  return v;
}

/** Every line as numbers (all tokens must be numbers). */
export function numericLines(text: string, file: string, what = 'value'): NumericLine[] {
  return tokenLines(text).map((l) => ({
    ...l,
    values: l.tokens.map((t) => parseNumberAt(t, file, l.line, what)),
  }));
}

/**
 * A rows x cols matrix written as whitespace-separated numbers (one row per line, as in 7-Scenes
 * pose files and camera-intrinsics.txt). Extra lines after the matrix are an error.
 */
export function parseMatrixText(text: string, file: string, rows: number, cols: number): number[] {
  const lines = numericLines(text, file, 'matrix entry');
  if (lines.length !== rows) {
    const line = lines.length > rows ? lines[rows].line : (lines.at(-1)?.line ?? 1);
    throw new ParseError(
      { file, line },
      `expected a ${rows}x${cols} matrix, found ${lines.length} rows`,
    );
  }
  const out: number[] = [];
  for (const l of lines) {
    if (l.values.length !== cols) {
      throw new ParseError(
        { file, line: l.line },
        `expected ${cols} numbers, found ${l.values.length}`,
      );
    }
    out.push(...l.values);
  }
  return out;
}
