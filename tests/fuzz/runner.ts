/**
 * The parent: runs each target's cases in child processes, a batch per child, with a per-case
 * watchdog (a case that runs past the time limit is a hang: the child is killed and a new one
 * resumes at the next case) and a memory limit (V8's heap limit plus resident-set polling from
 * /proc: past it the case is an oom). Peak RSS is the highest resident set seen per target.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { bundleChild } from './bundle';
import type { ChildMessage, ChildRequest } from './child';
import type { CaseResult, Outcome, TargetSummary } from './types';

export interface RunOptions {
  /** Source tree whose readers are fuzzed (default: this repository). */
  root: string;
  /** Only these targets (default: all). */
  targets?: string[];
  /** Cases per target (default: the target's own, ≥ 1,000). */
  cases?: number;
  timeoutMs?: number;
  memoryMb?: number;
  /** Children at once. */
  concurrency?: number;
  /** Cases per child. */
  batchSize?: number;
  onProgress?(done: number, total: number): void;
}

export interface SuiteResult {
  root: string;
  summaries: TargetSummary[];
  unavailable: string[];
  failures: string[];
  options: { timeoutMs: number; memoryMb: number; cases?: number };
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function spawnChild(bundle: string, memoryMb: number): ChildProcess {
  return fork(bundle, [], {
    execArgv: [`--max-old-space-size=${memoryMb}`, '--stack-size=984'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
}

async function listTargets(bundle: string, memoryMb: number) {
  const child = spawnChild(bundle, memoryMb);
  return new Promise<Extract<ChildMessage, { type: 'list' }>>((resolve, reject) => {
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'list') resolve(m);
      else if (m.type === 'fatal') reject(new Error(m.message));
    });
    child.on('exit', (code) => reject(new Error(`target listing exited with ${code}`)));
    child.send({ type: 'list' } satisfies ChildRequest);
  });
}

interface Batch {
  target: string;
  from: number;
  to: number;
}

/** Runs one batch to the end, restarting the child after each hang / oom / crash. */
function runBatch(
  bundle: string,
  batch: Batch,
  timeoutMs: number,
  memoryMb: number,
  onResult: (r: CaseResult, peakMb: number) => void,
): Promise<void> {
  return new Promise((resolveBatch, rejectBatch) => {
    let next = batch.from;
    const start = () => {
      if (next >= batch.to) return resolveBatch();
      const child = spawnChild(bundle, memoryMb);
      let stderr = '';
      let settled = false;
      let peak = 0;
      let timer: NodeJS.Timeout | undefined;
      child.stderr!.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-2000);
      });
      const finish = (outcome: Outcome | undefined, detail?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        child.kill('SIGKILL');
        if (outcome) {
          onResult(
            { target: batch.target, index: next, outcome, detail, rssMb: Math.round(peak) },
            peak,
          );
          next++;
        }
        start();
      };
      // Seeds are built before the first case: allow them a generous start.
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(
          () => finish('hang', `case ${next}: no result after ${timeoutMs} ms`),
          ms,
        );
      };
      arm(timeoutMs + 30_000);
      const poll = setInterval(() => {
        const mb = rssMb(child.pid);
        peak = Math.max(peak, mb);
        if (mb > memoryMb)
          finish('oom', `case ${next}: resident set ${Math.round(mb)} MB > ${memoryMb} MB`);
      }, 20);
      child.on('message', (m: ChildMessage) => {
        if (settled) return;
        if (m.type === 'ready') arm(timeoutMs);
        else if (m.type === 'result') {
          peak = Math.max(peak, m.result.rssMb ?? 0);
          onResult(m.result, peak);
          next = m.result.index + 1;
          arm(timeoutMs);
        } else if (m.type === 'done') {
          settled = true;
          clearTimeout(timer);
          clearInterval(poll);
          next = batch.to;
          child.kill();
          resolveBatch();
        } else if (m.type === 'fatal') {
          settled = true;
          clearTimeout(timer);
          clearInterval(poll);
          child.kill('SIGKILL');
          rejectBatch(new Error(m.message));
        }
      });
      child.on('exit', (code, signal) => {
        if (settled) return;
        const heap = /heap out of memory|Allocation failed|Array buffer allocation failed/.test(
          stderr,
        );
        finish(
          heap ? 'oom' : 'other',
          `case ${next}: child exited (${code ?? signal}): ${stderr.slice(-300)}`,
        );
      });
      child.send({
        type: 'run',
        target: batch.target,
        from: next,
        to: batch.to,
      } satisfies ChildRequest);
    };
    start();
  });
}

function emptySummary(target: string): TargetSummary {
  return {
    target,
    tried: 0,
    ok: 0,
    typed: 0,
    typedNoLocation: 0,
    other: 0,
    hangs: 0,
    oom: 0,
    accepted: 0,
    peakRssMb: 0,
    examples: {},
  };
}

const FIELD: Record<Outcome, keyof TargetSummary> = {
  ok: 'ok',
  typed: 'typed',
  'typed-no-location': 'typedNoLocation',
  other: 'other',
  hang: 'hangs',
  oom: 'oom',
  accepted: 'accepted',
};

export async function runSuite(options: RunOptions): Promise<SuiteResult> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const memoryMb = options.memoryMb ?? 1024;
  const concurrency = options.concurrency ?? 2;
  const batchSize = options.batchSize ?? 1000;
  const bundle = await bundleChild(options.root);
  const listing = await listTargets(bundle, memoryMb);
  const chosen = listing.targets.filter(
    (t) => !options.targets || options.targets.includes(t.name),
  );
  const unknown = (options.targets ?? []).filter((n) => !listing.targets.some((t) => t.name === n));
  const summaries = new Map(chosen.map((t) => [t.name, emptySummary(t.name)]));
  const batches: Batch[] = [];
  for (const t of chosen) {
    const cases = options.cases ?? t.defaultCases;
    for (let from = 0; from < cases; from += batchSize) {
      batches.push({ target: t.name, from, to: Math.min(cases, from + batchSize) });
    }
  }
  const total = batches.reduce((s, b) => s + b.to - b.from, 0);
  let done = 0;
  const failures: string[] = [];
  const onResult = (r: CaseResult, peak: number) => {
    const s = summaries.get(r.target)!;
    s.tried++;
    (s[FIELD[r.outcome]] as number)++;
    s.peakRssMb = Math.max(s.peakRssMb, Math.round(peak));
    if (r.outcome !== 'ok' && r.outcome !== 'typed' && r.detail) {
      const list = (s.examples[r.outcome] ??= []);
      if (list.length < 5) list.push(`#${r.index} ${r.detail}`);
    }
    options.onProgress?.(++done, total);
  };
  const queue = [...batches];
  const worker = async () => {
    for (let b = queue.shift(); b; b = queue.shift()) {
      try {
        await runBatch(bundle, b, timeoutMs, memoryMb, onResult);
      } catch (err) {
        failures.push(`${b.target}: ${(err as Error).message}`);
        // A target whose seed does not build is not run further.
        for (let i = queue.length - 1; i >= 0; i--)
          if (queue[i].target === b.target) queue.splice(i, 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    root: options.root,
    summaries: [...summaries.values()],
    unavailable: [...listing.unavailable, ...unknown.map((n) => `${n}: no such target`)],
    failures,
    options: { timeoutMs, memoryMb, cases: options.cases },
  };
}
