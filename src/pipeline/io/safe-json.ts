/**
 * JSON from files with limits: the size and the nesting depth are checked by a linear,
 * non-recursive syntax scan before JSON.parse, so a deeply nested file cannot overflow the stack
 * (here or in code that walks the value later), and a syntax error becomes a ParseError with the
 * line and column where the scan stopped. Messages never quote the bad value (no
 * JSON.stringify of user data): `describeJsonValue` gives a short, bounded description.
 */
import { checkJsonSize, type ResourceBudget } from '../budget/resource-budget';
import { RESOURCE_BUDGET } from '../defaults';
import { ParseError, type FileLocation } from '../errors';

export interface JsonLimits {
  maxBytes?: number;
  maxDepth?: number;
}

/** 1-based line and column of a UTF-16 offset in text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Control characters, quotes and backslashes as '?', so a preview stays one clean line. */
export function printable(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || ch === '"' || ch === '\\' ? '?' : ch;
  }
  return out;
}

/** A short description of a JSON value for messages: type and a bounded preview. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `the string "${printable(value.slice(0, 40))}"${value.length > 40 ? '…' : ''}`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

function describeChar(code: number): string {
  if (Number.isNaN(code)) return 'end of input';
  if (code < 0x20 || code === 0x7f)
    return `control character U+${code.toString(16).padStart(4, '0')}`;
  return `'${String.fromCharCode(code)}'`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Checks RFC 8259 syntax and nesting depth in one pass with an explicit stack; throws JsonSyntax
 * at the first offending offset.
 */
function scanJson(text: string, maxDepth: number): void {
  const n = text.length;
  let pos = 0;
  const stack: number[] = []; // 0 = array, 1 = object
  const ws = () => {
    while (pos < n && isWs(text.charCodeAt(pos))) pos++;
  };
  const fail = (reason: string, at = pos): never => {
    throw new JsonSyntax(at, reason);
  };
  const string = () => {
    const start = pos;
    pos++; // opening quote
    for (;;) {
      if (pos >= n) fail('unterminated string', start);
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        pos++;
        return;
      }
      if (c === BACKSLASH) {
        const e = text.charCodeAt(pos + 1);
        if (e === 0x75 /* u */) {
          for (let k = 2; k < 6; k++)
            if (!isHex(text.charCodeAt(pos + k))) fail('bad \\u escape in string');
          pos += 6;
        } else if ('"\\/bfnrt'.includes(String.fromCharCode(e)) && pos + 1 < n) pos += 2;
        else fail('bad escape in string');
        continue;
      }
      if (c < 0x20) fail(`${describeChar(c)} in string`);
      pos++;
    }
  };
  const number = () => {
    if (text.charCodeAt(pos) === 0x2d) pos++;
    const c = text.charCodeAt(pos);
    if (c === 0x30) pos++;
    else if (isDigit(c)) while (isDigit(text.charCodeAt(pos))) pos++;
    else fail('a digit expected');
    if (text.charCodeAt(pos) === 0x2e) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) fail('a digit expected after the decimal point');
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const s = text.charCodeAt(pos);
      if (s === 0x2b || s === 0x2d) pos++;
      if (!isDigit(text.charCodeAt(pos))) fail('a digit expected in the exponent');
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
  };
  const literal = (word: string) => {
    if (text.startsWith(word, pos)) pos += word.length;
    else fail(`unexpected ${describeChar(text.charCodeAt(pos))}`);
  };
  const key = () => {
    ws();
    if (text.charCodeAt(pos) !== QUOTE) fail('a property name in double quotes expected');
    string();
    ws();
    if (text.charCodeAt(pos) !== 0x3a) fail("':' expected after the property name");
    pos++;
  };
  const open = (kind: number) => {
    if (stack.length >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
    stack.push(kind);
    pos++;
  };

  value: for (;;) {
    ws();
    const c = text.charCodeAt(pos);
    if (c === 0x7b /* { */) {
      open(1);
      ws();
      if (text.charCodeAt(pos) !== 0x7d) {
        key();
        continue value;
      }
      pos++;
      stack.pop();
    } else if (c === 0x5b /* [ */) {
      open(0);
      ws();
      if (text.charCodeAt(pos) !== 0x5d) continue value;
      pos++;
      stack.pop();
    } else if (c === QUOTE) string();
    else if (c === 0x2d || isDigit(c)) number();
    else if (c === 0x74) literal('true');
    else if (c === 0x66) literal('false');
    else if (c === 0x6e) literal('null');
    else fail(`unexpected ${describeChar(c)}, a value expected`);
    // After a value: close containers or move to the next element.
    for (;;) {
      ws();
      if (stack.length === 0) break value;
      const top = stack[stack.length - 1];
      const d = text.charCodeAt(pos);
      if (d === 0x2c /* , */) {
        pos++;
        if (top === 1) key();
        continue value;
      }
      if (d === (top === 1 ? 0x7d : 0x5d)) {
        pos++;
        stack.pop();
        continue;
      }
      fail(`unexpected ${describeChar(d)}, ',' or '${top === 1 ? '}' : ']'}' expected`);
    }
  }
  if (pos < n) fail(`unexpected ${describeChar(text.charCodeAt(pos))} after the JSON value`);
}

/** Parses JSON text; syntax errors and limits become ParseError/BudgetError naming the file. */
export function parseJsonText(text: string, file: string, limits: JsonLimits = {}): unknown {
  const budget: ResourceBudget = {
    ...RESOURCE_BUDGET,
    maxJsonBytes: limits.maxBytes ?? RESOURCE_BUDGET.maxJsonBytes,
  };
  checkJsonSize(text.length, { file }, budget);
  try {
    scanJson(text, limits.maxDepth ?? RESOURCE_BUDGET.maxJsonDepth);
  } catch (err) {
    if (!(err instanceof JsonSyntax)) throw err;
    const at: FileLocation = { file, ...lineColumnAt(text, err.offset) };
    throw new ParseError(at, `invalid JSON: ${err.reason}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // The scan accepted it, so this is not expected; keep it typed anyway.
    throw new ParseError({ file }, `invalid JSON: ${String((err as Error).message).slice(0, 200)}`);
  }
}

/** Parses JSON from file bytes (UTF-8, a BOM is skipped). */
export function parseJsonBytes(bytes: Uint8Array, file: string, limits: JsonLimits = {}): unknown {
  checkJsonSize(
    bytes.length,
    { file },
    {
      ...RESOURCE_BUDGET,
      maxJsonBytes: limits.maxBytes ?? RESOURCE_BUDGET.maxJsonBytes,
    },
  );
  return parseJsonText(new TextDecoder('utf-8').decode(bytes), file, limits);
}
