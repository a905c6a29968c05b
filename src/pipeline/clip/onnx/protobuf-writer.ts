/**
 * A minimal protocol-buffers wire-format writer: exactly what the ONNX messages we generate need
 * (varints, 64-bit ints, 32-bit floats, length-delimited bytes/strings/sub-messages, packed
 * repeated ints). Output is deterministic: fields are written in the order the caller gives.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buffer[this.length++] = b;
  }

  /** Unsigned varint; negative int64 values are written as their 10-byte two's complement. */
  private rawVarint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint((field << 3) | wireType);
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, value: number | bigint): this {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new RangeError(`protobuf field ${field}: ${value} is not an integer`);
    }
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  /** float (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.ensure(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message, written by `write` into a fresh writer. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /** Packed repeated int64 (proto3 default for repeated scalars). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(v);
    return this.bytes(field, inner.finish());
  }

  /** Packed repeated float. */
  packedFloats(field: number, values: readonly number[]): this {
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, data);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
