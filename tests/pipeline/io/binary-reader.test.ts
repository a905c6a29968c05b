import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/pipeline/errors';
import { BinaryReader, BinaryWriter } from '../../../src/pipeline/io/binary-reader';

describe('BinaryReader', () => {
  it('reads little- and big-endian values written by hand', () => {
    const bytes = Uint8Array.from([0x01, 0x02, 0x03, 0x04, 0xff, 0x00, 0x00, 0x80, 0x3f]);
    const le = new BinaryReader(bytes, 'x.bin');
    expect(le.u16()).toBe(0x0201);
    expect(le.u16()).toBe(0x0403);
    expect(le.i8()).toBe(-1);
    expect(le.f32()).toBe(1); // 00 00 80 3f
    const be = new BinaryReader(bytes, 'x.bin', 0, false);
    expect(be.u32()).toBe(0x01020304);
  });

  it('throws ParseError with the absolute byte offset past the end', () => {
    const r = new BinaryReader(new Uint8Array(6), 'chunk.bin', 1000);
    r.u32();
    let err: unknown;
    try {
      r.u32('frame size');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).location).toEqual({ file: 'chunk.bin', byteOffset: 1004 });
    expect((err as ParseError).message).toMatch(/frame size \(4 bytes needed, 2 left\)/);
  });

  it('refuses uint64 values above 2^53 and round-trips the writer', () => {
    const w = new BinaryWriter(4);
    w.u32(7)
      .u64(2 ** 53 - 1)
      .f64(-0.5)
      .i16(-3)
      .u64(2n ** 60n);
    const r = new BinaryReader(w.finish(), 'w.bin');
    expect([r.u32(), r.u64(), r.f64(), r.i16()]).toEqual([7, 2 ** 53 - 1, -0.5, -3]);
    expect(() => r.u64('count')).toThrow(/w\.bin at byte 22: count is absurdly large/);
  });
});
