import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ParseError } from '../../../src/pipeline/errors';
import { parseQueryFile } from '../../../src/pipeline/query/query-file';
import { parseBundleNormalisation } from '../../../src/pipeline/query/bundle-normalisation';

const enc = (text: string) => new TextEncoder().encode(text);

describe('parseQueryFile', () => {
  it('reads { queries: [...] } and bare arrays', () => {
    const file = JSON.stringify({
      scene: 'demo-room',
      queries: [
        { text: 'red', targetId: 0, label: 'sofa', colorName: 'red' },
        { text: 'a blue bed', targetId: 3 },
      ],
    });
    expect(parseQueryFile(enc(file), 'q.json')).toEqual([
      { text: 'red', targetId: 0, label: 'sofa', colorName: 'red' },
      { text: 'a blue bed', targetId: 3 },
    ]);
    expect(parseQueryFile(enc('[{"text":"x","targetId":1,"extra":true}]'), 'q.json')).toEqual([
      { text: 'x', targetId: 1 },
    ]);
  });

  it('names the file and the line of a bad query', () => {
    const file =
      '{\n "queries": [\n  {"text": "red", "targetId": 0},\n  {"text": "blue", "targetId": "3"}\n ]\n}';
    expect(() => parseQueryFile(enc(file), 'q.json')).toThrow(
      new ParseError({ file: 'q.json', line: 4 }, 'query 1: "targetId" must be an integer'),
    );
    expect(() => parseQueryFile(enc('{"queries": 3}'), 'q.json')).toThrow(
      /q\.json line 1: expected an array/,
    );
    expect(() => parseQueryFile(enc('{\n\n "queries": [,]}'), 'q.json')).toThrow(
      /q\.json line \d+: not valid JSON/,
    );
    expect(() => parseQueryFile(enc('[{"text": "", "targetId": 1}]'), 'q.json')).toThrow(
      /non-empty/,
    );
    expect(() => parseQueryFile(Uint8Array.of(0xff, 0xfe, 0x00), 'q.json')).toThrow(/not UTF-8/);
  });

  it('fuzz: mutated files give queries or a ParseError, nothing else', () => {
    const good = enc(
      JSON.stringify({
        queries: [
          { text: 'red', targetId: 0, label: 'sofa' },
          { text: 'grey', targetId: 9 },
        ],
      }),
    );
    const mutated = fc.oneof(
      fc.nat({ max: good.length }).map((n) => good.slice(0, n)),
      fc.tuple(fc.nat({ max: good.length - 1 }), fc.nat({ max: 7 })).map(([i, bit]) => {
        const b = good.slice();
        b[i] ^= 1 << bit;
        return b;
      }),
      fc.uint8Array({ maxLength: 200 }),
      fc.jsonValue().map((v) => enc(JSON.stringify({ queries: [v] }))),
    );
    fc.assert(
      fc.property(mutated, (bytes) => {
        try {
          const queries = parseQueryFile(bytes, 'fuzz.json');
          for (const q of queries) {
            expect(typeof q.text).toBe('string');
            expect(Number.isSafeInteger(q.targetId)).toBe(true);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseBundleNormalisation', () => {
  it('reads the 3D-LLM normalisation from meta.json', () => {
    const meta = { format: 'x', normalisation: { centroid: [1, 2, 3.5], radius: 4.25 } };
    expect(parseBundleNormalisation(enc(JSON.stringify(meta)), 'meta.json')).toEqual({
      centroid: [1, 2, 3.5],
      radius: 4.25,
    });
  });

  it('rejects missing, non-finite or non-positive values with a ParseError', () => {
    for (const bad of [
      '{}',
      'null',
      '{"normalisation": {"centroid": [1, 2], "radius": 1}}',
      '{"normalisation": {"centroid": [1, 2, "3"], "radius": 1}}',
      '{"normalisation": {"centroid": [1, 2, 3], "radius": 0}}',
      '{"normalisation": {"centroid": [1, 2, 3]}}',
      '{"normalisation": {"centroid": [1, 2, 3], "radius": 1e999}}',
      'not json',
    ]) {
      expect(() => parseBundleNormalisation(enc(bad), 'meta.json')).toThrow(ParseError);
    }
  });

  it('fuzz: mutated meta.json gives a normalisation or a ParseError', () => {
    const good = enc(
      JSON.stringify({
        normalisation: { centroid: [0.5, -1, 2], radius: 3 },
        counts: { points: 5 },
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat({ max: good.length }).map((n) => good.slice(0, n)),
          fc.tuple(fc.nat({ max: good.length - 1 }), fc.nat({ max: 7 })).map(([i, bit]) => {
            const b = good.slice();
            b[i] ^= 1 << bit;
            return b;
          }),
          fc.jsonValue().map((v) => enc(JSON.stringify({ normalisation: v }))),
        ),
        (bytes) => {
          try {
            const n = parseBundleNormalisation(bytes, 'meta.json');
            expect(n.radius).toBeGreaterThan(0);
            expect(n.centroid.every(Number.isFinite)).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(ParseError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
