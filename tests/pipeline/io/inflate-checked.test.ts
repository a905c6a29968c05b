import { describe, expect, it } from 'vitest';
import { zlibSync } from 'fflate';
import { adler32, crc32 } from '../../../src/pipeline/io/checksums';
import { inflateZlibExact } from '../../../src/pipeline/io/inflate-checked';
import { BudgetError, ParseError } from '../../../src/pipeline/errors';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('checksums and checked zlib', () => {
  it('computes the standard check values', () => {
    // CRC-32/ISO-HDLC check value and the Adler-32 example from RFC 1950's Wikipedia page.
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(adler32(ascii('Wikipedia'))).toBe(0x11e60398);
    // Long input: the modulo is taken in blocks; compare with a naive per-byte version.
    const big = new Uint8Array(100_000).map((_, i) => (i * 31) & 255);
    let a = 1;
    let b = 0;
    for (const v of big) {
      a = (a + v) % 65521;
      b = (b + a) % 65521;
    }
    expect(adler32(big)).toBe(((b << 16) | a) >>> 0);
  });

  it('inflates exact streams and refuses wrong sizes, bad checksums and impossible ratios', () => {
    const data = new Uint8Array(5000).map((_, i) => (i * 7) & 255);
    const z = zlibSync(data);
    expect(inflateZlibExact(z, 5000, { file: 'f' }, 'x')).toEqual(data);
    expect(() => inflateZlibExact(z, 4999, { file: 'f' }, 'x')).toThrow(/more than 4999/);
    expect(() => inflateZlibExact(z, 5001, { file: 'f' }, 'x')).toThrow(/has 5000 bytes/);
    const bad = z.slice();
    bad[bad.length - 1] ^= 1;
    const err = (() => {
      try {
        inflateZlibExact(bad, 5000, { file: 'f', byteOffset: 100 }, 'depth');
      } catch (e) {
        return e as ParseError;
      }
    })();
    expect(err).toBeInstanceOf(ParseError);
    expect(err!.location.byteOffset).toBe(100 + bad.length - 4);
    expect(err!.reason).toMatch(/Adler-32/);
    const badHeader = z.slice();
    badHeader[1] ^= 1;
    expect(() => inflateZlibExact(badHeader, 5000, { file: 'f' }, 'x')).toThrow(/bad header/);
    // 30000² int32 from 100 bytes: refused before allocating.
    expect(() =>
      inflateZlibExact(z.subarray(0, 100), 30000 * 30000 * 4, { file: 'f' }, 'x'),
    ).toThrow(ParseError);
    // Plausible for the ratio (1.1 MB of incompressible bytes) but above the 1 GiB budget.
    let seed = 1;
    const noise = new Uint8Array(1_100_000).map(
      () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24,
    );
    const z2 = zlibSync(noise, { level: 0 });
    expect(() => inflateZlibExact(z2, 1_100_000_000, { file: 'f' }, 'x')).toThrow(BudgetError);
  });
});
