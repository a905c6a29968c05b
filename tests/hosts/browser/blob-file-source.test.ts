import { describe, expect, it } from 'vitest';
import { MissingFileError } from '../../../src/pipeline/errors';
import { BlobFileSource } from '../../../src/hosts/browser/blob-file-source';

const file = (text: string) => new Blob([new TextEncoder().encode(text)]) as File;

describe('BlobFileSource', () => {
  it('strips the picked folder name and reads whole files and ranges', async () => {
    const source = BlobFileSource.fromDropped([
      { path: 'scan/trajectory.log', file: file('0 0 1') },
      { path: 'scan/color/00000.jpg', file: file('abcdefgh') },
    ]);
    expect(source.name).toBe('scan');
    expect(await source.list()).toEqual(['color/00000.jpg', 'trajectory.log']);
    expect(await source.size('color/00000.jpg')).toBe(8);
    expect(new TextDecoder().decode(await source.readRange('color/00000.jpg', 2, 3))).toBe('cde');
    expect(new TextDecoder().decode(await source.readRange('color/00000.jpg', 6, 10))).toBe('gh');
    expect((await source.readRange('color/00000.jpg', 50, 10)).length).toBe(0);
    expect(new TextDecoder().decode(await source.read('trajectory.log'))).toBe('0 0 1');
    expect(await source.exists('trajectory.log')).toBe(true);
    expect(await source.exists('missing.txt')).toBe(false);
  });

  it('keeps paths as they are when the files share no folder', async () => {
    const source = BlobFileSource.fromDropped([
      { path: 'a.ply', file: file('x') },
      { path: 'b/c.ply', file: file('y') },
    ]);
    expect(await source.list()).toEqual(['a.ply', 'b/c.ply']);
  });

  it('throws MissingFileError naming the file', async () => {
    const source = BlobFileSource.fromDropped([{ path: 'one.ply', file: file('x') }]);
    await expect(source.read('two.ply')).rejects.toBeInstanceOf(MissingFileError);
    await expect(source.read('two.ply')).rejects.toThrow(/two\.ply/);
  });
});
