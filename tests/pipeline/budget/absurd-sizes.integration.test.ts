/**
 * Issue 15: each absurd declared size is refused with a typed error naming the file, in a fresh
 * process whose peak RSS stays under 200 MB (a plain Node + tsx process with the pipeline loaded
 * is ~85 MB here). Before the fix these cases took 2–7 GB or 70 s.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./absurd-sizes.child.ts', import.meta.url));
const PEAK_RSS_LIMIT_MB = 200;

interface Outcome {
  name: string;
  errorName?: string;
  message?: string;
  ms: number;
  maxRssMB: number;
}

function runCase(name: string): Outcome {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, name], {
    encoding: 'utf8',
    // A regression to the quadratic regex or a multi-GB allocation must fail, not hang or swap.
    timeout: 60_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Outcome;
}

const CASES: [name: string, error: 'ParseError' | 'BudgetError', file: string][] = [
  ['pose-digit-run', 'ParseError', '7s/frame-000000.pose.txt line 1'],
  ['jpeg-10000', 'ParseError', 'big.jpg at byte'],
  ['sens-depth-16384', 'BudgetError', 'sens/a.sens at byte'],
  ['nerfstudio-60000', 'BudgetError', 'ns/transforms.json'],
  ['nerfstudio-100000', 'BudgetError', 'ns/transforms.json'],
  ['bundle-instances-30000', 'BudgetError', 'bundle/scene.json'],
  ['ply-vertex-count', 'ParseError', 'ply/cloud.ply at byte'],
  ['npy-shape', 'ParseError', 'points.npy at byte'],
];

describe('absurd sizes are refused cheaply (child processes)', () => {
  for (const [name, errorName, file] of CASES) {
    it(`${name}: ${errorName} naming ${file}, peak RSS < ${PEAK_RSS_LIMIT_MB} MB`, () => {
      const outcome = runCase(name);
      expect(outcome.errorName, outcome.message).toBe(errorName);
      expect(outcome.message).toContain(file);
      expect(outcome.maxRssMB).toBeLessThan(PEAK_RSS_LIMIT_MB);
    }, 90_000);
  }
});
