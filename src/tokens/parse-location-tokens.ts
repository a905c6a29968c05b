/**
 * Parser for free LLM output containing location tokens, e.g.
 *   "the red chair <loc12><loc40><loc3><loc30><loc77><loc21>, and a lamp: <loc1> <loc2> ..."
 * It finds every run of `<locK>` tokens (separated only by whitespace or commas), takes the text
 * before the run (since the previous run or the line start) as the label, and reports anything
 * malformed as diagnostics. It never throws on any input text: model output is data.
 *
 * By default only the exact vocabulary spelling `<locK>` is a token (lowercase, no spaces, no
 * sign, no leading zeros, K in 0..bins-1): `<LOC12>`, `<loc 13>`, `<loc014>` and `<loc+20>` are
 * no model's vocabulary items, so they are reported as `malformed-token`. `lenient: true` reads
 * them too, for hand-written free text. Linear time in the text; diagnostics are capped at
 * MAX_LOCATION_DIAGNOSTICS with a count of those left out.
 */
import {
  checkBinCount,
  decodeBinsToBox,
  DEFAULT_LOCATION_BINS,
  formatLocationTokens,
  type LocationBins,
  type LocationBox,
  type SceneNormalisation,
} from './location-tokens';

export type LocationDiagnosticCode =
  /** A run has a token count that is not a multiple of six: no box. */
  | 'token-count'
  /** A token's K is not a plain integer (`<loc1.5>`, `<locx>`, `<loc>`): no box for its group. */
  | 'not-an-integer'
  /**
   * Strict mode: an integer token spelt other than `<locK>` (`<LOC12>`, `<loc 13>`, `<loc014>`,
   * `<loc+20>`): not a vocabulary item, no box for its group. Lenient mode reads it.
   */
  | 'malformed-token'
  /** A token's K is an integer outside 0..bins-1 (including huge and negative numbers): no box. */
  | 'bin-out-of-range'
  /** min > max on an axis: the two were swapped and the box kept. */
  | 'min-greater-than-max'
  /** A run of 12, 18, ... tokens was read as several boxes sharing one label. */
  | 'run-split';

export interface LocationDiagnostic {
  severity: 'error' | 'warning';
  code: LocationDiagnosticCode;
  message: string;
  /** UTF-16 offsets of the offending token or run in the input text. */
  start: number;
  end: number;
}

export interface ParsedLocationBox {
  /** Text before the run, trimmed of whitespace, list markers and trailing separators. */
  label: string;
  /** xmin ymin zmin xmax ymax zmax, after any min/max swap. */
  bins: LocationBins;
  /** Canonical token string of `bins`. */
  tokens: string;
  /** Axes (0 = x, 1 = y, 2 = z) whose min and max were swapped. */
  swappedAxes: number[];
  /** UTF-16 offsets of the six tokens in the input text. */
  start: number;
  end: number;
  /** The box in metres, when a scene normalisation was given. */
  box?: LocationBox;
}

export interface ParseLocationOptions {
  /** Bins per axis (default 256: `<loc0>`..`<loc255>`). */
  bins?: number;
  /** When given, each box is also decoded to metres. */
  normalisation?: SceneNormalisation;
  /**
   * LENIENT MODE, for free text typed by people: also reads `<LOC12>`, `<loc 13>`, `<loc014>`,
   * `<loc+20>` (any case, spaces, sign, leading zeros). Default false: model output uses the
   * exact vocabulary spelling `<locK>` only.
   */
  lenient?: boolean;
}

export interface ParseLocationResult {
  boxes: ParsedLocationBox[];
  /** In text order, at most MAX_LOCATION_DIAGNOSTICS. */
  diagnostics: LocationDiagnostic[];
  /** Diagnostics left out past the cap. */
  omittedDiagnostics: number;
}

/** Diagnostics kept per parse: a 1 MB text of broken tokens must not yield 100,000 of them. */
export const MAX_LOCATION_DIAGNOSTICS = 100;

/** Labels longer than this keep only their end (the part next to the tokens). */
export const MAX_LABEL_LENGTH = 200;

