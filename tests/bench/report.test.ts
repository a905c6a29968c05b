// The benchmarks' shared reporter (bench/report.ts): ratios, the text and JSON formats, the
// stdout/stderr split in JSON mode, and the timing helper's statistics. No timed assertions.
import { describe, expect, it } from 'vitest';
import {
  BenchReporter,
  REPORT_SCHEMA,
  formatJson,
  formatNumber,
  formatRatio,
  formatText,
  latency,
  parseReport,
  rate,
  ratioOf,
  summarise,
  timeSync,
  type BenchReport,
} from '../../bench/report';

const DATE = new Date('2025-01-02T03:04:05.000Z');

function reporter(argv: string[] = []) {
  const out: string[] = [];
  const log: string[] = [];
  const r = new BenchReporter('demo', 'a demo bench', {
    argv,
    now: DATE,
    write: (t) => out.push(t),
    writeLog: (t) => log.push(t),
  });
  return { r, out, log };
}

/** Two comparisons (one each way), a context figure, an option. */
function fill(r: BenchReporter): void {
  r.option('points', 1000);
  r.compare({
    name: 'ours',
    figure: 300,
    unit: 'items/s',
    better: 'higher',
    spread: { samples: 5, min: 280, max: 310 },
    baseline: { name: 'naive loop', figure: 120 },
  });
  r.compare({
    name: 'latency',
    figure: 4,
    unit: 'ms',
    better: 'lower',
    baseline: { name: 'float32 scan', figure: 50 },
    note: 'CPU time',
  });
  r.context('peak RSS', 412, 'MiB');
}

describe('ratioOf', () => {
  it('is figure / baseline when higher is better', () => {
    expect(ratioOf(300, 120, 'higher')).toBe(2.5);
    expect(ratioOf(50, 200, 'higher')).toBe(0.25);
  });

  it('is baseline / figure when lower is better', () => {
    expect(ratioOf(4, 50, 'lower')).toBe(12.5);
    expect(ratioOf(200, 50, 'lower')).toBe(0.25);
  });

  it('is null where undefined (a zero, NaN or infinite figure)', () => {
    expect(ratioOf(0, 10, 'lower')).toBeNull();
    expect(ratioOf(10, 0, 'higher')).toBeNull();
    expect(ratioOf(0, 10, 'higher')).toBeNull();
    expect(ratioOf(Number.NaN, 10, 'higher')).toBeNull();
    expect(ratioOf(Infinity, 10, 'higher')).toBeNull();
  });
});

describe('BenchReporter', () => {
  it('computes each comparison’s ratio by its direction', () => {
    const { r } = reporter();
    fill(r);
    const report = r.report();
    expect(report.results.map((c) => c.ratio)).toEqual([2.5, 12.5]);
  });

  it('prints text with the figures, baselines, ratios and environment', () => {
    const { r, out } = reporter();
    fill(r);
    r.finish();
    expect(out).toHaveLength(1);
    const text = out[0];
    expect(text).toContain('== demo: a demo bench');
    expect(text).toContain(`node ${process.version}`);
    expect(text).toContain('2025-01-02T03:04:05.000Z');
    expect(text).toContain('points=1000');
    expect(text).toContain('ours: 300 items/s [280–310, n=5]');
    expect(text).toContain('baseline naive loop: 120 items/s');
    expect(text).toContain('ratio 2.50× (figure / baseline, higher is better)');
    expect(text).toContain('latency: 4 ms');
    expect(text).toContain('baseline float32 scan: 50 ms');
    expect(text).toContain('ratio 12.5× (baseline / figure, lower is better); CPU time');
    expect(text).toContain('peak RSS: 412 MiB');
    expect(formatText(r.report())).toBe(text);
  });

  it('with --json writes one JSON document that parses back to the report', () => {
    const { r, out, log } = reporter(['--json', '--quick']);
    expect(r.json).toBe(true);
    expect(r.quick).toBe(true);
    r.log('progress', 3);
    fill(r);
    r.finish();
    expect(log).toEqual(['progress 3\n']);
    expect(out).toHaveLength(1);
    const parsed = parseReport(out[0]);
    expect(parsed).toEqual(r.report());
    expect(parsed.schema).toBe(REPORT_SCHEMA);
    expect(parsed.bench).toBe('demo');
    expect(parsed.title).toBe('a demo bench');
    expect(parsed.options).toEqual({ quick: true, points: 1000 });
    expect(parsed.environment).toEqual({
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: expect.any(Number),
      cpuModel: expect.any(String),
      date: '2025-01-02T03:04:05.000Z',
    });
    expect(parsed.results[0]).toEqual({
      name: 'ours',
      figure: 300,
      unit: 'items/s',
      better: 'higher',
      spread: { samples: 5, min: 280, max: 310 },
      baseline: { name: 'naive loop', figure: 120 },
      ratio: 2.5,
    });
    expect(parsed.results[1].ratio).toBe(12.5);
    expect(parsed.context).toEqual([{ name: 'peak RSS', figure: 412, unit: 'MiB' }]);
    expect(parsed.skipped).toEqual([]);
  });

  it('in text mode, log lines go to the report stream', () => {
    const { r, out, log } = reporter();
    r.log('detail line');
    expect(out).toEqual(['detail line\n']);
    expect(log).toEqual([]);
  });

  it('reads options from argv', () => {
    const { r } = reporter(['--stride', '20', '--full']);
    expect(r.arg('stride', '10')).toBe('20');
    expect(r.arg('reps', '3')).toBe('3');
    expect(r.flag('full')).toBe(true);
    expect(r.flag('quick')).toBe(false);
  });

  it('prints an undefined ratio as n/a and null in JSON', () => {
    const { r, out } = reporter(['--json']);
    r.compare({
      name: 'too fast to time',
      figure: 0,
      unit: 'ms',
      better: 'lower',
      baseline: { name: 'b', figure: 3 },
    });
    r.finish();
    expect(parseReport(out[0]).results[0].ratio).toBeNull();
    expect(formatText(r.report())).toContain('ratio n/a');
  });

  it('refuses a NaN figure, and a report with neither a comparison nor a skip', () => {
    const { r } = reporter();
    expect(() =>
      r.compare({
        name: 'x',
        figure: Number.NaN,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'b', figure: 1 },
      }),
    ).toThrow(/figure is NaN/);
    expect(() => r.finish()).toThrow(/no figure with a baseline/);
  });

  it('accepts a report whose parts were all skipped', () => {
    const { r, out, log } = reporter(['--json']);
    r.skip('data is missing');
    r.finish();
    expect(parseReport(out[0]).skipped).toEqual(['data is missing']);
    expect(log.join('')).toContain('data is missing');
    expect(formatText(r.report())).toContain('skipped: data is missing');
  });
});

