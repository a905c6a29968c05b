/** The one line a failed command prints: typed errors as they are, raw ones typed or marked as bugs. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../../src/cli/args';
import { reportError } from '../../src/cli/error-line';
import { OrtRuntimeError, ParseError } from '../../src/pipeline/errors';

describe('reportError', () => {
  it('prints typed errors by name with exit 1, usage errors with exit 2', () => {
    expect(reportError(new ParseError({ file: 'a.ply', byteOffset: 12 }, 'bad'), "'info'")).toEqual(
      {
        line: 'error: ParseError: a.ply at byte 12: bad',
        exitCode: 1,
      },
    );
    const ort = new OrtRuntimeError('m/text_model.onnx', 'run', 'wasm', 'failed to call OrtRun()');
    expect(reportError(ort, "'query'").line).toBe(
      'error: OrtRuntimeError: m/text_model.onnx: inference failed on the wasm onnxruntime: failed to call OrtRun()',
    );
    expect(reportError(new CliUsageError('--x expects y'), "'info'")).toEqual({
      line: 'error: usage error: --x expects y',
      exitCode: 2,
    });
  });

  it('turns a raw file-system error into a FileSystemError naming the path', async () => {
    const missing = path.join(os.tmpdir(), 'error-line-no-such', 'x');
    const raw = await fs.mkdir(missing).catch((e) => e);
    expect(raw.code).toBe('ENOENT');
    const { line, exitCode } = reportError(raw, "'extract'");
    expect(line).toBe(
      `error: FileSystemError: ${missing}: could not mkdir (ENOENT): no such file or folder`,
    );
    expect(exitCode).toBe(1);
  });

  it('reports an untyped error as a bug, in one line, with the command and its files', () => {
    let err: unknown;
    try {
      new Float32Array(-1);
    } catch (e) {
      err = e;
    }
    const { line, exitCode } = reportError(err, "'query' 'B' 'chair'");
    expect(exitCode).toBe(1);
    expect(line).toMatch(
      /^error: internal error \(a bug, please report it\): RangeError: .*\[while running 'query' 'B' 'chair'/,
    );
    expect(line.split('\n')).toHaveLength(1);
    // Not an Error at all (a thrown string) is still one line.
    expect(reportError('boom\n\u001b[31m', "'info'").line).toMatch(
      /^error: internal error .*: string: boom/,
    );
  });
});
