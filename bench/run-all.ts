/**
 * Runs every benchmark in bench/ one after another, each in its own process (each reports its
 * figures next to a baseline measured in the same run; see bench/report.ts).
 *
 *   npm run bench -- [--quick] [--json] [--skip name,...] [name ...]
 *   npx tsx bench/run-all.ts [--quick] [--json] [--skip name,...] [name ...]
 *
 * Names select benches by prefix (`query`, `scene`). --quick passes --quick on (small sizes);
 * --json prints one JSON array of the reports on stdout (progress on stderr); a bench that fails
 * appears there as a report with no results and the failure in `skipped`, and the exit status
 * is 1. viewer-frame builds the app if dist/ is stale and needs /usr/bin/chromium.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  REPORT_SCHEMA,
  environment,
  formatJson,
  parseReport,
  reserveStdout,
  type BenchReport,
} from './report';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const skipAt = argv.indexOf('--skip');
const skip = skipAt >= 0 ? (argv[skipAt + 1] ?? '').split(',').filter(Boolean) : [];
const wanted = argv.filter((a, i) => !a.startsWith('--') && !(skipAt >= 0 && i === skipAt + 1));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .filter((f) => !skip.some((s) => f.startsWith(s)))
  .sort();
if (benches.length === 0) {
  process.stderr.write(`no bench matches ${wanted.join(' ')}\n`);
  process.exit(1);
}

const write = json ? reserveStdout() : (t: string) => void process.stdout.write(t);
const passOn = [...(quick ? ['--quick'] : []), ...(json ? ['--json'] : [])];
const reports: BenchReport[] = [];
let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.ts$/, '');
  const started = performance.now();
  process.stderr.write(`\n==== ${file} ${passOn.join(' ')} ====\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file), ...passOn], {
    stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  let failure = r.status === 0 ? undefined : `exited with ${r.status ?? r.signal}`;
  if (json && !failure) {
    try {
      reports.push(parseReport(r.stdout));
    } catch (e) {
      failure = `printed no report: ${(e as Error).message}`;
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stderr.write(`(${file}: ${failure ?? 'done'}, ${seconds} s)\n`);
  if (failure) {
    failed++;
    if (json) {
      reports.push({
        schema: REPORT_SCHEMA,
        bench: name,
        title: 'failed',
        options: quick ? { quick: true } : {},
        environment: environment(),
        results: [],
        context: [],
        skipped: [`${file} ${failure}`],
      });
    }
  }
}
if (json) write(formatJson(reports));
else if (failed) write(`\n${failed} of ${benches.length} benches failed\n`);
process.exit(failed ? 1 : 0);
