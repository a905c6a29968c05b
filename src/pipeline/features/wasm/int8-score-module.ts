/**
 * The WebAssembly SIMD module that scores int8 codes against up to MAX_QUERIES_PER_PASS queries
 * in one pass over the codes: out_j[i] = w_i · scale_j · Σ_k code[i,k]·query_j[k].
 *
 * Two kernels per query count nq = 1..5 (exports `i16_<nq>` and `f32_<nq>`):
 * - i16: the query is quantised to int16 (per-query scale); 8 codes at a time are loaded
 *   sign-extended to i16x8 and multiplied-and-pair-added with `i32x4.dot_i16x8_s` into exact
 *   int32 sums; the only error is the query's rounding.
 * - f32: codes are widened to f32x4 and multiplied with the float32 query (f32 accumulation).
 *
 * Both read a point's codes in blocks of 16 bytes from its start, so a block may run past the
 * point's K codes into the next point's (or the slack after the last point): the query is zero
 * there, so those lanes add nothing. Points go in groups of 4: each point's per-query i32x4/f32x4
 * partial sums are parked in a small scratch area, then 4 points are reduced to one vector with
 * shuffles, scaled by the 4 weights and stored at once (the point count is padded to 4).
 *
 * Function parameters (all i32, byte addresses in the imported memory):
 *   codes, K, blocks (= ceil(K/16)), groups (= padded count / 4), weights (f32 ×4·groups),
 *   queries (per block, per query: 16 i16 = 32 B (i16) or 16 f32 = 64 B (f32)),
 *   scales (f32 × nq; i16: 1/quantisation scale, f32: 1), scratch (4·nq·16 B),
 *   out (nq rows of 4·groups f32), outStride (bytes between rows).
 */
import { CodeWriter, encodeModule, Op, SimdOp, ValType, type FunctionSpec } from './wasm-encoder';

export const MAX_QUERIES_PER_PASS = 5;
/** Codes per block: one 16-byte load (or two 8-byte i16x8 loads). */
export const CODES_PER_BLOCK = 16;
export type Int8KernelKind = 'i16' | 'f32';

/** Bytes of query data per block per query. */
export function queryBlockBytes(kind: Int8KernelKind): number {
  return kind === 'i16' ? CODES_PER_BLOCK * 2 : CODES_PER_BLOCK * 4;
}

// Parameter indices.
const P = {
  codes: 0,
  K: 1,
  blocks: 2,
  groups: 3,
  weights: 4,
  queries: 5,
  scales: 6,
  scratch: 7,
  out: 8,
  outStride: 9,
} as const;
const PARAM_COUNT = 10;

