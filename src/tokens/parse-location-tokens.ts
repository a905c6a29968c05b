/**
 * Parser for free LLM output containing location tokens, e.g.
 *   "the red chair <loc12><loc40><loc3><loc30><loc77><loc21>, and a lamp: <loc1> <loc2> ..."
 * It finds every run of `<locK>` tokens (separated only by whitespace or commas), takes the text
 * before the run (since the previous run or the line start) as the label, and reports anything
 * malformed as diagnostics. It never throws on any input text: model output is data.
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
}

export interface ParseLocationResult {
  boxes: ParsedLocationBox[];
  diagnostics: LocationDiagnostic[];
}

/** Labels longer than this keep only their end (the part next to the tokens). */
export const MAX_LABEL_LENGTH = 200;

// Bounded content and a single character class: linear time on any input.
const TOKEN_PATTERN = /<loc([^<>\r\n]{0,40})>/gi;
const SEPARATOR_ONLY = /^[\s,]*$/;
const AXIS_NAMES = ['x', 'y', 'z'];

interface RawToken {
  start: number;
  end: number;
  body: string;
}

type BinValue = { ok: true; value: number } | { ok: false; diagnostic: LocationDiagnostic };

export function parseLocationTokens(
  text: string,
  options: ParseLocationOptions = {},
): ParseLocationResult {
  const bins = options.bins ?? DEFAULT_LOCATION_BINS;
  checkBinCount(bins);
  const boxes: ParsedLocationBox[] = [];
  const diagnostics: LocationDiagnostic[] = [];
  const runs = findRuns(typeof text === 'string' ? text : '');
  let previousEnd = 0;
  for (const run of runs) {
    const runStart = run[0].start;
    const runEnd = run[run.length - 1].end;
    const label = extractLabel(text.slice(previousEnd, runStart));
    previousEnd = runEnd;
    const values = run.map((token) => readBin(token, bins));
    for (const v of values) if (!v.ok) diagnostics.push(v.diagnostic);
    if (run.length % 6 !== 0) {
      diagnostics.push({
        severity: 'error',
        code: 'token-count',
        message: `found ${run.length} location token${run.length === 1 ? '' : 's'} in a row; a box needs 6`,
        start: runStart,
        end: runEnd,
      });
      continue;
    }
    if (run.length > 6) {
      diagnostics.push({
        severity: 'warning',
        code: 'run-split',
        message: `read ${run.length} location tokens in a row as ${run.length / 6} boxes`,
        start: runStart,
        end: runEnd,
      });
    }
    for (let g = 0; g < run.length; g += 6) {
      const group = values.slice(g, g + 6);
      if (!group.every((v) => v.ok)) continue;
      const groupBins = group.map((v) => (v as { value: number }).value) as LocationBins;
      const start = run[g].start;
      const end = run[g + 5].end;
      const swappedAxes: number[] = [];
      for (let axis = 0; axis < 3; axis++) {
        if (groupBins[axis] > groupBins[axis + 3]) {
          swappedAxes.push(axis);
          [groupBins[axis], groupBins[axis + 3]] = [groupBins[axis + 3], groupBins[axis]];
          diagnostics.push({
            severity: 'warning',
            code: 'min-greater-than-max',
            message:
              `${AXIS_NAMES[axis]}min ${groupBins[axis + 3]} > ${AXIS_NAMES[axis]}max ` +
              `${groupBins[axis]}: swapped`,
            start,
            end,
          });
        }
      }
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
  }
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
  return { boxes, diagnostics };
}

/** Groups consecutive tokens separated only by whitespace and commas. */
function findRuns(text: string): RawToken[][] {
  const runs: RawToken[][] = [];
  let current: RawToken[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  for (let m = TOKEN_PATTERN.exec(text); m !== null; m = TOKEN_PATTERN.exec(text)) {
    const token = { start: m.index, end: m.index + m[0].length, body: m[1] };
    const last = current[current.length - 1];
    if (last && !SEPARATOR_ONLY.test(text.slice(last.end, token.start))) {
      runs.push(current);
      current = [];
    }
    current.push(token);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

function readBin(token: RawToken, bins: number): BinValue {
  const body = token.body.trim();
  const shown = `<loc${token.body}>`;
  const fail = (code: LocationDiagnosticCode, message: string): BinValue => ({
    ok: false,
    diagnostic: { severity: 'error', code, message, start: token.start, end: token.end },
  });
  const integer = /^([+-]?)0*(\d+)$/.exec(body);
  if (!integer) return fail('not-an-integer', `${shown}: the bin is not an integer`);
  const [, sign, digits] = integer;
  // Compare by digit count first so huge numbers never lose precision.
  const value = digits.length > 9 ? Infinity : Number(digits);
  if ((sign === '-' && value !== 0) || value >= bins) {
    return fail('bin-out-of-range', `${shown}: the bin is outside 0..${bins - 1}`);
  }
  return { ok: true, value };
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
