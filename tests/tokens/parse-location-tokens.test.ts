import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeBinsToBox,
  formatLocationTokens,
  LocationTokenError,
  MAX_LOCATION_DIAGNOSTICS,
  parseLocationTokens,
  type LocationDiagnostic,
} from '../../src/tokens';

const codes = (diagnostics: LocationDiagnostic[]) =>
  diagnostics.map((d) => `${d.severity}:${d.code}@${d.start}-${d.end}`);

describe('parseLocationTokens: hand-made cases', () => {
  it('reads one box with its label', () => {
    const text = 'The red chair: <loc1><loc2><loc3><loc10><loc20><loc30>';
    const { boxes, diagnostics } = parseLocationTokens(text);
    expect(diagnostics).toEqual([]);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]).toMatchObject({
      label: 'The red chair',
      bins: [1, 2, 3, 10, 20, 30],
      tokens: '<loc1><loc2><loc3><loc10><loc20><loc30>',
      swappedAxes: [],
      start: 15,
      end: text.length,
    });
  });

  it('allows whitespace, newlines and commas between tokens and several boxes per text', () => {
    const text = [
      'Sure! Here are the objects.',
      '1. sofa <loc0>, <loc1>,<loc2>  <loc3>\t<loc4> <loc5>',
      '2. lamp:',
      '<loc9><loc9><loc9>',
      '<loc255><loc255><loc255>',
    ].join('\n');
    const { boxes, diagnostics } = parseLocationTokens(text);
    expect(diagnostics).toEqual([]);
    expect(boxes.map((b) => [b.label, b.bins])).toEqual([
      ['sofa', [0, 1, 2, 3, 4, 5]],
      ['lamp', [9, 9, 9, 255, 255, 255]],
    ]);
  });

  const respelt =
    '- rug = <LOC7><loc07><loc+7><loc8><loc8><loc8> and a plant <loc 1 ><loc1><loc1><loc2><loc2><loc2>';

  it('by default reads only the exact vocabulary spelling and reports the others', () => {
    const { boxes, diagnostics, omittedDiagnostics } = parseLocationTokens(respelt);
    expect(boxes).toEqual([]);
    const at = (t: string) => [respelt.indexOf(t), respelt.indexOf(t) + t.length];
    expect(diagnostics.map((d) => [d.code, d.start, d.end])).toEqual([
      ['malformed-token', ...at('<LOC7>')],
      ['malformed-token', ...at('<loc07>')],
      ['malformed-token', ...at('<loc+7>')],
      ['malformed-token', ...at('<loc 1 >')],
    ]);
    expect(diagnostics[0].message).toMatch(/^<LOC7>: not a vocabulary token/);
    expect(omittedDiagnostics).toBe(0);
    for (const token of ['<loc 13>', '<loc014>', '<loc+20>', '<LOC12>', '<loc-0>', '<loc00>']) {
      const { boxes: none, diagnostics: one } = parseLocationTokens(
        `x <loc1><loc1><loc1>${token}<loc2><loc2>`,
      );
      expect(none).toEqual([]);
      expect(one.map((d) => d.code)).toEqual(['malformed-token']);
    }
  });

  it('lenient mode (free text) reads case, spaces, signs and leading zeros', () => {
    const { boxes, diagnostics } = parseLocationTokens(respelt, { lenient: true });
    expect(diagnostics).toEqual([]);
    expect(boxes.map((b) => [b.label, b.bins])).toEqual([
      ['rug', [7, 7, 7, 8, 8, 8]],
      ['and a plant', [1, 1, 1, 2, 2, 2]],
    ]);
  });

  it('caps diagnostics at MAX_LOCATION_DIAGNOSTICS and counts the rest, in text order', () => {
    const text = '<LOC1> x '.repeat(250);
    const { diagnostics, omittedDiagnostics } = parseLocationTokens(text);
    // Each lone token: one malformed-token and one token-count diagnostic.
    expect(diagnostics).toHaveLength(MAX_LOCATION_DIAGNOSTICS);
    expect(omittedDiagnostics).toBe(500 - MAX_LOCATION_DIAGNOSTICS);
    const starts = diagnostics.map((d) => d.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(diagnostics[MAX_LOCATION_DIAGNOSTICS - 1].start).toBe(
      9 * (MAX_LOCATION_DIAGNOSTICS / 2 - 1),
    );
  });

  it('reports a wrong token count on the run and makes no box', () => {
    const text =
      'chair <loc1><loc2><loc3><loc4><loc5> table <loc1><loc2><loc3><loc4><loc5><loc6><loc7>';
    const { boxes, diagnostics } = parseLocationTokens(text);
    expect(boxes).toEqual([]);
    const first = text.indexOf('<loc1>');
    const second = text.indexOf('<loc1>', first + 1);
    expect(codes(diagnostics)).toEqual([
      `error:token-count@${first}-${text.indexOf(' table')}`,
      `error:token-count@${second}-${text.length}`,
    ]);
    expect(diagnostics[0].message).toBe('found 5 location tokens in a row; a box needs 6');
    expect(diagnostics[1].message).toBe('found 7 location tokens in a row; a box needs 6');
  });

  it('reports out-of-range, negative, huge and non-integer bins per token', () => {
    const text =
      'a <loc256><loc-1><loc99999999999999999999999><loc1.5><locx><loc>' +
      ' b <loc0><loc0><loc0><loc255><loc255><loc255>';
    const { boxes, diagnostics } = parseLocationTokens(text);
    expect(boxes.map((b) => b.label)).toEqual(['b']);
    const at = (t: string) => [text.indexOf(t), text.indexOf(t) + t.length];
    expect(diagnostics.map((d) => [d.code, d.start, d.end])).toEqual([
      ['bin-out-of-range', ...at('<loc256>')],
      ['malformed-token', ...at('<loc-1>')],
      ['bin-out-of-range', ...at('<loc99999999999999999999999>')],
      ['not-an-integer', ...at('<loc1.5>')],
      ['not-an-integer', ...at('<locx>')],
      ['not-an-integer', ...at('<loc>')],
    ]);
    expect(diagnostics[0].message).toBe('<loc256>: the bin is outside 0..255');
    expect(diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('swaps min > max with a warning per axis and keeps the box', () => {
    const text = 'x: <loc10><loc2><loc30><loc5><loc20><loc3>';
    const { boxes, diagnostics } = parseLocationTokens(text);
    expect(boxes[0].bins).toEqual([5, 2, 3, 10, 20, 30]);
    expect(boxes[0].swappedAxes).toEqual([0, 2]);
    expect(diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['warning', 'min-greater-than-max', 'xmin 10 > xmax 5: swapped'],
      ['warning', 'min-greater-than-max', 'zmin 30 > zmax 3: swapped'],
    ]);
  });

  it('splits a run of 12 into two boxes with a warning', () => {
    const six = formatLocationTokens([1, 2, 3, 4, 5, 6]);
    const text = `chairs ${six} ${six}`;
    const { boxes, diagnostics } = parseLocationTokens(text);
    expect(boxes.map((b) => [b.label, b.start])).toEqual([
      ['chairs', 7],
      ['chairs', 8 + six.length],
    ]);
    expect(codes(diagnostics)).toEqual([`warning:run-split@7-${text.length}`]);
  });

  it('uses other bin counts and decodes to metres when given a normalisation', () => {
    const norm = { centroid: [1, 2, 3] as [number, number, number], radius: 2 };
    const { boxes, diagnostics } = parseLocationTokens(
      '<loc0><loc1><loc2><loc3><loc3><loc3><loc4>',
      {
        bins: 4,
        normalisation: norm,
      },
    );
    expect(boxes).toEqual([]);
    expect(codes(diagnostics)).toEqual(['error:token-count@0-42', 'error:bin-out-of-range@36-42']);
    const ok = parseLocationTokens('<loc0><loc1><loc2><loc3><loc3><loc3>', {
      bins: 4,
      normalisation: norm,
    });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.boxes[0].box).toEqual(decodeBinsToBox([0, 1, 2, 3, 3, 3], norm, 4));
    expect(ok.boxes[0].box).toEqual({ min: [-0.5, 1.5, 3.5], max: [2.5, 3.5, 4.5] });
    expect(
      parseLocationTokens('<loc4><loc1><loc2><loc3><loc3><loc3>', { bins: 4 }).diagnostics[0].code,
    ).toBe('bin-out-of-range');
  });

  it('ignores text without tokens and keeps HTML in labels as plain text', () => {
    expect(parseLocationTokens('')).toEqual({ boxes: [], diagnostics: [], omittedDiagnostics: 0 });
    expect(parseLocationTokens('<location> <loc1 <loc2').boxes).toEqual([]);
    const html = '<img src=x onerror=alert(1)> <loc1><loc1><loc1><loc2><loc2><loc2>';
    expect(parseLocationTokens(html).boxes[0].label).toBe('<img src=x onerror=alert(1)>');
  });

  it('rejects an invalid bin count with a typed error (a caller bug, not model output)', () => {
    expect(() => parseLocationTokens('<loc1>', { bins: 0 })).toThrow(LocationTokenError);
  });
});