function scoringFunction(kind: Int8KernelKind, nq: number): FunctionSpec {
  // i32 locals after the params, then v128 locals.
  let next = PARAM_COUNT;
  const p = next++;
  const end = next++;
  const qp = next++;
  const g = next++;
  const pt = next++;
  const s = next++;
  const base = next++;
  const o = next++;
  const w = next++;
  const oj = next++;
  const i32Locals = next - PARAM_COUNT;
  const x = next++;
  const x2 = next++;
  const f = [next++, next++, next++, next++];
  const a = next++;
  const b = next++;
  const t0 = next++;
  const acc = Array.from({ length: nq }, () => next++);
  const sc = Array.from({ length: nq }, () => next++);
  const v128Locals = next - PARAM_COUNT - i32Locals;

  const qBytes = queryBlockBytes(kind);
  const add = kind === 'i16' ? SimdOp.i32x4Add : SimdOp.f32x4Add;
  const c = new CodeWriter();

  for (let j = 0; j < nq; j++)
    c.get(P.scales)
      .f32Load(4 * j)
      .v(SimdOp.f32x4Splat)
      .set(sc[j]);
  c.get(P.codes).set(p);
  c.get(P.weights).set(w);
  c.get(P.out).set(o);
  c.i32Const(0).set(g);

  c.block().loop(); // per group of 4 points
  c.get(g).get(P.groups).i32(Op.i32GeU).brIf(1);
  c.i32Const(0).set(pt);
  c.get(P.scratch).set(s);

  c.loop(); // per point of the group
  for (let j = 0; j < nq; j++) c.v128Zero().set(acc[j]);
  c.get(P.queries).set(qp);
  c.get(p).set(base);
  c.get(p).get(P.blocks).i32Const(4).i32(Op.i32Shl).i32(Op.i32Add).set(end);

  c.loop(); // per block of 16 codes
  if (kind === 'i16') {
    for (let half = 0; half < 2; half++) {
      c.get(p)
        .load8x8S(8 * half)
        .set(x);
      for (let j = 0; j < nq; j++) {
        c.get(acc[j])
          .get(x)
          .get(qp)
          .v128Load(j * qBytes + 16 * half);
        c.v(SimdOp.i32x4DotI16x8S).v(SimdOp.i32x4Add).set(acc[j]);
      }
    }
  } else {
    c.get(p).v128Load(0).tee(x).v(SimdOp.i16x8ExtendHighI8x16S).set(x2);
    c.get(x).v(SimdOp.i16x8ExtendLowI8x16S).set(x);
    const halves: [number, number][] = [
      [x, SimdOp.i32x4ExtendLowI16x8S],
      [x, SimdOp.i32x4ExtendHighI16x8S],
      [x2, SimdOp.i32x4ExtendLowI16x8S],
      [x2, SimdOp.i32x4ExtendHighI16x8S],
    ];
    halves.forEach(([src, op], m) => c.get(src).v(op).v(SimdOp.f32x4ConvertI32x4S).set(f[m]));
    for (let m = 0; m < 4; m++) {
      for (let j = 0; j < nq; j++) {
        c.get(acc[j])
          .get(f[m])
          .get(qp)
          .v128Load(j * qBytes + 16 * m);
        c.v(SimdOp.f32x4Mul).v(SimdOp.f32x4Add).set(acc[j]);
      }
    }
  }
  c.get(p).i32Const(CODES_PER_BLOCK).i32(Op.i32Add).set(p);
  c.get(qp)
    .i32Const(nq * qBytes)
    .i32(Op.i32Add)
    .set(qp);
  c.get(p).get(end).i32(Op.i32LtU).brIf(0);
  c.end(); // blocks

  c.get(base).get(P.K).i32(Op.i32Add).set(p);
  for (let j = 0; j < nq; j++)
    c.get(s)
      .get(acc[j])
      .v128Store(16 * j);
  c.get(s)
    .i32Const(16 * nq)
    .i32(Op.i32Add)
    .set(s);
  c.get(pt).i32Const(1).i32(Op.i32Add).tee(pt).i32Const(4).i32(Op.i32LtU).brIf(0);
  c.end(); // points

  // Reduce the 4 points' partial sums per query: [a0+a2, a1+a3, b0+b2, b1+b3] for the pairs
  // (a, b) and (c, d), then lanes (0, 2) + (1, 3) of those give [Σa, Σb, Σc, Σd].
  c.get(o).set(oj);
  const pairSum = (first: number, second: number) => {
    c.get(first).get(second).shuffleI32([0, 1, 4, 5]);
    c.get(first).get(second).shuffleI32([2, 3, 6, 7]);
    c.v(add);
  };
  const row = 16 * nq;
  for (let j = 0; j < nq; j++) {
    c.get(P.scratch)
      .v128Load(16 * j)
      .set(a);
    c.get(P.scratch)
      .v128Load(row + 16 * j)
      .set(b);
    pairSum(a, b);
    c.set(t0);
    c.get(P.scratch)
      .v128Load(2 * row + 16 * j)
      .set(a);
    c.get(P.scratch)
      .v128Load(3 * row + 16 * j)
      .set(b);
    pairSum(a, b);
    c.set(b);
    c.get(oj); // store address
    c.get(t0).get(b).shuffleI32([0, 2, 4, 6]);
    c.get(t0).get(b).shuffleI32([1, 3, 5, 7]);
    c.v(add);
    if (kind === 'i16') c.v(SimdOp.f32x4ConvertI32x4S);
    c.get(w).v128Load(0).get(sc[j]).v(SimdOp.f32x4Mul).v(SimdOp.f32x4Mul);
    c.v128Store(0);
    c.get(oj).get(P.outStride).i32(Op.i32Add).set(oj);
  }
  c.get(w).i32Const(16).i32(Op.i32Add).set(w);
  c.get(o).i32Const(16).i32(Op.i32Add).set(o);
  c.get(g).i32Const(1).i32(Op.i32Add).set(g);
  c.br(0);
  c.end().end(); // groups loop, exit block

  return {
    name: `${kind}_${nq}`,
    params: new Array<ValType>(PARAM_COUNT).fill(ValType.i32),
    locals: [
      ...new Array<ValType>(i32Locals).fill(ValType.i32),
      ...new Array<ValType>(v128Locals).fill(ValType.v128),
    ],
    body: c,
  };
}

/** The module's bytes: exports `i16_1`…`i16_5` and `f32_1`…`f32_5`; imports `env.memory`. */
export function int8ScoreModuleBytes(): Uint8Array<ArrayBuffer> {
  const functions: FunctionSpec[] = [];
  for (const kind of ['i16', 'f32'] as const) {
    for (let nq = 1; nq <= MAX_QUERIES_PER_PASS; nq++) functions.push(scoringFunction(kind, nq));
  }
  return encodeModule(functions);
}
