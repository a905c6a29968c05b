/**
 * Every numeric flag goes through one rule table (src/cli/args.ts NUMBER_FLAGS): the same flag is
 * refused the same way by every command, before any file is read (issue 15, item 11).
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError, flagNumber, NUMBER_FLAGS, parseArgs } from '../../src/cli/args';
import { COMMANDS } from '../../src/cli/registry';
import { cli } from './run-cli';

// Never read: every case must be refused on its arguments first.
const nowhere = path.join(os.tmpdir(), 'arguments-test-no-such-path');

const value = (flag: string, v: string) => flagNumber(parseArgs([`--${flag}=${v}`]), flag);

describe('flagNumber', () => {
  it.each(['-1', '0', '0.5', '', ' ', 'abc', 'NaN', 'Infinity', '1e400'])(
    '--stride %j is refused',
    (v) => {
      expect(() => value('stride', v)).toThrow(CliUsageError);
    },
  );

  it('accepts what the rules allow and returns the number', () => {
    expect(value('stride', '3')).toBe(3);
    expect(value('border', '0')).toBe(0);
    expect(value('voxel', '0.05')).toBe(0.05);
    expect(value('seed', '4294967295')).toBe(4294967295);
    expect(value('overlap', '0')).toBe(0);
    expect(flagNumber(parseArgs([]), 'stride')).toBeUndefined();
  });

  it('refuses a flag given without its value', () => {
    expect(() => flagNumber(parseArgs(['--stride']), 'stride')).toThrow(
      /--stride expects .*got no value/,
    );
  });

  it('bounds --threads by the cores of this machine', () => {
    const cores = os.availableParallelism();
    expect(value('threads', '1')).toBe(1);
    expect(() => value('threads', String(cores + 1))).toThrow(new RegExp(`≤ ${cores}`));
    expect(() => value('threads', '1e6')).toThrow(CliUsageError);
  });

  it('has a rule for every numeric flag a command names', () => {
    // Flags whose value is a number by their usage placeholder; batch's --shard/--shards are
    // parsed together with the scheduler's variables (shard-env.ts, tests/cli/batch.test.ts).
    const numeric = /--([a-z][a-z0-9-]*) (k|m|n|px|s|w|t|L|r|N)\b/g;
    const own = new Set(['shards']);
    let checked = 0;
    for (const c of COMMANDS) {
      for (const [, flag] of c.usage.matchAll(numeric)) {
        if (own.has(flag)) continue;
        expect(NUMBER_FLAGS, `${c.name} --${flag}`).toHaveProperty([flag]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });
});

describe('the CLI refuses wrong numbers with a usage error (exit 2), before reading files', () => {
  it.each([
    ['info', nowhere, '--stride', '-1'],
    ['info', nowhere, '--stride', '0'],
    ['info', nowhere, '--stride', '0.5'],
    ['info', nowhere, '--stride='],
    ['info', nowhere, '--voxel', '-1'],
    ['extract', nowhere, '--out', nowhere, '--stride', '-3'],
    ['extract', nowhere, '--out', nowhere, '--border', '-5'],
    ['extract', nowhere, '--out', nowhere, '--border', '1e9'],
    ['extract', nowhere, '--out', nowhere, '--threads', '1e6'],
    ['extract', nowhere, '--out', nowhere, '--threads', '0'],
    ['export-3dllm', nowhere, '--out', nowhere, '--seed', '1.5'],
    ['export-3dllm', nowhere, '--out', nowhere, '--max-voxels', '0'],
    ['query', nowhere, 'chair', '--voxel', '-1'],
    ['query', nowhere, 'chair', '--top-k', '2.5'],
    ['embed-text', '--threads', '-2', 'red'],
    ['tokens', 'decode', nowhere, '<loc1>', '--bins', '1'],
  ])('%s %s %s %s %s', async (...argv) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: usage error: --[a-z-]+ expects .*, got /);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
