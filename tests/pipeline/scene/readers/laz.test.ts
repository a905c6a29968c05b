/**
 * LAZ through laz-perf (the Node host's wasm build): real LASzip-compressed files decode to
 * exactly the point records of the uncompressed LAS files they were made from (laz-perf's own
 * test data, tests/fixtures/laz), and open as the same scene as those LAS files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installNodePlatform } from '../../../../src/hosts/node/platform';
import { UnsupportedError } from '../../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { installPlatform } from '../../../../src/pipeline/platform';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { parseLasHeader } from '../../../../src/pipeline/scene/readers/las';
import { decompressLaz, isLazCompressed } from '../../../../src/pipeline/scene/readers/laz';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(path.join(import.meta.dirname, '../../../fixtures/laz', name)));

/** The point records of an uncompressed LAS file, straight from its header's fields. */
function records(las: Uint8Array): Uint8Array {
  const h = parseLasHeader(las, 'x.las');
  return las.subarray(h.pointOffset, h.pointOffset + h.pointCount * h.recordLength);
}

afterEach(() => {
  installNodePlatform();
});

describe('LAZ through laz-perf', () => {
  for (const [name, format] of [
    ['point-color', 2],
    ['point-time', 1],
  ] as const) {
    it(`${name}.las.laz decodes to ${name}.las's records and opens as the same scene`, async () => {
      const laz = fixture(`${name}.las.laz`);
      const las = fixture(`${name}.las`);
      expect(isLazCompressed(laz)).toBe(true);
      expect(isLazCompressed(las)).toBe(false);

      const decoded = await decompressLaz(laz, `${name}.las.laz`);
      const header = parseLasHeader(decoded, 'decoded');
      expect(header.pointFormat).toBe(format);
      expect(header.pointCount).toBe(1065);
      expect(Buffer.from(records(decoded)).equals(Buffer.from(records(las)))).toBe(true);

      const fromLaz = await openScene(new MemoryFileSource({ [`${name}.laz`]: laz }, 'a'));
      const fromLas = await openScene(new MemoryFileSource({ [`${name}.las`]: las }, 'b'));
      expect(fromLaz.format).toBe('las');
      expect(fromLaz.name).toBe(name);
      const a = fromLaz.cloud!;
      const b = fromLas.cloud!;
      expect(a.positions.length).toBe(1065 * 3);
      expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
      expect(Array.from(a.colors)).toEqual(Array.from(b.colors));
      expect(Array.from(a.semanticIds!)).toEqual(Array.from(b.semanticIds!));
      expect(fromLaz.warnings).toEqual(fromLas.warnings.map((w) => w.replace('.las', '.laz')));
    });
  }

  it('corrupt LAZ gives typed errors, and a good file still decodes after them', async () => {
    const good = fixture('point-color.las.laz');
    const seen = new Set<string>();
    // Flipped bits in the compressed points (the header and VLRs intact): some fault the wasm.
    let rng = 7;
    for (let k = 0; k < 40; k++) {
      const bad = good.slice();
      for (let j = 0; j < 30; j++) {
        rng = (rng * 1103515245 + 12345) % 2 ** 31;
        bad[600 + (rng % (bad.length - 600))] ^= 1 << (rng % 8);
      }
      await decompressLaz(bad, 'bad.laz').then(
        () => seen.add('decoded'),
        (err: unknown) => seen.add((err as Error).name),
      );
    }
    const truncated = await decompressLaz(good.subarray(0, 5000), 'cut.laz').catch((e) => e);
    expect((truncated as Error).name).toBe('ParseError');
    expect([...seen].filter((n) => n !== 'decoded')).toEqual(['ParseError']);
    const again = await decompressLaz(good, 'good.laz');
    expect(
      Buffer.from(records(again)).equals(Buffer.from(records(fixture('point-color.las')))),
    ).toBe(true);
  });

  it('a host without a LAZ decoder refuses LAZ with advice', async () => {
    installPlatform({ name: 'bare' });
    const source = new MemoryFileSource({ 'c.laz': fixture('point-color.las.laz') }, 'c');
    const err = await openScene(source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as Error).message).toMatch(/c\.laz: this host has no LAZ decoder; .*laszip/);
  });
});
