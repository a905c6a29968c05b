/**
 * Python oracles: tests that compare our code with numpy, scipy, torch or Open3D run a short
 * Python script through this helper, so they all find the interpreter and report a missing one
 * the same way.
 *
 * - The interpreter: $PYTHON when set (only that one), else the first of `python3` on PATH and
 *   /usr/bin/python3 (Debian's, where apt puts python3-numpy, -scipy, -torch, -open3d) that
 *   imports every module the test needs.
 * - None found: the suite is skipped with the reason in its name and on stderr, unless
 *   REQUIRE_ORACLES=1 (set by .ci/run), where it fails instead: CI must not pass on a skipped
 *   oracle.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Set by .ci/run: a missing oracle is a failure, not a skip. */
export const REQUIRE_ORACLES = process.env.REQUIRE_ORACLES === '1';

export interface PythonOracle {
  /** The interpreter that imports the modules. */
  python: string;
  /** Runs `script` with `input` as JSON on stdin; returns its stdout parsed as JSON. */
  run<T = unknown>(script: string, input?: unknown): T;
}

export type PythonLookup =
  { oracle: PythonOracle; reason?: undefined } | { oracle?: undefined; reason: string };

function candidates(): string[] {
  if (process.env.PYTHON) return [process.env.PYTHON];
  return ['python3', '/usr/bin/python3'];
}

const MAX_OUTPUT = 1 << 28;

function oracleFor(python: string): PythonOracle {
  return {
    python,
    run<T>(script: string, input?: unknown): T {
      const r = spawnSync(python, ['-c', script], {
        input: JSON.stringify(input ?? null),
        encoding: 'utf8',
        maxBuffer: MAX_OUTPUT,
      });
      if (r.error) throw r.error;
      if (r.status !== 0) {
        throw new Error(`${python} oracle exited with ${r.status}: ${r.stderr.trim()}`);
      }
      return JSON.parse(r.stdout) as T;
    },
  };
}

const found = new Map<string, PythonLookup>();

/** The first interpreter that imports every one of `modules`, or why there is none. */
export function findPython(modules: string[]): PythonLookup {
  const key = modules.join(',');
  const cached = found.get(key);
  if (cached) return cached;
  const probe =
    'import importlib, json, sys\n' +
    'missing = []\n' +
    'for m in sys.argv[1:]:\n' +
    '    try:\n' +
    '        importlib.import_module(m)\n' +
    '    except Exception:\n' +
    '        missing.append(m)\n' +
    'print(json.dumps(missing))\n';
  const tried: string[] = [];
  let lookup: PythonLookup | undefined;
  for (const python of candidates()) {
    const r = spawnSync(python, ['-c', probe, ...modules], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      tried.push(`${python} does not run`);
      continue;
    }
    const missing = JSON.parse(r.stdout) as string[];
    if (missing.length === 0) {
      lookup = { oracle: oracleFor(python) };
      break;
    }
    tried.push(`${python} lacks ${missing.join(', ')}`);
  }
  lookup ??= {
    reason:
      `no Python with ${modules.join(', ')} (${tried.join('; ')}); ` +
      `apt-get install ${modules.map((m) => `python3-${m}`).join(' ')}, or set PYTHON`,
  };
  found.set(key, lookup);
  return lookup;
}

/**
 * `describe(name, …)` with a Python oracle that imports `modules`. Without one the suite is
 * skipped and says why (in its name and on stderr); with REQUIRE_ORACLES=1 it fails instead.
 */
export function describeWithPython(
  name: string,
  modules: string[],
  suite: (oracle: PythonOracle) => void,
): void {
  const lookup = findPython(modules);
  const { oracle, reason } = lookup;
  if (oracle) {
    describe(`${name} (${oracle.python})`, () => suite(oracle));
    return;
  }
  if (REQUIRE_ORACLES) {
    describe(name, () => {
      it(`has its Python oracle (REQUIRE_ORACLES=1)`, () => {
        throw new Error(reason);
      });
    });
    return;
  }
  console.warn(`skipping "${name}": ${reason}`);
  const unavailable: PythonOracle = {
    python: '',
    run: () => {
      throw new Error(reason);
    },
  };
  describe.skip(`${name} (skipped: ${reason})`, () => suite(unavailable));
}
