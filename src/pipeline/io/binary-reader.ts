/**
 * A bounds-checked cursor over bytes. Every read that would run past the end throws a ParseError
 * naming the file and the absolute byte offset, so binary readers never see RangeErrors or
 * silently read garbage.
 */
import { ParseError } from '../errors';

export class BinaryReader {
  private readonly view: DataView;
  /** Cursor position inside `bytes`. */
  offset = 0;

  /**
   * @param bytes the chunk to read
   * @param file file name for error messages
   * @param baseOffset absolute file offset of bytes[0] (chunks read with readRange)
   * @param littleEndian byte order of multi-byte values
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    readonly baseOffset = 0,
    readonly littleEndian = true,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  get remaining(): number {
    return this.bytes.byteLength - this.offset;
  }

  /** Absolute file offset of the cursor. */
  get fileOffset(): number {
    return this.baseOffset + this.offset;
  }

  /** A ParseError at the cursor (or at `relativeOffset` inside this chunk). */
  error(reason: string, relativeOffset = this.offset): ParseError {
    return new ParseError(
      { file: this.file, byteOffset: this.baseOffset + relativeOffset },
      reason,
    );
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what = 'value'): void {
    if (!(n >= 0) || this.offset + n > this.bytes.byteLength) {
      throw this.error(
        `unexpected end of data reading ${what} (${n} bytes needed, ${this.remaining} left)`,
      );
    }
  }

  skip(n: number, what = 'data'): void {
    this.need(n, what);
    this.offset += n;
  }

  seek(relativeOffset: number): void {
    if (relativeOffset < 0 || relativeOffset > this.bytes.byteLength) {
      throw this.error(`seek out of range (${relativeOffset})`);
    }
    this.offset = relativeOffset;
  }

  u8(what = 'uint8'): number {
    this.need(1, what);
    return this.view.getUint8(this.offset++);
  }

  i8(what = 'int8'): number {
    this.need(1, what);
    return this.view.getInt8(this.offset++);
  }

  u16(what = 'uint16'): number {
    this.need(2, what);
    const v = this.view.getUint16(this.offset, this.littleEndian);
    this.offset += 2;
    return v;
  }

  i16(what = 'int16'): number {
    this.need(2, what);
    const v = this.view.getInt16(this.offset, this.littleEndian);
    this.offset += 2;
    return v;
  }

  u32(what = 'uint32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.offset, this.littleEndian);
    this.offset += 4;
    return v;
  }

  i32(what = 'int32'): number {
    this.need(4, what);
    const v = this.view.getInt32(this.offset, this.littleEndian);
    this.offset += 4;
    return v;
  }

  /** A uint64 as a number; throws if it exceeds 2^53 (no real count or size does). */
  u64(what = 'uint64'): number {
    this.need(8, what);
    const start = this.offset;
    const v = this.view.getBigUint64(this.offset, this.littleEndian);
    this.offset += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw this.error(`${what} is absurdly large (${v})`, start);
    }
    return Number(v);
  }

  f32(what = 'float32'): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.offset, this.littleEndian);
    this.offset += 4;
    return v;
  }

  f64(what = 'float64'): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.offset, this.littleEndian);
    this.offset += 8;
    return v;
  }

  /** `n` float32 values into a Float64Array (matrices). */
  f32Array(n: number, what = 'float32 array'): Float64Array {
    this.need(n * 4, what);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.view.getFloat32(this.offset, this.littleEndian);
      this.offset += 4;
    }
    return out;
  }

  /** A view (no copy) of the next `n` bytes. */
  bytesView(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** `n` bytes as UTF-8 text. */
  string(n: number, what = 'string'): string {
    return new TextDecoder('utf-8').decode(this.bytesView(n, what));
  }
}

/** A growable little-endian byte writer (for our own writers: PLY, .sens, bundle files). */
export class BinaryWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.byteLength) return;
    let cap = this.buf.byteLength * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
    return this;
  }
  i8(v: number): this {
    this.ensure(1);
    this.view.setInt8(this.length, v);
    this.length += 1;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  i16(v: number): this {
    this.ensure(2);
    this.view.setInt16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
    return this;
  }
  i32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
    return this;
  }
  u64(v: number | bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
    return this;
  }
  f32(v: number): this {
    this.ensure(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
    return this;
  }
  f64(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.byteLength);
    this.buf.set(b, this.length);
    this.length += b.byteLength;
    return this;
  }
  ascii(s: string): this {
    return this.bytes(new TextEncoder().encode(s));
  }

  /** The bytes written so far (a copy trimmed to length). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
