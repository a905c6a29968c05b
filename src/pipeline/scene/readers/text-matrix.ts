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

/** Parses a token as a finite number or throws a ParseError at that line. */
export function parseNumberAt(token: string, file: string, line: number, what: string): number {
  // Number('') is 0 and Number('0x10') is 16; accept only decimal / exponent notation.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token)) {
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
