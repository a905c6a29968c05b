/**
 * The benchmarks' shared reporter and timing helper.
 *
 * Every bench builds one {@link BenchReport}: its figures, each next to a baseline measured in the
 * same run with the ratio between them, plus context figures that have no baseline (setup costs,
 * memory, accuracy checks) and the environment the run happened in. It prints the report as text,
 * or, with `--json` on the command line, as one JSON document on stdout and nothing else there:
 * in JSON mode everything a bench logs (and anything else writing to stdout in-process) goes to
 * stderr.
 *
 * Ratios always read "times better than the baseline": figure / baseline when higher is better
 * (throughput), baseline / figure when lower is better (latency, bytes). Above 1 means the
 * figure beats its baseline.
 */
import os from 'node:os';

export const REPORT_SCHEMA = 'scene3d-bench-report/1';

export type Better = 'higher' | 'lower';

/** Spread of the repeated measurements behind a figure, in the figure's unit. */
export interface Spread {
  samples: number;
  min: number;
  max: number;
}

export interface Comparison {
  /** What the figure measures (our implementation, the configuration). */
  name: string;
  figure: number;
  unit: string;
  better: Better;
  spread?: Spread;
  baseline: { name: string; figure: number; spread?: Spread };
  /** Times better than the baseline (see the module comment); null if undefined (0, NaN, ∞). */
  ratio: number | null;
  note?: string;
}

/** A figure reported for context, without a baseline. */
export interface ContextFigure {
  name: string;
  figure: number;
  unit: string;
  note?: string;
}

export interface Environment {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  /** ISO 8601, when the report was started. */
  date: string;
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  bench: string;
  title: string;
  /** The options the bench ran with (sizes, --quick, ...). */
  options: Record<string, string | number | boolean>;
  environment: Environment;
  results: Comparison[];
  context: ContextFigure[];
  /** Parts that did not run, with the reason (missing data, no browser). */
  skipped: string[];
}

/** figure vs baseline as "times better": see the module comment. */
export function ratioOf(figure: number, baseline: number, better: Better): number | null {
  const r = better === 'higher' ? figure / baseline : baseline / figure;
  return Number.isFinite(r) && r > 0 ? r : null;
}

export function environment(date: Date = new Date()): Environment {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model?.trim() || 'unknown',
    date: date.toISOString(),
  };
}

// ------------------------------------------------------------------------------ formatting

/** Fixed-point with 3–4 significant digits, thousands grouped; what the text report prints. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const digits = a >= 100 || Number.isInteger(x) ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.01 ? 3 : 5;
  return x.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

const spreadText = (s: Spread | undefined) =>
  s && s.samples > 1 ? ` [${formatNumber(s.min)}–${formatNumber(s.max)}, n=${s.samples}]` : '';

const unitText = (unit: string) => (unit ? ` ${unit}` : '');

export function formatText(report: BenchReport): string {
  const e = report.environment;
  const lines = [
    `== ${report.bench}: ${report.title}`,
    `   node ${e.node}, ${e.platform}/${e.arch}, ${e.cpus} CPUs (${e.cpuModel}), ${e.date}`,
  ];
  const options = Object.entries(report.options);
  if (options.length) lines.push(`   options: ${options.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  for (const r of report.results) {
    const how = r.better === 'higher' ? 'figure / baseline' : 'baseline / figure';
    lines.push(
      `   ${r.name}: ${formatNumber(r.figure)}${unitText(r.unit)}${spreadText(r.spread)}`,
      `      baseline ${r.baseline.name}: ${formatNumber(r.baseline.figure)}${unitText(r.unit)}` +
        `${spreadText(r.baseline.spread)}`,
      `      ratio ${formatRatio(r.ratio)} (${how}, ${r.better} is better)` +
        (r.note ? `; ${r.note}` : ''),
    );
  }
  if (report.context.length) lines.push('   context:');
  for (const c of report.context) {
    lines.push(
      `      ${c.name}: ${formatNumber(c.figure)}${unitText(c.unit)}${c.note ? ` (${c.note})` : ''}`,
    );
  }
  for (const s of report.skipped) lines.push(`   skipped: ${s}`);
  return lines.join('\n') + '\n';
}

/** Non-finite numbers become null in JSON; the reporter keeps them out of figures anyway. */
export function formatJson(report: BenchReport | BenchReport[]): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** Parses and checks a report written by {@link formatJson} (one report, not an array). */
export function parseReport(text: string): BenchReport {
  const r = JSON.parse(text) as BenchReport;
  if (r?.schema !== REPORT_SCHEMA) throw new Error(`not a bench report (schema ${r?.schema})`);
  for (const key of ['results', 'context', 'skipped'] as const) {
    if (!Array.isArray(r[key])) throw new Error(`bench report: ${key} is not an array`);
  }
  for (const c of r.results) {
    if (typeof c.figure !== 'number' || typeof c.baseline?.figure !== 'number')
      throw new Error(`bench report: ${c.name} lacks a figure or a baseline`);
  }
  return r;
}

// ------------------------------------------------------------------------------- reporter

export interface ReporterOptions {
  /** Command-line arguments (default: process.argv.slice(2)); `--json` selects JSON. */
  argv?: string[];
  /** Where the report goes (default: the real stdout). */
  write?: (text: string) => void;
  /** Where log lines go in JSON mode (default: stderr). */
  writeLog?: (text: string) => void;
  now?: Date;
}

export class BenchReporter {
  readonly json: boolean;
  readonly quick: boolean;
  readonly argv: string[];
  private readonly data: BenchReport;
  private readonly write: (text: string) => void;
  private readonly writeLog: (text: string) => void;

