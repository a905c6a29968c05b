import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../../../src/pipeline/clip/onnx/protobuf-writer';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// Expected bytes are worked out by hand from the protobuf encoding guide
// (https://protobuf.dev/programming-guides/encoding/).
describe('ProtoWriter', () => {
  it('writes varints as in the encoding guide (field 1 = 150 → 08 96 01)', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().int(1, 0).finish())).toBe('0800');
    expect(hex(new ProtoWriter().int(2, 300).finish())).toBe('10ac02');
  });

  it('writes negative int64 as ten bytes of two’s complement', () => {
    expect(hex(new ProtoWriter().int(1, -1).finish())).toBe('08ffffffffffffffffff01');
    expect(hex(new ProtoWriter().int(1, -2n).finish())).toBe('08feffffffffffffffff01');
  });

  it('writes large field numbers with multi-byte tags (field 20, varint → a0 01)', () => {
    expect(hex(new ProtoWriter().int(20, 7).finish())).toBe('a00107');
  });

  it('writes strings, bytes and embedded messages length-delimited', () => {
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().message(3, (w) => w.int(1, 150)).finish())).toBe('1a03089601');
    expect(hex(new ProtoWriter().bytes(4, new Uint8Array(0)).finish())).toBe('2200');
  });

  it('writes floats little-endian fixed32 and packed repeated ints/floats', () => {
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
    expect(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
    expect(hex(new ProtoWriter().packedFloats(7, [1, -2]).finish())).toBe('3a080000803f000000c0');
  });

  it('grows past its initial buffer without losing bytes', () => {
    const payload = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    const out = new ProtoWriter().int(1, 1).bytes(2, payload).finish();
    expect(out.length).toBe(2 + 1 + 2 + 5000);
    expect(out.subarray(5)).toEqual(payload);
  });

  it('refuses non-integer varints', () => {
    expect(() => new ProtoWriter().int(1, 1.5)).toThrow(RangeError);
  });
});
