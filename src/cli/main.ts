#!/usr/bin/env node
// CLI over the same pipeline code the worker runs: `npm run --silent cli -- <command> [args]`.
// The logic is runCli (./cli.ts), which tests call in-process; this file binds it to the process.
import { runCli } from './cli';
import { reportError } from './error-line';
import { installNodePlatform } from '../hosts/node/platform';

// Node's capabilities: threads up to the cores, the native onnxruntime where it loads.
installNodePlatform();

export function main(argv: string[]): Promise<number> {
  return runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    isTty: process.stderr.isTTY === true,
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    const { line, exitCode } = reportError(err, `'${process.argv.slice(2).join(' ')}'`);
    process.stderr.write(line + '\n');
    process.exit(exitCode);
  },
);
