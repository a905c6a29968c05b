import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ParseError } from '../../../src/pipeline/errors';
import { MAX_TARGET_IDS, parseQueryFile } from '../../../src/pipeline/query/query-file';

const enc = (text: string) => new TextEncoder().encode(text);
/** A file with a good first query and `second` as the second, one key per line. */
const fileWith = (second: Record<string, unknown>) =>
  enc(
    '{\n "queries": [\n  {"text": "red", "targetId": 0},\n  ' + JSON.stringify(second) + '\n ]\n}',
  );
const parseError = (reason: string) => new ParseError({ file: 'q.json', line: 4 }, reason);

describe('parseQueryFile targetIds', () => {
  it('reads targetIds and keeps a query without them single-target', () => {
    const q = parseQueryFile(
      fileWith({ text: 'orange', targetId: 1, targetIds: [1, 2], label: 'chair' }),
      'q.json',
    );
    expect(q).toEqual([
      { text: 'red', targetId: 0 },
      { text: 'orange', targetId: 1, targetIds: [1, 2], label: 'chair' },
    ]);
  });

  it('reads the committed cluttered-room queries: the two orange chairs are one query', () => {
    const path = new URL('../../../scenes/cluttered-room.queries.json', import.meta.url);
    const queries = parseQueryFile(readFileSync(path), 'cluttered-room.queries.json');
    const several = queries.filter((q) => q.targetIds);
    expect(several).toHaveLength(1);
    expect(several[0]).toMatchObject({ text: 'orange', targetIds: [1, 2], label: 'chair' });
    expect(new Set(queries.map((q) => q.text)).size).toBe(queries.length);
  });

  it.each([
    [{ targetIds: [] }, 'query 1: "targetIds" must be a non-empty array of integers'],
    [{ targetIds: 1 }, 'query 1: "targetIds" must be a non-empty array of integers'],
    [{ targetIds: { 0: 1 } }, 'query 1: "targetIds" must be a non-empty array of integers'],
    [{ targetIds: [1, 2.5] }, 'query 1: "targetIds"[1] must be an integer, not 2.5'],
    [{ targetIds: [1, '2'] }, 'query 1: "targetIds"[1] must be an integer, not "2"'],
    [{ targetIds: [null, 1] }, 'query 1: "targetIds"[0] must be an integer, not null'],
    [{ targetIds: [1, [2]] }, 'query 1: "targetIds"[1] must be an integer, not an array'],
    [{ targetIds: [1, 1e300] }, 'query 1: "targetIds"[1] must be an integer, not 1e+300'],
    [{ targetIds: [1, 2, 1] }, 'query 1: "targetIds" lists the id 1 twice'],
    [{ targetIds: [2, 3] }, 'query 1: "targetIds" must include "targetId" (1)'],
  ])('rejects %j with a ParseError naming the file, line and query', (extra, reason) => {
    const bytes = fileWith({ text: 'orange', targetId: 1, ...extra });
    expect(() => parseQueryFile(bytes, 'q.json')).toThrow(parseError(reason));
  });

  it('rejects a huge targetIds array before looking at its entries', () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => i);
    const bytes = fileWith({ text: 'orange', targetId: 1, targetIds: ids });
    const t0 = performance.now();
    expect(() => parseQueryFile(bytes, 'q.json')).toThrow(
      parseError(`query 1: "targetIds" lists 1000000 ids, more than ${MAX_TARGET_IDS}`),
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    const most = Array.from({ length: MAX_TARGET_IDS }, (_, i) => i);
    expect(
      parseQueryFile(fileWith({ text: 'all', targetId: 0, targetIds: most }), 'q.json')[1]
        .targetIds,
    ).toEqual(most);
  });

  it('leaves unknown ids to the evaluation (the file does not know the scene)', () => {
    const q = parseQueryFile(fileWith({ text: 'x', targetId: 99, targetIds: [99, -4] }), 'q.json');
    expect(q[1].targetIds).toEqual([99, -4]);
  });

  it('fuzz: any targetIds value gives a valid query or a ParseError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (targetIds) => {
        const bytes = enc(JSON.stringify([{ text: 'a', targetId: 1, targetIds }]));
        try {
          const [q] = parseQueryFile(bytes, 'fuzz.json');
          const ids = q.targetIds!;
          expect(ids.length).toBeGreaterThan(0);
          expect(ids.length).toBeLessThanOrEqual(MAX_TARGET_IDS);
          expect(ids.every((v) => Number.isSafeInteger(v))).toBe(true);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids).toContain(1);
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
          expect((err as ParseError).message).toMatch(/^fuzz\.json line 1: query 0: "targetIds"/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
