/**
 * Grounding query files: `{ "queries": [{ "text", "targetId", "targetIds"?, "label"?,
 * "colorName"? }, ...] }` or a bare array of the same objects (the demo room ships
 * `scenes/demo-room.queries.json`, the cluttered room `scenes/cluttered-room.queries.json`).
 * Bad input → ParseError naming the file, the line and the query's index. Ids are checked for
 * shape only (integers, no repeats, at most MAX_TARGET_IDS); whether the scene has them is the
 * evaluation's business (evaluate.ts reports an unknown id on its query).
 */
import { ParseError } from '../errors';

export interface GroundingQuery {
  text: string;
  /** Id of the ground-truth object (scene.objects[].id). */
  targetId: number;
  /**
   * Every GT object the query refers to, when more than one (two 'orange' chairs): each must be
   * found by its own box. Includes targetId; without it the target is targetId alone.
   */
  targetIds?: number[];
  label?: string;
  colorName?: string;
}

/** A query text longer than this is not a query (CLIP reads 77 tokens anyway). */
const MAX_QUERY_TEXT = 1000;
/** More targets than this is not one referring expression (a scene has tens of objects). */
export const MAX_TARGET_IDS = 64;

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
  let targetIds: number[] | undefined;
  if (q.targetIds !== undefined) {
    const ids = q.targetIds;
    if (!Array.isArray(ids) || ids.length === 0)
      throw fail('"targetIds" must be a non-empty array of integers');
    if (ids.length > MAX_TARGET_IDS)
      throw fail(`"targetIds" lists ${ids.length} ids, more than ${MAX_TARGET_IDS}`);
    const bad = ids.findIndex((v) => typeof v !== 'number' || !Number.isSafeInteger(v));
    if (bad >= 0)
      throw fail(`"targetIds"[${bad}] must be an integer, not ${describeValue(ids[bad])}`);
    const twice = ids.findIndex((v, i) => ids.indexOf(v) !== i);
    if (twice >= 0) throw fail(`"targetIds" lists the id ${String(ids[twice])} twice`);
    if (!ids.includes(q.targetId))
      throw fail(`"targetIds" must include "targetId" (${q.targetId})`);
    targetIds = ids as number[];
  }
  for (const key of ['label', 'colorName'] as const) {
    if (q[key] !== undefined && typeof q[key] !== 'string') throw fail(`"${key}" must be a string`);
  }
  const query: GroundingQuery = { text: q.text, targetId: q.targetId };
  if (targetIds) query.targetIds = [...targetIds];
  if (typeof q.label === 'string') query.label = q.label;
  if (typeof q.colorName === 'string') query.colorName = q.colorName;
  return query;
}

/** A short, safe rendering of a rejected JSON value for an error message. */
function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? v.slice(0, 20) + '…' : v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
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