describe('formats', () => {
  it('formats numbers with 3–4 significant digits, integers without decimals', () => {
    expect(formatNumber(1234567.8)).toBe('1,234,568');
    expect(formatNumber(123.456)).toBe('123');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.12345)).toBe('0.123');
    expect(formatNumber(0.0012345)).toBe('0.00123');
    expect(formatNumber(7)).toBe('7');
    expect(formatRatio(2.5)).toBe('2.50×');
    expect(formatRatio(114.23)).toBe('114.2×');
    expect(formatRatio(null)).toBe('n/a');
  });

  it('rejects JSON that is not a report', () => {
    expect(() => parseReport('{"bench": "x"}')).toThrow(/not a bench report/);
    const noBaseline = { ...emptyReport(), results: [{ name: 'x', figure: 1 }] };
    expect(() => parseReport(JSON.stringify(noBaseline))).toThrow(/lacks a figure or a baseline/);
  });

  it('writes an array of reports as one JSON document', () => {
    const reports = [emptyReport(), { ...emptyReport(), bench: 'other' }];
    expect(JSON.parse(formatJson(reports))).toEqual(reports);
  });
});

function emptyReport(): BenchReport {
  return {
    schema: REPORT_SCHEMA,
    bench: 'empty',
    title: 't',
    options: {},
    environment: {
      node: 'v20',
      platform: 'linux',
      arch: 'x64',
      cpus: 2,
      cpuModel: 'cpu',
      date: DATE.toISOString(),
    },
    results: [],
    context: [],
    skipped: ['all'],
  };
}

describe('timing helper', () => {
  it('summarises samples: median (middle two averaged), mean, min, max', () => {
    expect(summarise([5, 1, 3])).toEqual({ samples: 3, median: 3, mean: 3, min: 1, max: 5 });
    expect(summarise([4, 1, 3, 10])).toEqual({
      samples: 4,
      median: 3.5,
      mean: 4.5,
      min: 1,
      max: 10,
    });
    expect(() => summarise([])).toThrow();
  });

  it('turns ms per call into a rate, the slowest call giving the low end', () => {
    // 10 units per call; calls of 200, 250 and 500 ms → 50, 40 and 20 units/s.
    expect(rate(summarise([250, 500, 200]), 10)).toEqual({
      figure: 40,
      spread: { samples: 3, min: 20, max: 50 },
    });
    // Scaled: 2e6 units in 500 ms = 4 M units/s.
    expect(rate(summarise([500]), 2e6, 1e-6).figure).toBe(4);
    expect(latency(summarise([3, 9, 6]))).toEqual({
      figure: 6,
      spread: { samples: 3, min: 3, max: 9 },
    });
  });

  it('runs the warm-up calls untimed, then the repetitions', () => {
    let calls = 0;
    const t = timeSync(() => calls++, { warmup: 2, repetitions: 4 });
    expect(calls).toBe(6);
    expect(t.samples).toBe(4);
    expect(t.samplesMs).toHaveLength(4);
    expect(t.min).toBeLessThanOrEqual(t.median);
    expect(t.median).toBeLessThanOrEqual(t.max);
  });

  it('stops at maxRepetitions even with time left on minSeconds', () => {
    let calls = 0;
    const t = timeSync(() => calls++, {
      warmup: 0,
      repetitions: 1,
      minSeconds: 3600,
      maxRepetitions: 7,
    });
    expect(calls).toBe(7);
    expect(t.samples).toBe(7);
  });
});

describe('bench/*.bench.ts', () => {
  it('every bench reports through BenchReporter, with a same-run baseline', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../bench/', import.meta.url);
    const benches = readdirSync(dir).filter((f) => f.endsWith('.bench.ts'));
    expect(benches.length).toBeGreaterThan(0);
    for (const file of benches) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      expect(source, file).toContain("from './report'");
      expect(source, file).toMatch(/new BenchReporter\(/);
      expect(source, file).toMatch(/\.compare\(\{/);
      expect(source, file).toMatch(/baseline: /);
      expect(source, file).toMatch(/\.finish\(\)/);
      expect(source, file).not.toMatch(/console\.log\(/);
    }
  });
});
