/**
 * The one line the CLI prints for a failed command, and its exit status. Typed errors (the
 * pipeline's, with a `kind`) print as `error: <Name>: <message>`; a raw file-system error becomes
 * a FileSystemError naming the path; anything else is a bug in this program, and says so, with
 * the command's arguments (the files it was given) and where in the source it was thrown.
 */
import { CliUsageError } from './args';
import { fileSystemError } from '../hosts/node/file-system-error';

/** Non-ASCII control characters from files must not reach the terminal raw. */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** An error this program raises on purpose: an Error with a string `kind` (errors.ts). */
export function isTypedError(err: unknown): err is Error & { kind: string } {
  return err instanceof Error && typeof (err as { kind?: unknown }).kind === 'string';
}

/** The first stack frame in our own source ('src/…/file.ts:12'), if any. */
function thrownAt(err: unknown): string | undefined {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const m = stack.match(/((?:src|workers|scripts|scenes)\/[^\s():]+\.[cm]?[jt]sx?:\d+)/);
  return m?.[1];
}

export interface ErrorReport {
  line: string;
  exitCode: number;
}

/** `context`: the command and its positional arguments, named in a bug report. */
export function reportError(err: unknown, context: string): ErrorReport {
  const typed = fileSystemError(err);
  if (typed instanceof CliUsageError)
    return { line: `error: usage error: ${oneLine(typed.message)}`, exitCode: 2 };
  if (isTypedError(typed))
    return { line: `error: ${typed.name}: ${oneLine(typed.message)}`, exitCode: 1 };
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? err.message : String(err);
  const at = thrownAt(err);
  return {
    line: oneLine(
      `error: internal error (a bug, please report it): ${name}: ${message} ` +
        `[while running ${context}${at ? `, at ${at}` : ''}]`,
    ),
    exitCode: 1,
  };
}
