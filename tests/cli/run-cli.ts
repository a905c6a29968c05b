/**
 * Two ways to run the CLI in tests:
 * - `cli(...)`: in-process, through runCli (src/cli/cli.ts), the function src/cli/main.ts calls
 *   with the process's streams: same parsing, registry, output and exit codes, no Node start-up.
 *   Most CLI tests use it.
 * - `cliProcess(...)`: the real process as users run it (`node --import tsx src/cli/main.ts`, or
 *   `npm run --silent cli --` with `{ viaNpm: true }`). Only the smoke tests in
 *   tests/cli/cli-process.integration.test.ts and the ICL-NUIM run use it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../../src/cli/cli';

export const repoRoot = path.resolve(__dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  /** stderr without empty lines and npm's own config warnings. */
  stderr: string;
}

const ourLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('npm warn'))
    .join('\n');

/** Runs `npm run --silent cli -- ...args` in this process (stderr is not a TTY). */
export async function cli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTty: false,
  });
  return { code, stdout, stderr: ourLines(stderr) };
}

/** Runs the CLI in a child process and collects its exit code and output. */
export function cliProcess(args: string[], options: { viaNpm?: boolean } = {}): Promise<CliResult> {
  const [cmd, argv] = options.viaNpm
    ? ['npm', ['run', '--silent', 'cli', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]];
  return new Promise((resolve) => {
    execFile(cmd, argv, { cwd: repoRoot, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code, stdout, stderr: ourLines(stderr) });
    });
  });
}
