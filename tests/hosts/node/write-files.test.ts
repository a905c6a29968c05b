/** writeFiles: an output folder appears whole or not at all, and never replaces what must be kept. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFiles, type WriteFileOps } from '../../../src/hosts/node/write-files';
import { FileSystemError, OutputExistsError } from '../../../src/pipeline/errors';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'write-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);
const bundle = (tag: string) =>
  new Map([
    ['meta.json', bytes(`{"tag":"${tag}"}`)],
    ['features.npy', bytes(`features of ${tag}`.repeat(100))],
    ['sub/field.bin', bytes(tag)],
  ]);
const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
/** Hidden temporary siblings left next to `dir`. */
const leftovers = (dir: string) =>
  readdirSync(path.dirname(dir)).filter((n) => n.startsWith(`.${path.basename(dir)}.`));

/** Node's fs, but writing `failOn` stops halfway with `code` (a full disk, a read-only folder). */
function failingFs(failOn: string, code: string): WriteFileOps {
  return {
    mkdir: (p, o) => fs.mkdir(p, o),
    rename: (a, b) => fs.rename(a, b),
    rm: (p, o) => fs.rm(p, o),
    lstat: (p) => fs.lstat(p),
    readdir: (p) => fs.readdir(p),
    async writeFile(p, data) {
      if (path.basename(p) !== failOn) return fs.writeFile(p, data);
      // A truncated file first, as a real full disk leaves it.
      await fs.writeFile(p, data.subarray(0, data.length >> 1));
      throw Object.assign(new Error(`${code}: simulated, write '${p}'`), {
        code,
        syscall: 'write',
        path: p,
      });
    },
  };
}

describe('writeFiles', () => {
  it('writes every file, in sub-folders, and leaves no temporary folder', async () => {
    const out = path.join(tmp, 'fresh');
    const written = await writeFiles(out, bundle('a'));
    expect(written).toEqual(['meta.json', 'features.npy', 'sub/field.bin']);
    expect(read(out, 'meta.json')).toBe('{"tag":"a"}');
    expect(read(out, 'sub/field.bin')).toBe('a');
    expect(leftovers(out)).toEqual([]);
  });

  it('refuses an existing output without force, and replaces it whole with force', async () => {
    const out = path.join(tmp, 'existing');
    await writeFiles(out, bundle('old'));
    writeFileSync(path.join(out, 'extra.txt'), 'from the old output');
    const err = await writeFiles(out, bundle('new')).catch((e) => e);
    expect(err).toBeInstanceOf(OutputExistsError);
    expect(err.message).toContain(`${out}: already exists; pass --force`);
    expect(read(out, 'meta.json')).toBe('{"tag":"old"}');
    await writeFiles(out, bundle('new'), { force: true });
    expect(read(out, 'meta.json')).toBe('{"tag":"new"}');
    // Replaced, not merged: the old output's other files are gone.
    expect(existsSync(path.join(out, 'extra.txt'))).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });

  it('writes into an existing empty folder (nothing there to lose)', async () => {
    const out = path.join(tmp, 'empty');
    mkdirSync(out);
    await writeFiles(out, bundle('e'));
    expect(read(out, 'meta.json')).toBe('{"tag":"e"}');
  });

  it.each(['ENOSPC', 'EROFS'])(
    'a failed write (%s) leaves the old output intact and no partial files',
    async (code) => {
      const out = path.join(tmp, `fail-${code}`);
      await writeFiles(out, bundle('old'));
      const err = await writeFiles(out, bundle('new'), {
        force: true,
        fs: failingFs('features.npy', code),
      }).catch((e) => e);
      expect(err).toBeInstanceOf(FileSystemError);
      expect(err.code).toBe(code);
      // Named by the output's path, not the hidden temporary one.
      expect(err.message).toContain(`${path.join(out, 'features.npy')}: could not write (${code})`);
      expect(read(out, 'meta.json')).toBe('{"tag":"old"}');
      expect(read(out, 'features.npy')).toBe('features of old'.repeat(100));
      expect(leftovers(out)).toEqual([]);
    },
  );

  it('a failed first write leaves nothing at all', async () => {
    const out = path.join(tmp, 'never');
    await expect(
      writeFiles(out, bundle('x'), { fs: failingFs('features.npy', 'ENOSPC') }),
    ).rejects.toBeInstanceOf(FileSystemError);
    expect(existsSync(out)).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });

  it('never replaces the input, a folder holding it, or a folder inside it, even with force', async () => {
    const input = path.join(tmp, 'input');
    await writeFiles(input, bundle('in'));
    const inputs = [input];
    for (const out of [input, tmp, path.join(input, 'sub')]) {
      const err = await writeFiles(out, bundle('x'), { force: true, inputs }).catch((e) => e);
      expect(err, out).toBeInstanceOf(OutputExistsError);
    }
    expect(read(input, 'meta.json')).toBe('{"tag":"in"}');
    expect(read(input, 'sub/field.bin')).toBe('in');
    // A new folder inside the input only adds files (batch writes its exports so).
    await writeFiles(path.join(input, 'export'), bundle('x'), { inputs });
    expect(read(input, 'export/meta.json')).toBe('{"tag":"x"}');
    expect(read(input, 'meta.json')).toBe('{"tag":"in"}');
  });

  it('refuses to replace a file, and names the path of a file-system failure', async () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'keep');
    const err = await writeFiles(file, bundle('x'), { force: true }).catch((e) => e);
    expect(err).toBeInstanceOf(OutputExistsError);
    expect(read(tmp, 'a-file')).toBe('keep');
    // Under a file: ENOTDIR from the system, typed and naming the path.
    const under = await writeFiles(path.join(file, 'out'), bundle('x')).catch((e) => e);
    expect(under).toBeInstanceOf(FileSystemError);
    expect(under.code).toBe('ENOTDIR');
    expect(under.message).toContain(file);
  });

  it('refuses a path escaping the folder before writing anything', async () => {
    const out = path.join(tmp, 'escape');
    const files = new Map([
      ['ok.txt', bytes('ok')],
      ['../evil.txt', bytes('x')],
    ]);
    await expect(writeFiles(out, files)).rejects.toThrow(/escapes the folder/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(tmp, 'evil.txt'))).toBe(false);
  });
});
