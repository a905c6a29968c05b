/** The per-target table (markdown) and the failing examples. */
import type { SuiteResult } from './runner';

export function markdownReport(result: SuiteResult): string {
  const lines = [
    `Fuzz suite on \`${result.root}\` (per-case limit ${result.options.timeoutMs} ms, ` +
      `${result.options.memoryMb} MB)`,
    '',
    '| target | tried | ok | typed with location | typed, no location | other | hangs | oom | accepted | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const total = {
    tried: 0,
    ok: 0,
    typed: 0,
    typedNoLocation: 0,
    other: 0,
    hangs: 0,
    oom: 0,
    accepted: 0,
  };
  let peak = 0;
  for (const s of result.summaries) {
    lines.push(
      `| ${s.target} | ${s.tried} | ${s.ok} | ${s.typed} | ${s.typedNoLocation} | ${s.other} | ${s.hangs} | ${s.oom} | ${s.accepted} | ${s.peakRssMb} |`,
    );
    for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += s[k];
    peak = Math.max(peak, s.peakRssMb);
  }
  lines.push(
    `| **all** | ${total.tried} | ${total.ok} | ${total.typed} | ${total.typedNoLocation} | ${total.other} | ${total.hangs} | ${total.oom} | ${total.accepted} | ${peak} |`,
  );
  for (const u of result.unavailable) lines.push('', `Not run: ${u}`);
  for (const f of result.failures) lines.push('', `Failed to run: ${f}`);
  const examples = result.summaries.flatMap((s) =>
    Object.entries(s.examples).flatMap(([outcome, list]) =>
      (list ?? []).map(
        (d) => `- ${s.target} / ${outcome}: ${d.replace(/\s+/g, ' ').slice(0, 240)}`,
      ),
    ),
  );
  if (examples.length > 0)
    lines.push('', 'Examples (up to 5 per target and outcome):', '', ...examples);
  return lines.join('\n') + '\n';
}

/** Targets with hangs, untyped errors, oom or accepted corruptions. */
export function failingTargets(result: SuiteResult): string[] {
  return result.summaries
    .filter((s) => s.hangs + s.other + s.oom + s.accepted > 0)
    .map(
      (s) =>
        `${s.target} (other ${s.other}, hangs ${s.hangs}, oom ${s.oom}, accepted ${s.accepted})`,
    );
}