  constructor(bench: string, title: string, options: ReporterOptions = {}) {
    this.argv = options.argv ?? process.argv.slice(2);
    this.json = this.argv.includes('--json');
    this.quick = this.argv.includes('--quick');
    this.data = {
      schema: REPORT_SCHEMA,
      bench,
      title,
      options: {},
      environment: environment(options.now),
      results: [],
      context: [],
      skipped: [],
    };
    if (this.quick) this.data.options.quick = true;
    this.writeLog = options.writeLog ?? ((t) => process.stderr.write(t));
    if (options.write) this.write = options.write;
    else if (this.json) this.write = reserveStdout();
    else this.write = (t) => process.stdout.write(t);
  }

  /** A progress or detail line: stdout in text mode, stderr in JSON mode. */
  log(...parts: unknown[]): void {
    const line = parts.map((p) => (typeof p === 'string' ? p : String(p))).join(' ') + '\n';
    if (this.json) this.writeLog(line);
    else this.write(line);
  }

  /** The value of `--name value` on the command line, or `fallback`. */
  arg(name: string, fallback: string): string {
    const i = this.argv.indexOf(`--${name}`);
    return i >= 0 && this.argv[i + 1] !== undefined ? this.argv[i + 1] : fallback;
  }

  flag(name: string): boolean {
    return this.argv.includes(`--${name}`);
  }

  option(name: string, value: string | number | boolean): void {
    this.data.options[name] = value;
  }

  compare(c: Omit<Comparison, 'ratio'>): Comparison {
    for (const [what, v] of [
      [c.name, c.figure],
      [c.baseline.name, c.baseline.figure],
    ] as const) {
      if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`${what}: figure is ${v}`);
    }
    const full: Comparison = { ...c, ratio: ratioOf(c.figure, c.baseline.figure, c.better) };
    this.data.results.push(full);
    return full;
  }

  context(name: string, figure: number, unit: string, note?: string): void {
    this.data.context.push(
      note === undefined ? { name, figure, unit } : { name, figure, unit, note },
    );
  }

  skip(reason: string): void {
    this.data.skipped.push(reason);
    this.log(`skipped: ${reason}`);
  }

  report(): BenchReport {
    return structuredClone(this.data);
  }

  /** Prints the report (text, or JSON with --json). */
  finish(): BenchReport {
    const r = this.report();
    if (r.results.length === 0 && r.skipped.length === 0)
      throw new Error(`${r.bench}: no figure with a baseline was reported`);
    this.write(this.json ? formatJson(r) : formatText(r));
    return r;
  }
}

let reserved: ((text: string) => void) | undefined;

/**
 * Keeps stdout for the JSON document: from now on, anything else this process writes to stdout
 * (console.log in the bench or in a library) goes to stderr. Returns the real stdout writer.
 */
export function reserveStdout(): (text: string) => void {
  if (reserved) return reserved;
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(
      chunk,
      ...rest,
    )) as typeof process.stdout.write;
  reserved = (text) => void original(text);
  return reserved;
}

// ---------------------------------------------------------------------------------- timing

export interface Stats {
  samples: number;
  median: number;
  mean: number;
  min: number;
  max: number;
}

/** Median (the mean of the middle two for an even count), mean, min and max. */
export function summarise(values: readonly number[]): Stats {
  if (values.length === 0) throw new Error('summarise: no samples');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    samples: s.length,
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    min: s[0],
    max: s[s.length - 1],
  };
}

export interface TimingOptions {
  /** Untimed calls first (JIT, caches). Default 1. */
  warmup?: number;
  /** Timed calls at least. Default 5. */
  repetitions?: number;
  /** Keep repeating until this much time has passed too. Default 0. */
  minSeconds?: number;
  /** Never more timed calls than this. Default 10,000. */
  maxRepetitions?: number;
}

/** Milliseconds per call of the timed repetitions. */
export interface Timing extends Stats {
  samplesMs: number[];
}

function done(n: number, start: number, o: TimingOptions): boolean {
  if (n >= (o.maxRepetitions ?? 10_000)) return true;
  return n >= (o.repetitions ?? 5) && performance.now() - start >= (o.minSeconds ?? 0) * 1000;
}

export function timeSync(fn: () => unknown, options: TimingOptions = {}): Timing {
  for (let i = 0; i < (options.warmup ?? 1); i++) fn();
  const samplesMs: number[] = [];
  const start = performance.now();
  while (!done(samplesMs.length, start, options)) {
    const t = performance.now();
    fn();
    samplesMs.push(performance.now() - t);
  }
  return { ...summarise(samplesMs), samplesMs };
}

export async function timeAsync(
  fn: () => Promise<unknown>,
  options: TimingOptions = {},
): Promise<Timing> {
  for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
  const samplesMs: number[] = [];
  const start = performance.now();
  while (!done(samplesMs.length, start, options)) {
    const t = performance.now();
    await fn();
    samplesMs.push(performance.now() - t);
  }
  return { ...summarise(samplesMs), samplesMs };
}

/** A timing as a rate: `units` per call, per second (scaled by `scale`, e.g. 1e-6 for M/s). */
export function rate(t: Stats, units: number, scale = 1): { figure: number; spread: Spread } {
  const per = (ms: number) => (units / (ms / 1000)) * scale;
  return {
    figure: per(t.median),
    spread: { samples: t.samples, min: per(t.max), max: per(t.min) },
  };
}

/** A timing as a latency in ms (median, with min–max). */
export function latency(t: Stats): { figure: number; spread: Spread } {
  return { figure: t.median, spread: { samples: t.samples, min: t.min, max: t.max } };
}
