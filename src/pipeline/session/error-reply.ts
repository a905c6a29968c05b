/**
 * Errors as they cross to a host that shows them (the worker boundary, the error panel): our
 * typed errors keep their type, file and location as plain data; anything else is wrapped in an
 * UnexpectedError that says what was being done and on which file.
 */
import { CancelledError, UnexpectedError, type FileLocation } from '../errors';

/** A typed error as plain data (structured-clonable): what the viewer's error panel shows. */
export interface ErrorReply {
  name: string;
  message: string;
  kind: string;
  /** The file it is about (a parse error's location.file, a missing or model file). */
  file?: string;
  location?: FileLocation;
  /** The reason without the location prefix, when the error has one. */
  reason?: string;
}

type Typed = Error & { kind: string };

const isTyped = (err: unknown): err is Typed =>
  err instanceof Error && typeof (err as Partial<Typed>).kind === 'string';

/** `err` itself when it is one of ours; an UnexpectedError naming the stage and file if not. */
export function typedError(err: unknown, stage: string, file?: string): Typed {
  if (isTyped(err)) return err;
  // A host's abort (fetch, streams) is a cancel like ours.
  if (err instanceof Error && err.name === 'AbortError') return new CancelledError();
  const reason =
    err instanceof Error ? `${err.name || 'Error'}: ${err.message}` : `thrown ${String(err)}`;
  return new UnexpectedError(stage, reason.slice(0, 500), file);
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The plain-data form of a typed error (copies only known fields, as strings and numbers). */
export function errorReply(err: Typed): ErrorReply {
  const e = err as Typed & Record<string, unknown>;
  const loc = e.location as Partial<FileLocation> | undefined;
  const location: FileLocation | undefined =
    loc && typeof loc.file === 'string'
      ? {
          file: loc.file,
          ...(count(loc.byteOffset) !== undefined ? { byteOffset: count(loc.byteOffset) } : {}),
          ...(count(loc.line) !== undefined ? { line: count(loc.line) } : {}),
          ...(count(loc.column) !== undefined ? { column: count(loc.column) } : {}),
        }
      : undefined;
  const file = location?.file ?? text(e.file) ?? text(e.path);
  return {
    name: String(err.name),
    message: String(err.message),
    kind: err.kind,
    ...(file !== undefined ? { file } : {}),
    ...(location ? { location } : {}),
    ...(text(e.reason) !== undefined ? { reason: text(e.reason) } : {}),
  };
}
