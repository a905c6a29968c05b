/**
 * Runs every benchmark in bench/ one after another (each prints its figures and a ratio against
 * a baseline measured in the same run). `npm run bench` or `npx tsx bench/run-all.ts [name ...]`.
 * The viewer benchmark needs Chromium and a production build (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n==== ${file} ====\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`(${file} exited with ${r.status ?? r.signal})\n`);
  }
}
process.exit(failed ? 1 : 0);
