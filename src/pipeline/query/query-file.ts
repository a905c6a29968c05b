/**
 * Grounding query files: `{ "queries": [{ "text", "targetId", "label"?, "colorName"? }, ...] }`
 * or a bare array of the same objects (the demo room ships `scenes/demo-room.queries.json`).
 * Bad input → ParseError naming the file and the line.
 */
import { ParseError } from '../errors';

export interface GroundingQuery {
  text: string;
  /** Id of the ground-truth object (scene.objects[].id). */
  targetId: number;
  label?: string;
  colorName?: string;
}

/** A query text longer than this is not a query (CLIP reads 77 tokens anyway). */
const MAX_QUERY_TEXT = 1000;

export function parseQueryFile(bytes: Uint8Array, file: string): GroundingQuery[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ParseError({ file, byteOffset: 0 }, 'not UTF-8 text');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ParseError(
      { file, line: jsonErrorLine(text, err) },
      `not valid JSON (${(err as Error).message})`,
    );
  }
  const list = Array.isArray(data)
    ? data
    : data !== null &&
        typeof data === 'object' &&
        Array.isArray((data as { queries?: unknown }).queries)
      ? (data as { queries: unknown[] }).queries
      : undefined;
  if (!list)
    throw new ParseError({ file, line: 1 }, 'expected an array of queries or { "queries": [...] }');
  return list.map((item, i) => readQuery(item, i, text, file));
}

function readQuery(item: unknown, index: number, text: string, file: string): GroundingQuery {
  const fail = (reason: string) =>
    new ParseError({ file, line: lineOfQuery(text, index) }, `query ${index}: ${reason}`);
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw fail('not an object');
  const q = item as Record<string, unknown>;
  if (typeof q.text !== 'string' || q.text.trim().length === 0)
    throw fail('"text" must be a non-empty string');
  if (q.text.length > MAX_QUERY_TEXT)
    throw fail(`"text" is longer than ${MAX_QUERY_TEXT} characters`);
  if (typeof q.targetId !== 'number' || !Number.isSafeInteger(q.targetId))
    throw fail('"targetId" must be an integer');
  for (const key of ['label', 'colorName'] as const) {
    if (q[key] !== undefined && typeof q[key] !== 'string') throw fail(`"${key}" must be a string`);
  }
  const query: GroundingQuery = { text: q.text, targetId: q.targetId };
  if (typeof q.label === 'string') query.label = q.label;
  if (typeof q.colorName === 'string') query.colorName = q.colorName;
  return query;
}

/** Line of the n-th `"text"` key: good enough to point a person at the right query. */
function lineOfQuery(text: string, index: number): number {
  let at = -1;
  for (let i = 0; i <= index; i++) {
    at = text.indexOf('"text"', at + 1);
    if (at < 0) return 1;
  }
  return lineAt(text, at);
}

function jsonErrorLine(text: string, err: unknown): number {
  const match = /position (\d+)/.exec((err as Error).message ?? '');
  return match ? lineAt(text, Math.min(text.length, Number(match[1]))) : 1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
