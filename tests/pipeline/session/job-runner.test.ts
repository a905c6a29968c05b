import { describe, expect, it } from 'vitest';
import { CancelledError, throwIfAborted } from '../../../src/pipeline/errors';
import { JobRunner } from '../../../src/pipeline/session/job-runner';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('JobRunner', () => {
  it('polls the cancel probe whenever the job checks its signal, not only at progress', async () => {
    const jobs = new JobRunner();
    let flag = 0;
    jobs.setCancelProbe(() => flag === 1);
    let checks = 0;
    const run = jobs.run(undefined, async (signal) => {
      for (;;) {
        checks++;
        if (checks === 3) flag = 1;
        throwIfAborted(signal);
        await tick();
      }
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(checks).toBe(3);
    expect(jobs.busy).toBe(false);
  });

  it('a new job aborts the one in flight; reports stop once a job is aborted', async () => {
    const jobs = new JobRunner();
    const seen: number[] = [];
    let firstSignal: AbortSignal | undefined;
    const first = jobs.run(
      (p) => seen.push(p.done),
      async (signal, report) => {
        firstSignal = signal;
        report({ stage: 's', done: 1, total: 2 });
        await tick();
        report({ stage: 's', done: 2, total: 2 });
        throwIfAborted(signal);
        return 'first';
      },
    );
    const second = jobs.run(undefined, async () => 'second');
    expect(firstSignal?.aborted).toBe(true);
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await expect(second).resolves.toBe('second');
    expect(seen).toEqual([1]);
  });

  it('the probe of a finished job is not consulted by later signal reads', async () => {
    const jobs = new JobRunner();
    let flag = 0;
    jobs.setCancelProbe(() => flag === 1);
    let kept: AbortSignal | undefined;
    await jobs.run(undefined, async (signal) => {
      kept = signal;
    });
    flag = 1;
    expect(kept!.aborted).toBe(false);
  });
});
