import type { ParsedArgs } from './args';

/** Where a command writes: results to stdout (JSON with --json), progress to stderr. */
export interface CliIo {
  json: boolean;
  /** One progress line on stderr (overwritten on a TTY). */
  progress(line: string): void;
  /** A warning line on stderr. */
  warn(line: string): void;
}

export interface CliCommand {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Usage line, e.g. 'info <path> [--stride k]'; every `--flag` the command reads is named here. */
  usage: string;
  /** Returns the JSON-serialisable result; throw a typed error on failure. */
  run(args: ParsedArgs, io: CliIo): Promise<unknown>;
  /** Human-readable rendering of the result (defaults to pretty JSON). */
  format?(result: unknown): string;
  /**
   * The exit status for a result that was printed (default 0): `batch` exits 1 when a scene of
   * its shard failed, with the full report still on stdout.
   */
  exitCode?(result: unknown): number;
}