// Bounded content and a single character class: linear time on any input.
const TOKEN_PATTERN = /<loc([^<>\r\n]{0,40})>/gi;
const VOCABULARY_BIN = /^(?:0|[1-9][0-9]*)$/;
const LENIENT_BIN = /^([+-]?)0*(\d+)$/;
const AXIS_NAMES = ['x', 'y', 'z'];

interface RawToken {
  start: number;
  end: number;
  body: string;
}

/** A token's bin, or why it has none. */
type BinValue = number | 'not-an-integer' | 'malformed-token' | 'bin-out-of-range';

/**
 * Keeps the first MAX_LOCATION_DIAGNOSTICS diagnostics in text order and counts the rest; past
 * the cap no message is even built. A run's diagnostics lie inside the run and runs come in text
 * order, so sorting each run's own diagnostics keeps the whole list in order.
 */
class DiagnosticSink {
  readonly kept: LocationDiagnostic[] = [];
  omitted = 0;
  private run: LocationDiagnostic[] = [];

  add(
    severity: LocationDiagnostic['severity'],
    code: LocationDiagnosticCode,
    start: number,
    end: number,
    describe: () => string,
  ): void {
    if (this.kept.length + this.run.length >= MAX_LOCATION_DIAGNOSTICS) this.omitted++;
    else this.run.push({ severity, code, message: describe(), start, end });
  }

  endRun(): void {
    if (this.run.length === 0) return;
    this.run.sort((a, b) => a.start - b.start || a.end - b.end);
    this.kept.push(...this.run);
    this.run = [];
  }
}

export function parseLocationTokens(
  text: string,
  options: ParseLocationOptions = {},
): ParseLocationResult {
  const bins = options.bins ?? DEFAULT_LOCATION_BINS;
  checkBinCount(bins);
  const lenient = options.lenient === true;
  const boxes: ParsedLocationBox[] = [];
  const sink = new DiagnosticSink();
  const runs = findRuns(typeof text === 'string' ? text : '');
  let previousEnd = 0;
  for (const run of runs) {
    const runStart = run[0].start;
    const runEnd = run[run.length - 1].end;
    const labelStart = previousEnd;
    previousEnd = runEnd;
    // Only runs that give a box need their label.
    let label: string | undefined;
    const values = run.map((token) => readBin(text, token, bins, lenient));
    values.forEach((v, i) => {
      const token = run[i];
      if (typeof v !== 'number') {
        sink.add('error', v, token.start, token.end, () => binMessage(text, token, v, bins));
      }
    });
    if (run.length % 6 !== 0) {
      sink.add(
        'error',
        'token-count',
        runStart,
        runEnd,
        () =>
          `found ${run.length} location token${run.length === 1 ? '' : 's'} in a row; a box needs 6`,
      );
      sink.endRun();
      continue;
    }
    if (run.length > 6) {
      sink.add(
        'warning',
        'run-split',
        runStart,
        runEnd,
        () => `read ${run.length} location tokens in a row as ${run.length / 6} boxes`,
      );
    }
    for (let g = 0; g < run.length; g += 6) {
      const group = values.slice(g, g + 6);
      if (!group.every((v) => typeof v === 'number')) continue;
      const groupBins = group as LocationBins;
      const start = run[g].start;
      const end = run[g + 5].end;
      const swappedAxes: number[] = [];
      for (let axis = 0; axis < 3; axis++) {
        if (groupBins[axis] > groupBins[axis + 3]) {
          swappedAxes.push(axis);
          [groupBins[axis], groupBins[axis + 3]] = [groupBins[axis + 3], groupBins[axis]];
          const [min, max] = [groupBins[axis + 3], groupBins[axis]];
          sink.add(
            'warning',
            'min-greater-than-max',
            start,
            end,
            () => `${AXIS_NAMES[axis]}min ${min} > ${AXIS_NAMES[axis]}max ${max}: swapped`,
          );
        }
      }
      label ??= extractLabel(text.slice(labelStart, runStart));
      const parsed: ParsedLocationBox = {
        label,
        bins: groupBins,
        tokens: formatLocationTokens(groupBins),
        swappedAxes,
        start,
        end,
      };
      if (options.normalisation) {
        parsed.box = decodeBinsToBox(groupBins, options.normalisation, bins);
      }
      boxes.push(parsed);
    }
    sink.endRun();
  }
  return { boxes, diagnostics: sink.kept, omittedDiagnostics: sink.omitted };
}