describe('parseLocationTokens: fuzz', () => {
  const tokenArb = fc.oneof(
    fc.nat({ max: 300 }).map((k) => `<loc${k}>`),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((k) => `<loc${k}>`),
    fc.double().map((k) => `<loc${k}>`),
    fc.string({ maxLength: 45 }).map((s) => `<loc${s}>`),
    fc.constantFrom(
      '<loc',
      '<loc>',
      '<LOC1>',
      '<loc 3 >',
      '>',
      '<',
      ',',
      ' ',
      '\n',
      '\r\n',
      '<loc\n1>',
    ),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  );
  const textArb = fc.array(tokenArb, { maxLength: 40 }).map((parts) => parts.join(''));

  it('survives 10,000 fuzzed texts: no exception, consistent plain-data output', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const { boxes, diagnostics } = parseLocationTokens(text);
        for (const box of boxes) {
          expect(box.bins).toHaveLength(6);
          for (let a = 0; a < 3; a++) expect(box.bins[a]).toBeLessThanOrEqual(box.bins[a + 3]);
          for (const b of box.bins) expect(Number.isInteger(b) && b >= 0 && b < 256).toBe(true);
          expect(box.start).toBeGreaterThanOrEqual(0);
          expect(box.end).toBeLessThanOrEqual(text.length);
          expect(box.label.length).toBeLessThanOrEqual(200);
          // re-parsing the canonical tokens gives the same bins
          expect(parseLocationTokens(box.tokens).boxes[0].bins).toEqual(box.bins);
        }
        for (const d of diagnostics) {
          expect(d.start).toBeGreaterThanOrEqual(0);
          expect(d.end).toBeLessThanOrEqual(text.length);
          expect(d.start).toBeLessThan(d.end);
        }
        expect(JSON.parse(JSON.stringify({ boxes, diagnostics }))).toEqual({ boxes, diagnostics });
      }),
      { numRuns: 10_000 },
    );
  });

  it('finds every well-formed box in generated texts, in order', () => {
    const boxArb = fc.tuple(
      fc.stringMatching(/^[a-z][a-z ]{0,12}[a-z]$/),
      fc.array(fc.nat({ max: 255 }), { minLength: 6, maxLength: 6 }),
      fc.constantFrom('', ' ', ', ', '\n'),
    );
    fc.assert(
      fc.property(fc.array(boxArb, { maxLength: 8 }), (items) => {
        const text = items
          .map(([label, bins, sep]) => `${label}: ${bins.map((b) => `<loc${b}>`).join(sep)}`)
          .join('\n');
        const { boxes, diagnostics } = parseLocationTokens(text);
        expect(boxes.map((b) => b.label)).toEqual(items.map(([label]) => label));
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        for (let i = 0; i < items.length; i++) {
          const bins = items[i][1];
          const sorted = [0, 1, 2, 0, 1, 2].map((a, j) =>
            j < 3 ? Math.min(bins[a], bins[a + 3]) : Math.max(bins[a], bins[a + 3]),
          );
          expect(boxes[i].bins).toEqual(sorted);
        }
      }),
      { numRuns: 1000 },
    );
  });

  // Inputs of up to a million characters: a parser quadratic in them would not finish within
  // the test timeout (no timed assertion here; the guide keeps timings out of unit tests).
  it('reads long adversarial inputs right', () => {
    const box = '<loc1>'.repeat(6);
    const one = (label: string, start: number) => ({
      label,
      bins: [1, 1, 1, 1, 1, 1],
      tokens: box,
      swappedAxes: [],
      start,
      end: start + 36,
    });
    // Unterminated tokens only: nothing to read, nothing to report.
    expect(parseLocationTokens('<loc'.repeat(200_000))).toEqual({
      boxes: [],
      diagnostics: [],
      omittedDiagnostics: 0,
    });
    // A label is the end of its line, at most MAX_LABEL_LENGTH (200) characters.
    expect(parseLocationTokens(':'.repeat(500_000) + 'x' + box)).toEqual({
      boxes: [one(':'.repeat(199) + 'x', 500_001)],
      diagnostics: [],
      omittedDiagnostics: 0,
    });
    expect(parseLocationTokens('a'.repeat(1_000_000) + box)).toEqual({
      boxes: [one('a'.repeat(200), 1_000_000)],
      diagnostics: [],
      omittedDiagnostics: 0,
    });
    // Only empty lines before the box: no label.
    expect(parseLocationTokens('\n'.repeat(500_000) + box)).toEqual({
      boxes: [one('', 500_000)],
      diagnostics: [],
      omittedDiagnostics: 0,
    });
    // 100,000 comma-separated tokens are one run, not a multiple of 6: one error over the run.
    expect(parseLocationTokens('<loc1>, '.repeat(100_000))).toEqual({
      boxes: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'token-count',
          message: 'found 100000 location tokens in a row; a box needs 6',
          start: 0,
          end: 8 * 100_000 - 2,
        },
      ],
      omittedDiagnostics: 0,
    });
    // A megabyte of misspelt tokens: capped diagnostics, the rest counted.
    const hostile = parseLocationTokens('<LOC12>'.repeat(150_000));
    expect(hostile.diagnostics).toHaveLength(MAX_LOCATION_DIAGNOSTICS);
    // 150,000 malformed tokens and one token-count error over the one run.
    expect(hostile.omittedDiagnostics).toBe(150_001 - MAX_LOCATION_DIAGNOSTICS);
    expect(parseLocationTokens('<loc1>, '.repeat(600)).boxes).toHaveLength(100);
  });
});
