/**
 * Subprocess smoke tests: the CLI as users start it (`node --import tsx src/cli/main.ts`, and
 * once through `npm run --silent cli --`), for what only a real process shows: the exit status
 * main.ts hands to process.exit, results alone on stdout, progress and errors on stderr. Every
 * command's behaviour is tested in-process (runCli) in the other tests/cli files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClipTokenizer } from '../../src/pipeline/clip/tokenizer/load-tokenizer';
import { sevenScenesFiles } from '../pipeline/scene/rgbd-folders';
import { cli, cliProcess, repoRoot } from './run-cli';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cli-process-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the CLI as a process', () => {
  it('npm run --silent cli -- tokenize: exit 0, one JSON line on stdout', async () => {
    const text = 'a red sofa';
    const r = await cliProcess(['tokenize', text], { viaNpm: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const tokenizerFile = path.join(repoRoot, 'public/models/offline-colors/tokenizer.json');
    const tokenizer = createClipTokenizer(
      new Uint8Array(readFileSync(tokenizerFile)),
      'tokenizer.json',
    );
    expect(JSON.parse(r.stdout)).toEqual(tokenizer.encode(text));
  }, 120_000);

  it('info --json: the result on stdout, progress on stderr, exit 0; same as in-process', async () => {
    const dir = path.join(tmp, 'seven');
    for (const [rel, bytes] of Object.entries(sevenScenesFiles().files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), bytes);
    }
    const [proc, inProcess] = await Promise.all([
      cliProcess(['info', dir, '--json']),
      cli('info', dir, '--json'),
    ]);
    expect(proc.code, proc.stderr).toBe(0);
    expect(proc.stderr).toMatch(/^(reconstruct \d+\/\d+ frames\n?)+$/);
    expect(JSON.parse(proc.stdout)).toEqual(JSON.parse(inProcess.stdout));
    expect(proc.stderr).toBe(inProcess.stderr);
  }, 120_000);

  it('exit 1 for a failed command, 2 for a usage error, one line on stderr, nothing on stdout', async () => {
    const missing = path.join(tmp, 'does-not-exist');
    const [failed, usage, unknown] = await Promise.all([
      cliProcess(['info', missing]),
      cliProcess(['extract', missing, '--model', 'offline']),
      cliProcess(['no-such-command']),
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error: \w+: .*does-not-exist/);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error: usage error: .*--out/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown command 'no-such-command'/);
    for (const r of [failed, usage, unknown]) {
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(1);
    }
  }, 120_000);

  it('--help: exit 0 and every command on stdout; no command: the same text, exit 2', async () => {
    const [help, bare] = await Promise.all([cliProcess(['--help']), cliProcess([])]);
    expect(help.code).toBe(0);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe(help.stdout);
    for (const name of ['extract', 'query', 'eval', 'info', 'tokens', 'tokenize', 'export-3dllm'])
      expect(help.stdout).toMatch(new RegExp(`^ {2}${name} `, 'm'));
  }, 120_000);
});