const isSeparator = (code: number) =>
  code === 0x2c ||
  code === 0x20 ||
  (code >= 0x09 && code <= 0x0d) ||
  /\s/.test(String.fromCharCode(code));

/** Groups consecutive tokens separated only by whitespace and commas (no copies of the text). */
function findRuns(text: string): RawToken[][] {
  const runs: RawToken[][] = [];
  let current: RawToken[] = [];
  let lastEnd = -1;
  TOKEN_PATTERN.lastIndex = 0;
  for (let m = TOKEN_PATTERN.exec(text); m !== null; m = TOKEN_PATTERN.exec(text)) {
    const start = m.index;
    if (lastEnd >= 0) {
      let i = lastEnd;
      while (i < start && isSeparator(text.charCodeAt(i))) i++;
      if (i < start) {
        runs.push(current);
        current = [];
      }
    }
    lastEnd = start + m[0].length;
    current.push({ start, end: lastEnd, body: m[1] });
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

function readBin(text: string, token: RawToken, bins: number, lenient: boolean): BinValue {
  if (!lenient && text.startsWith('<loc', token.start) && VOCABULARY_BIN.test(token.body)) {
    // Compare by digit count first so huge numbers never lose precision.
    const value = token.body.length > 9 ? Infinity : Number(token.body);
    return value < bins ? value : 'bin-out-of-range';
  }
  const integer = LENIENT_BIN.exec(token.body.trim());
  if (!integer) return 'not-an-integer';
  if (!lenient) return 'malformed-token';
  const [, sign, digits] = integer;
  const value = digits.length > 9 ? Infinity : Number(digits);
  return (sign === '-' && value !== 0) || value >= bins ? 'bin-out-of-range' : value;
}

/** Built only for the diagnostics that are kept. */
function binMessage(text: string, token: RawToken, code: BinValue, bins: number): string {
  const shown = text.slice(token.start, token.end);
  if (code === 'bin-out-of-range') return `${shown}: the bin is outside 0..${bins - 1}`;
  if (code === 'not-an-integer') return `${shown}: the bin is not an integer`;
  return (
    `${shown}: not a vocabulary token (the spelling is <locK>: lowercase, no spaces, ` +
    `sign or leading zeros); lenient mode reads it`
  );
}

const LEADING_JUNK = new Set([...' \t,;.)]']);
const TRAILING_JUNK = new Set([...' \t:=,;([–—-']);

/** The label is the last non-blank line of the text between runs, without list markers. */
function extractLabel(segment: string): string {
  let lineEnd = segment.length;
  for (let i = segment.length - 1; i >= -1; i--) {
    const ch = i >= 0 ? segment[i] : '\n';
    if (ch !== '\n' && ch !== '\r') continue;
    const line = segment.slice(i + 1, lineEnd);
    if (line.trim().length > 0) return cleanLabel(line);
    lineEnd = i;
  }
  return '';
}

function cleanLabel(line: string): string {
  // Only the end of a long line matters; bounding it first keeps every step below linear.
  let label = line.length > 4 * MAX_LABEL_LENGTH ? line.slice(-4 * MAX_LABEL_LENGTH) : line;
  label = label.trim().replace(/^(?:[-*•]|\d{1,3}[.)])\s+/, '');
  let start = 0;
  let end = label.length;
  while (start < end && LEADING_JUNK.has(label[start])) start++;
  while (end > start && TRAILING_JUNK.has(label[end - 1])) end--;
  label = label.slice(start, end).trim();
  return label.length > MAX_LABEL_LENGTH ? label.slice(label.length - MAX_LABEL_LENGTH) : label;
}
