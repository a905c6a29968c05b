/**
 * How errors cross the worker boundary. Comlink's own handler keeps only name, message and stack;
 * this one (installed on both sides) keeps our typed errors' kind, file and location as plain
 * data, and wraps anything untyped as an UnexpectedError first, so the error panel can always
 * show a typed message with its file.
 */
import * as Comlink from 'comlink';
import { errorReply, typedError, type ErrorReply } from '../src/pipeline/session/error-reply';

type Thrown = { value: unknown };
type Wire =
  { isError: true; value: ErrorReply & { stack?: string } } | { isError: false; value: unknown };

/** An Error on this side of the boundary carrying the reply's fields. */
export function errorFromReply(reply: ErrorReply & { stack?: string }): Error & ErrorReply {
  const err = new Error(reply.message) as Error & ErrorReply;
  return Object.assign(err, reply);
}

// Comlink marks thrown values with a symbol it does not export: its own handler recognises them.
const builtIn = Comlink.transferHandlers.get('throw')!;

const throwHandler: Comlink.TransferHandler<Thrown, Wire> = {
  canHandle: (value): value is Thrown => builtIn.canHandle(value),
  serialize({ value }) {
    const typed = typedError(value, 'worker call');
    return [{ isError: true, value: { ...errorReply(typed), stack: typed.stack } }, []];
  },
  deserialize(wire) {
    throw wire.isError ? errorFromReply(wire.value) : wire.value;
  },
};

/** Installs the handler in this realm (the page and the worker each call it once). */
export function installErrorTransfer(): void {
  Comlink.transferHandlers.set('throw', throwHandler as Comlink.TransferHandler<unknown, unknown>);
}
