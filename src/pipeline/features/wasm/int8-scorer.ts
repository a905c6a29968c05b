/**
 * Runs the int8 scoring kernels of `int8-score-module.ts` over one field's codes.
 *
 * The module is validated and compiled once per process (synchronously; where a host refuses
 * synchronous compilation of a module this size, e.g. a browser's main thread, an asynchronous
 * compile is started and callers use the JS path until it is ready). Each field gets its own
 * memory holding a copy of its codes and weights, made once, then per call only the projected
 * queries go in and the scores come out.
 */
import {
  CODES_PER_BLOCK,
  int8ScoreModuleBytes,
  MAX_QUERIES_PER_PASS,
  queryBlockBytes,
  type Int8KernelKind,
} from './int8-score-module';

type ScoreFunction = (
  codes: number,
  K: number,
  blocks: number,
  groups: number,
  weights: number,
  queries: number,
  scales: number,
  scratch: number,
  out: number,
  outStride: number,
) => void;

/** Largest int16 magnitude a quantised query may use. */
const INT16_MAX = 32767;
/** |code| ≤ 128 (int8), so Σ over `paddedK` codes of code·query must stay within int32. */
const INT32_MAX = 2147483647;

let compiled: WebAssembly.Module | null | undefined;
let compiling = false;
let disabled = false;

/**
 * Turns the WebAssembly path off (true) or back on for the whole process: callers then use
 * their JS path. For tests and benchmarks that need the fallback, and for hosts that misbehave.
 */
export function setWasmScoringDisabled(value: boolean): void {
  disabled = value;
}

/** Validated module, or null where WebAssembly SIMD is unavailable (or not compiled yet). */
export function int8ScoreModule(): WebAssembly.Module | null {
  if (disabled) return null;
  if (compiled !== undefined) return compiled;
  if (typeof WebAssembly !== 'object') return (compiled = null);
  const bytes = int8ScoreModuleBytes();
  if (!WebAssembly.validate(bytes)) return (compiled = null);
  try {
    compiled = new WebAssembly.Module(bytes);
  } catch {
    // Synchronous compilation refused (size limit on a browser main thread): compile in the
    // background; until then (and if that fails too) the caller falls back to JS.
    if (!compiling) {
      compiling = true;
      WebAssembly.compile(bytes).then(
        (m) => (compiled = m),
        () => (compiled = null),
      );
    }
    return null;
  }
  return compiled;
}

/** Points per call = 4 × this (see `score`). */
const GROUPS_PER_CALL = 8192;

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Quantises `p` (K values) to int16 for a sum over `paddedK` int8 codes. Returns the factor
 * that maps the int32 dot product back to p's scale (1 / quantisation scale).
 */
export function quantiseQueryInt16(p: Float32Array, paddedK: number, out: Int16Array): number {
  let maxAbs = 0;
  for (let k = 0; k < p.length; k++) maxAbs = Math.max(maxAbs, Math.abs(p[k]));
  const limit = Math.min(INT16_MAX, Math.floor(INT32_MAX / (128 * paddedK)));
  if (maxAbs === 0) {
    out.fill(0, 0, p.length);
    return 1;
  }
  const scale = limit / maxAbs;
  for (let k = 0; k < p.length; k++) {
    const v = Math.round(p[k] * scale);
    out[k] = v > limit ? limit : v < -limit ? -limit : v;
  }
  return 1 / scale;
}

/** One field's codes and weights in a WebAssembly memory, with the kernels bound to it. */
export class WasmInt8Scorer {
  private readonly blocks: number;
  private readonly groups: number;
  private readonly weightsAt: number;
  private readonly scalesAt: number;
  private readonly scratchAt: number;
  private readonly queriesAt: number;
  private readonly outAt: number;
  private readonly functions: Record<string, ScoreFunction>;

  private constructor(
    private readonly memory: WebAssembly.Memory,
    instance: WebAssembly.Instance,
    readonly count: number,
    readonly K: number,
    layout: { weights: number; scales: number; scratch: number; queries: number; out: number },
  ) {
    this.blocks = Math.ceil(K / CODES_PER_BLOCK);
    this.groups = Math.ceil(count / 4);
    this.weightsAt = layout.weights;
    this.scalesAt = layout.scales;
    this.scratchAt = layout.scratch;
    this.queriesAt = layout.queries;
    this.outAt = layout.out;
    this.functions = instance.exports as unknown as Record<string, ScoreFunction>;
  }

