/**
 * CLI: npx tsx tests/fuzz/run.ts [--target X[,Y]] [--cases N] [--json] [--root DIR]
 *   [--timeout-ms MS] [--memory-mb MB] [--jobs N] [--save PREFIX]
 * Prints the per-target table (or JSON); --save also writes PREFIX.md and PREFIX.json.
 * Exit 1 when any target has hangs, untyped errors, oom or silently accepted corruption.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './bundle';
import { failingTargets, markdownReport } from './report';
import { runSuite } from './runner';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string) => {
  const v = flag(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--${name} needs a positive integer, got '${v}'`);
  return n;
};

const result = await runSuite({
  root: resolve(flag('root') ?? REPO_ROOT),
  targets: flag('target')?.split(','),
  cases: num('cases'),
  timeoutMs: num('timeout-ms'),
  memoryMb: num('memory-mb'),
  concurrency: num('jobs'),
  onProgress: (done, total) => {
    if (process.stderr.isTTY && (done % 200 === 0 || done === total)) {
      process.stderr.write(`\r${done}/${total} cases`);
    }
  },
});
if (process.stderr.isTTY) process.stderr.write('\n');
const markdown = markdownReport(result);
const save = flag('save');
if (save) {
  writeFileSync(`${save}.md`, markdown);
  writeFileSync(`${save}.json`, JSON.stringify(result, null, 2) + '\n');
}
process.stdout.write(
  process.argv.includes('--json') ? JSON.stringify(result, null, 2) + '\n' : markdown,
);
process.exitCode = failingTargets(result).length > 0 || result.failures.length > 0 ? 1 : 0;
