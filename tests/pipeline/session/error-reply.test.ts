/** Errors as they cross to the error panel: typed ones keep type and location, others are wrapped. */
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  MissingFileError,
  ParseError,
  UnexpectedError,
} from '../../../src/pipeline/errors';
import { errorReply, typedError } from '../../../src/pipeline/session/error-reply';

describe('typedError / errorReply', () => {
  it('keeps a typed error and copies its file and location as plain data', () => {
    const err = new ParseError(
      { file: 'scene/cloud.ply', line: 7, column: 3 },
      'expected 3 values',
    );
    expect(typedError(err, 'openFiles', 'scene')).toBe(err);
    const reply = errorReply(err);
    expect(reply).toEqual({
      name: 'ParseError',
      message: err.message,
      kind: 'parse',
      file: 'scene/cloud.ply',
      location: { file: 'scene/cloud.ply', line: 7, column: 3 },
      reason: 'expected 3 values',
    });
    expect(structuredClone(reply)).toEqual(reply);
    expect(errorReply(new MissingFileError('scene/pose.txt'))).toMatchObject({
      kind: 'missing-file',
      file: 'scene/pose.txt',
    });
  });

  it('wraps untyped errors with the stage and file, and host aborts as cancels', () => {
    const wrapped = typedError(new RangeError('Invalid typed array length: -4'), 'query', 'room');
    expect(wrapped).toBeInstanceOf(UnexpectedError);
    expect(wrapped.message).toBe(
      'room: query failed unexpectedly: RangeError: Invalid typed array length: -4',
    );
    expect(errorReply(wrapped)).toMatchObject({
      name: 'UnexpectedError',
      kind: 'unexpected',
      file: 'room',
    });
    expect(typedError('a string', 'extract').message).toBe(
      'extract failed unexpectedly: thrown a string',
    );
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    expect(typedError(abort, 'loadModel')).toBeInstanceOf(CancelledError);
  });

  it('copies only well-formed location fields', () => {
    const odd = Object.assign(new Error('x'), {
      kind: 'parse',
      location: { file: 'f.json', line: '<b>3</b>', byteOffset: NaN },
    });
    expect(errorReply(odd).location).toEqual({ file: 'f.json' });
  });
});
