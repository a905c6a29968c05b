/** Runs the real CLI as users do (`npx tsx src/cli/main.ts ...`) and collects its output. */
import { execFile } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  /** stderr without npm's own config warnings. */
  stderr: string;
}

export function cli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/main.ts', ...args],
      { cwd: repoRoot, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        const ours = stderr
          .split('\n')
          .filter((l) => l.length > 0 && !l.startsWith('npm warn'))
          .join('\n');
        resolve({ code, stdout, stderr: ours });
      },
    );
  });
}
