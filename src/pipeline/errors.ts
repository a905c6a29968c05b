/**
 * Typed errors shared by every stage. They are plain Errors with a `kind` so they survive
 * structured cloning across the worker boundary (comlink re-throws name + message) and can be
 * rendered by the CLI as one line and by the viewer's error panel as text.
 */

/**
 * Where in a file something went wrong: a byte offset for binary formats, a line (and, for JSON,
 * a 1-based column) for text.
 */
export interface FileLocation {
  file: string;
  byteOffset?: number;
  line?: number;
  column?: number;
}

/** A file could not be parsed: truncated, garbled, wrong magic, absurd counts, NaN values. */
export class ParseError extends Error {
  override name = 'ParseError';
  readonly kind = 'parse';
  constructor(
    readonly location: FileLocation,
    readonly reason: string,
  ) {
    super(`${formatLocation(location)}: ${reason}`);
  }
}

/** A file or folder that the reader needs is not there. */
export class MissingFileError extends Error {
  override name = 'MissingFileError';
  readonly kind = 'missing-file';
  constructor(
    readonly file: string,
    readonly reason = 'file not found',
  ) {
    super(`${file}: ${reason}`);
  }
}

/** The input is well-formed but not something we can use (unknown format, mismatched sizes, ...). */
export class UnsupportedError extends Error {
  override name = 'UnsupportedError';
  readonly kind = 'unsupported';
  constructor(message: string) {
    super(message);
  }
}

/** A model folder or ONNX graph does not meet the expected contract. */
export class ModelError extends Error {
  override name = 'ModelError';
  readonly kind = 'model';
  constructor(message: string) {
    super(message);
  }
}

/**
 * onnxruntime failed on a model that passed our checks (the native runtime's errors name
 * neither the file nor what it was doing): which file, at which stage, on which runtime.
 */
export class OrtRuntimeError extends ModelError {
  override name = 'OrtRuntimeError';
  constructor(
    readonly file: string,
    readonly stage: 'create-session' | 'run',
    readonly runtime: 'native' | 'wasm',
    readonly reason: string,
  ) {
    super(
      `${file}: ${stage === 'run' ? 'inference failed' : 'could not create a session'} on the ${runtime} onnxruntime: ${reason}`,
    );
  }
}

/**
 * The work would exceed the memory budget and no documented downsampling applies. With a
 * location (a size read from a file: src/pipeline/budget/), the message starts with it.
 */
export class BudgetError extends Error {
  override name = 'BudgetError';
  readonly kind = 'budget';
  constructor(
    message: string,
    readonly location?: FileLocation,
  ) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
  }
}

/**
 * A file-system operation failed (ENOTDIR, ENOENT, EEXIST, EACCES, ENOSPC, ...): which path,
 * which operation and the system's code, instead of the host's raw message.
 */
export class FileSystemError extends Error {
  override name = 'FileSystemError';
  readonly kind = 'file-system';
  constructor(
    readonly path: string,
    readonly operation: string,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${path}: could not ${operation} (${code}): ${reason}`);
  }
}

/** An output would replace something that must be kept (an existing output without --force, the input). */
export class OutputExistsError extends Error {
  override name = 'OutputExistsError';
  readonly kind = 'output-exists';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/**
 * A failure our checks did not foresee (a TypeError, RangeError, a host's DOMException), wrapped
 * where it would reach a user (the worker boundary) with what was being done and on which file,
 * so nothing untyped reaches the error panel.
 */
export class UnexpectedError extends Error {
  override name = 'UnexpectedError';
  readonly kind = 'unexpected';
  constructor(
    readonly stage: string,
    readonly reason: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}${stage} failed unexpectedly: ${reason}`);
  }
}

/** The user cancelled the work (AbortSignal fired). */
export class CancelledError extends Error {
  override name = 'CancelledError';
  readonly kind = 'cancelled';
  constructor(message = 'cancelled') {
    super(message);
  }
}

export function formatLocation(loc: FileLocation): string {
  if (loc.byteOffset !== undefined) return `${loc.file} at byte ${loc.byteOffset}`;
  if (loc.line !== undefined && loc.column !== undefined)
    return `${loc.file} line ${loc.line} column ${loc.column}`;
  if (loc.line !== undefined) return `${loc.file} line ${loc.line}`;
  return loc.file;
}

/** Throws CancelledError if the signal has fired. Call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
