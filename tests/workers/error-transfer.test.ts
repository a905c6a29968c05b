/**
 * The worker boundary's error handler, over a real MessageChannel with comlink: a typed error
 * arrives with its kind, file and location; an untyped one arrives as an UnexpectedError.
 */
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../src/pipeline/errors';
import { installErrorTransfer } from '../../workers/error-transfer';

describe('error transfer', () => {
  const previous = Comlink.transferHandlers.get('throw')!;
  installErrorTransfer();
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(
    {
      parse: () => {
        throw new ParseError({ file: 'room/pose.txt', line: 4 }, 'expected 16 numbers');
      },
      crash: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'id')");
      },
    },
    port1 as unknown as Comlink.Endpoint,
  );
  const remote = Comlink.wrap<{ parse(): void; crash(): void }>(
    port2 as unknown as Comlink.Endpoint,
  );
  afterAll(() => {
    port1.close();
    port2.close();
    Comlink.transferHandlers.set('throw', previous);
  });

  it('keeps a typed error’s kind, file and location', async () => {
    const err = (await remote.parse().catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect(err).toBeInstanceOf(Error);
    expect({ name: err.name, kind: err.kind, file: err.file, location: err.location }).toEqual({
      name: 'ParseError',
      kind: 'parse',
      file: 'room/pose.txt',
      location: { file: 'room/pose.txt', line: 4 },
    });
    expect(err.message).toBe('room/pose.txt line 4: expected 16 numbers');
  });

  it('wraps an untyped error', async () => {
    const err = (await remote.crash().catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect(err.name).toBe('UnexpectedError');
    expect(err.kind).toBe('unexpected');
    expect(err.message).toMatch(/TypeError: Cannot read properties of undefined/);
  });
});
