/**
 * Typed errors shared by every stage. They are plain Errors with a `kind` so they survive
 * structured cloning across the worker boundary (comlink re-throws name + message) and can be
 * rendered by the CLI as one line and by the viewer's error panel as text.
 */

/** Where in a file something went wrong: a byte offset for binary formats, a line for text. */
export interface FileLocation {
  file: string;
  byteOffset?: number;
  line?: number;
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

/** The work would exceed the memory budget and no documented downsampling applies. */
export class BudgetError extends Error {
  override name = 'BudgetError';
  readonly kind = 'budget';
  constructor(message: string) {
    super(message);
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
  if (loc.line !== undefined) return `${loc.file} line ${loc.line}`;
  return loc.file;
}

/** Throws CancelledError if the signal has fired. Call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