  /**
   * Copies count×K codes and count weights into a new memory; null when the module is
   * unavailable or the memory cannot be had (the caller then uses its JS path).
   */
  static create(
    codes: Int8Array,
    weights: Float32Array,
    count: number,
    K: number,
  ): WasmInt8Scorer | null {
    const module = int8ScoreModule();
    if (!module || count === 0 || K === 0) return null;
    const blocks = Math.ceil(K / CODES_PER_BLOCK);
    const padded = Math.ceil(count / 4) * 4;
    // Codes from 0, with one block of slack for the last point's block to run past its K.
    const weightsAt = align16(padded * K + CODES_PER_BLOCK);
    const scalesAt = weightsAt + padded * 4;
    const scratchAt = scalesAt + 16 * Math.ceil(MAX_QUERIES_PER_PASS / 4);
    const queriesAt = scratchAt + 4 * MAX_QUERIES_PER_PASS * 16;
    const outAt = align16(queriesAt + blocks * MAX_QUERIES_PER_PASS * queryBlockBytes('f32'));
    const total = outAt + MAX_QUERIES_PER_PASS * padded * 4;
    const pages = Math.ceil(total / 65536);
    let memory: WebAssembly.Memory;
    let instance: WebAssembly.Instance;
    try {
      memory = new WebAssembly.Memory({ initial: pages });
      instance = new WebAssembly.Instance(module, { env: { memory } });
    } catch {
      return null; // too large for a 32-bit memory, or refused by the host
    }
    const bytes = new Uint8Array(memory.buffer);
    bytes.set(new Uint8Array(codes.buffer, codes.byteOffset, count * K), 0);
    // Padded points keep zero codes and zero weights (fresh memory is zeroed).
    new Float32Array(memory.buffer, weightsAt, count).set(weights.subarray(0, count));
    return new WasmInt8Scorer(memory, instance, count, K, {
      weights: weightsAt,
      scales: scalesAt,
      scratch: scratchAt,
      queries: queriesAt,
      out: outAt,
    });
  }

  /**
   * Per projected query (q×K, row-major): w_i · Σ_k code[i,k]·p[k] for every point, up to
   * MAX_QUERIES_PER_PASS queries per pass over the codes.
   */
  score(projected: Float32Array, q: number, kind: Int8KernelKind): Float32Array[] {
    const K = this.K;
    const N = this.count;
    const blocks = this.blocks;
    const paddedK = blocks * CODES_PER_BLOCK;
    const rowBytes = this.groups * 16;
    const results: Float32Array[] = [];
    const buffer = this.memory.buffer;
    const scales = new Float32Array(buffer, this.scalesAt, MAX_QUERIES_PER_PASS);
    const qBlock = queryBlockBytes(kind);
    const qi16 = new Int16Array(
      buffer,
      this.queriesAt,
      (blocks * MAX_QUERIES_PER_PASS * qBlock) / 2,
    );
    const qf32 = new Float32Array(
      buffer,
      this.queriesAt,
      (blocks * MAX_QUERIES_PER_PASS * qBlock) / 4,
    );
    const quantised = new Int16Array(K);
    for (let j0 = 0; j0 < q; j0 += MAX_QUERIES_PER_PASS) {
      const nq = Math.min(MAX_QUERIES_PER_PASS, q - j0);
      // Layout: per block of 16 codes, per query, 16 values (zero past K).
      const values = kind === 'i16' ? qi16 : qf32;
      values.fill(0, 0, blocks * nq * CODES_PER_BLOCK);
      for (let j = 0; j < nq; j++) {
        const p = projected.subarray((j0 + j) * K, (j0 + j + 1) * K);
        let src: ArrayLike<number> = p;
        if (kind === 'i16') {
          scales[j] = quantiseQueryInt16(p, paddedK, quantised);
          src = quantised;
        } else scales[j] = 1;
        for (let k = 0; k < K; k++) {
          const block = (k / CODES_PER_BLOCK) | 0;
          values[(block * nq + j) * CODES_PER_BLOCK + (k % CODES_PER_BLOCK)] = src[k];
        }
      }
      // In chunks: V8 (and others) first run a function as baseline code and tier it up in
      // the background, switching at the next call; one call over 1M points would run
      // entirely in the slow tier, chunks switch after the first few.
      const score = this.functions[`${kind}_${nq}`];
      for (let g0 = 0; g0 < this.groups; g0 += GROUPS_PER_CALL) {
        const first = g0 * 4;
        score(
          first * K,
          K,
          blocks,
          Math.min(GROUPS_PER_CALL, this.groups - g0),
          this.weightsAt + first * 4,
          this.queriesAt,
          this.scalesAt,
          this.scratchAt,
          this.outAt + first * 4,
          rowBytes,
        );
      }
      for (let j = 0; j < nq; j++) {
        results.push(new Float32Array(buffer, this.outAt + j * rowBytes, N).slice());
      }
    }
    return results;
  }
}
