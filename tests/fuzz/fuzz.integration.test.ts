/**
 * The fuzz suite (tests/fuzz/run.ts) over every reader and decoder: ≥ 1,000 mutations each,
 * 10,000 for the location-token parser, in child processes with a per-case time limit and a
 * memory limit. Every case must read cleanly or fail with one of our typed errors naming the
 * file: no hang, no untyped error, no out-of-memory, no silently accepted corruption.
 */
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bundle';
import { failingTargets, markdownReport } from './report';
import { runSuite, type SuiteResult } from './runner';

describe('fuzz suite', () => {
  let result: SuiteResult;

  it('runs every target with its full case count', async () => {
    result = await runSuite({ root: REPO_ROOT, timeoutMs: 5000, memoryMb: 1024 });
    console.log(markdownReport(result));
    expect(result.failures).toEqual([]);
    expect(result.unavailable).toEqual([]);
    expect(result.summaries.length).toBeGreaterThanOrEqual(25);
    for (const s of result.summaries) {
      expect(s.tried, s.target).toBeGreaterThanOrEqual(
        s.target === 'location-tokens' ? 10_000 : 1000,
      );
      // The mutations must reach the parsers' error paths (the token parser never throws).
      if (s.target !== 'location-tokens')
        expect(s.typed + s.typedNoLocation, s.target).toBeGreaterThan(100);
    }
  });

  it('has 0 hangs, 0 untyped errors, 0 out-of-memory and 0 accepted corruptions', () => {
    expect(result, 'the suite ran').toBeDefined();
    expect(failingTargets(result)).toEqual([]);
  });
});
