/**
 * A tiny WebAssembly binary encoder: just enough of the format (LEB128 integers, the type,
 * import, function, export and code sections, and the core + SIMD opcodes the scoring kernels
 * use) to hand-assemble one module in pure TypeScript, with no toolchain at build or run time.
 * Reference: the WebAssembly core specification, "Binary Format", and the SIMD proposal's
 * opcode table (all SIMD instructions are 0xFD followed by a LEB128 opcode).
 */

export const ValType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Core opcodes used here. */
export const Op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
} as const;

/** SIMD opcodes (after the 0xFD prefix) used here. */
export const SimdOp = {
  v128Load: 0x00,
  i16x8Load8x8S: 0x01,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  f32x4Splat: 0x13,
  i16x8ExtendLowI8x16S: 0x87,
  i16x8ExtendHighI8x16S: 0x88,
  i32x4ExtendLowI16x8S: 0xa7,
  i32x4ExtendHighI16x8S: 0xa8,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4ConvertI32x4S: 0xfa,
} as const;

const SIMD_PREFIX = 0xfd;
const BLOCK_EMPTY = 0x40;

export function unsignedLeb128(value: number, out: number[] = []): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new RangeError(`unsignedLeb128: ${value} is not a u32`);
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function signedLeb128(value: number, out: number[] = []): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff)
    throw new RangeError(`signedLeb128: ${value} is not an i32`);
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function utf8Name(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...unsignedLeb128(bytes.length), ...bytes];
}

/** Emits one function body's instructions. Labels are relative depths, as in the format. */
export class CodeWriter {
  readonly bytes: number[] = [];

  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  private simd(op: number, ...imm: number[]): this {
    this.bytes.push(SIMD_PREFIX, ...unsignedLeb128(op), ...imm);
    return this;
  }
  private memarg(offset: number): number[] {
    // Alignment hint 0 (byte): always valid; unaligned SIMD access is allowed and fast.
    return [0, ...unsignedLeb128(offset)];
  }

  block(): this {
    return this.op(Op.block, BLOCK_EMPTY);
  }
  loop(): this {
    return this.op(Op.loop, BLOCK_EMPTY);
  }
  end(): this {
    return this.op(Op.end);
  }
  br(depth: number): this {
    return this.op(Op.br, ...unsignedLeb128(depth));
  }
  brIf(depth: number): this {
    return this.op(Op.brIf, ...unsignedLeb128(depth));
  }
  get(local: number): this {
    return this.op(Op.localGet, ...unsignedLeb128(local));
  }
  set(local: number): this {
    return this.op(Op.localSet, ...unsignedLeb128(local));
  }
  tee(local: number): this {
    return this.op(Op.localTee, ...unsignedLeb128(local));
  }
  i32Const(v: number): this {
    return this.op(Op.i32Const, ...signedLeb128(v));
  }
  /** Pops a, b (b on top) and pushes the result; `Op.i32Add` etc. */
  i32(op: number): this {
    return this.op(op);
  }
  f32Load(offset = 0): this {
    return this.op(Op.f32Load, 2, ...unsignedLeb128(offset));
  }
  v128Load(offset = 0): this {
    return this.simd(SimdOp.v128Load, ...this.memarg(offset));
  }
  /** Loads 8 bytes and sign-extends each to i16 (i16x8.load8x8_s). */
  load8x8S(offset = 0): this {
    return this.simd(SimdOp.i16x8Load8x8S, ...this.memarg(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(SimdOp.v128Store, ...this.memarg(offset));
  }
  v128Zero(): this {
    return this.simd(SimdOp.v128Const, ...new Array<number>(16).fill(0));
  }
  /** i8x16.shuffle of the two v128 on the stack with i32-lane indices (0–3: first, 4–7: second). */
  shuffleI32(lanes: readonly [number, number, number, number]): this {
    const bytes: number[] = [];
    for (const l of lanes) {
      if (!(l >= 0 && l < 8)) throw new RangeError(`shuffleI32: lane ${l}`);
      bytes.push(4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3);
    }
    return this.simd(SimdOp.i8x16Shuffle, ...bytes);
  }
  /** A SIMD instruction without immediates (`SimdOp.i32x4Add` etc.). */
  v(op: number): this {
    return this.simd(op);
  }
}

export interface FunctionSpec {
  name: string;
  params: ValType[];
  /** Extra locals, in order after the params. */
  locals: ValType[];
  body: CodeWriter;
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb128(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

/**
 * A module importing one memory (`env.memory`, at least `minPages` pages) and exporting the
 * given functions, none of which returns a value.
 */
export function encodeModule(functions: FunctionSpec[], minPages = 1): Uint8Array<ArrayBuffer> {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = functions.map((f) => [0x60, ...unsignedLeb128(f.params.length), ...f.params, 0]);
  const imports = [
    [...utf8Name('env'), ...utf8Name('memory'), 0x02, 0x00, ...unsignedLeb128(minPages)],
  ];
  const funcs = functions.map((_, i) => unsignedLeb128(i));
  const exports = functions.map((f, i) => [...utf8Name(f.name), 0x00, ...unsignedLeb128(i)]);
  const codes = functions.map((f) => {
    // Run-length groups of equal local types.
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [
      ...vector(groups.map(([n, t]) => [...unsignedLeb128(n), t])),
      ...f.body.bytes,
      Op.end,
    ];
    return [...unsignedLeb128(body.length), ...body];
  });
  return new Uint8Array([
    ...header,
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(funcs)),
    ...section(7, vector(exports)),
    ...section(10, vector(codes)),
  ]);
}
