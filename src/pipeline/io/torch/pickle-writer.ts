/**
 * Pickles a PyValue the way torch.save does (protocol 2): tensors as
 * torch._utils._rebuild_tensor_v2 over a persistent-id storage, dicts, lists, tuples, numbers,
 * strings, bools and None — only what torch.load(weights_only=True) accepts. JS numbers that are
 * integers are written as Python ints, others as floats.
 */
import { UnsupportedError } from '../../errors';
import {
  TORCH_DTYPES,
  dataMatchesDtype,
  elementCount,
  type PyKey,
  type PyValue,
  type TorchTensor,
} from './tensor';

/** Storages referenced by the pickle, in key order ('0', '1', ...). */
export interface PickledStorages {
  pickle: Uint8Array;
  storages: TorchTensor[];
}

class ByteSink {
  private buf = new Uint8Array(256);
  length = 0;
  private grow(n: number) {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(...bs: number[]) {
    this.grow(bs.length);
    for (const b of bs) this.buf[this.length++] = b;
  }
  bytes(b: Uint8Array) {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  u32(v: number) {
    this.byte(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  ascii(s: string) {
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const MARK = 0x28;

export function pickleTorch(root: PyValue): PickledStorages {
  const out = new ByteSink();
  const storages: TorchTensor[] = [];
  const utf8 = new TextEncoder();
  const global = (mod: string, name: string) => {
    out.byte(0x63);
    out.ascii(`${mod}\n${name}\n`);
  };
  const str = (s: string) => {
    const b = utf8.encode(s);
    out.byte(0x58);
    out.u32(b.length);
    out.bytes(b);
  };
  const bigint = (v: bigint) => {
    const bytes: number[] = [];
    let x = v;
    // two's complement, little-endian, shortest that keeps the sign
    for (;;) {
      const b = Number(x & 0xffn);
      bytes.push(b);
      x >>= 8n;
      if ((x === 0n && !(b & 0x80)) || (x === -1n && b & 0x80)) break;
    }
    out.byte(0x8a, bytes.length, ...bytes);
  };
  const num = (v: number) => {
    if (Number.isInteger(v) && Number.isSafeInteger(v)) {
      if (v >= 0 && v < 256) out.byte(0x4b, v);
      else if (v >= 0 && v < 65536) out.byte(0x4d, v & 0xff, v >> 8);
      else if (v >= -(2 ** 31) && v < 2 ** 31) {
        out.byte(0x4a);
        out.u32(v >>> 0);
      } else bigint(BigInt(v));
      return;
    }
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false);
    out.byte(0x47);
    out.bytes(b);
  };
  const intTuple = (xs: number[]) => {
    out.byte(MARK);
    for (const x of xs) num(x);
    out.byte(0x74);
  };
  const tensorValue = (t: TorchTensor) => {
    const info = TORCH_DTYPES[t.dtype];
    if (!info) throw new UnsupportedError(`tensor dtype ${String(t.dtype)} cannot be written`);
    const count = elementCount(t.shape);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || count !== t.data.length) {
      throw new UnsupportedError(
        `tensor shape [${t.shape.join(', ')}] does not match its ${t.data.length} elements`,
      );
    }
    if (!dataMatchesDtype(t.data, t.dtype))
      throw new UnsupportedError(`tensor data is not a ${t.dtype} array`);
    const key = String(storages.length);
    storages.push(t);
    const stride: number[] = new Array<number>(t.shape.length);
    let s = 1;
    for (let d = t.shape.length - 1; d >= 0; d--) {
      stride[d] = s;
      s *= t.shape[d];
    }
    global('torch._utils', '_rebuild_tensor_v2');
    out.byte(MARK);
    // persistent id ('storage', torch.XStorage, key, 'cpu', numel)
    out.byte(MARK);
    str('storage');
    global('torch', info.storage);
    str(key);
    str('cpu');
    num(count);
    out.byte(0x74, 0x51);
    num(0);
    intTuple(t.shape);
    intTuple(stride);
    out.byte(0x89); // requires_grad False
    global('collections', 'OrderedDict');
    out.byte(0x29, 0x52); // OrderedDict() backward hooks
    out.byte(0x74, 0x52);
  };
  const key = (k: PyKey) => value(k);
  const depth = { n: 0 };
  const value = (v: PyValue) => {
    if (++depth.n > 1000) throw new UnsupportedError('value nested more than 1000 deep');
    if (v === null) out.byte(0x4e);
    else if (v === true) out.byte(0x88);
    else if (v === false) out.byte(0x89);
    else if (typeof v === 'number') num(v);
    else if (typeof v === 'bigint') bigint(v);
    else if (typeof v === 'string') str(v);
    else if (Array.isArray(v)) {
      out.byte(0x5d);
      if (v.length > 0) {
        out.byte(MARK);
        for (const x of v) value(x);
        out.byte(0x65);
      }
    } else if (v.kind === 'tuple') {
      out.byte(MARK);
      for (const x of v.items) value(x);
      out.byte(0x74);
    } else if (v.kind === 'dict') {
      out.byte(0x7d);
      if (v.entries.size > 0) {
        out.byte(MARK);
        for (const [k, x] of v.entries) {
          key(k);
          value(x);
        }
        out.byte(0x75);
      }
    } else if (v.kind === 'tensor') tensorValue(v);
    else throw new UnsupportedError('value cannot be pickled');
    depth.n--;
  };
  out.byte(0x80, 2);
  value(root);
  out.byte(0x2e);
  return { pickle: out.result(), storages };
}
