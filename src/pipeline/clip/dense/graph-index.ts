/**
 * Look-ups over a decoded ONNX graph (onnx-reader's OnnxGraphView) for pattern matching: who
 * produces and who consumes a value, whether a value is a constant (initializer or Constant
 * node, through Identity) and its decoded data, and ancestry. Tensor payloads are decoded only
 * when asked for, so analysing a 350 MB model touches just the weights it extracts.
 */
import { fromFloat16Array } from '../../io/float16';
import {
  tensorData,
  type OnnxAttributeView,
  type OnnxGraphView,
  type OnnxNodeView,
  type TensorData,
  type TensorRef,
} from '../onnx/onnx-reader';

export interface ConstantValue {
  dims: readonly number[];
  data: TensorData;
  /** The ONNX element type name ('float', 'int64', 'uint8', …). */
  dataType: string;
}

export function attribute(node: OnnxNodeView, name: string): OnnxAttributeView | undefined {
  return node.attributes.find((a) => a.name === name);
}

export function intAttribute(node: OnnxNodeView, name: string): number | undefined {
  const a = attribute(node, name);
  return a?.type === 'int' ? a.value : undefined;
}

export function floatAttribute(node: OnnxNodeView, name: string): number | undefined {
  const a = attribute(node, name);
  return a?.type === 'float' ? a.value : undefined;
}

export function intsAttribute(node: OnnxNodeView, name: string): number[] | undefined {
  const a = attribute(node, name);
  return a?.type === 'ints' ? a.value : undefined;
}

/** Float32 copy of numeric tensor data (float16 bit patterns decoded). */
export function toFloat32(value: ConstantValue): Float32Array {
  const { data } = value;
  if (value.dataType === 'float16' && data instanceof Uint16Array) return fromFloat16Array(data);
  if (data instanceof Float32Array) return data.slice();
  if (data instanceof BigInt64Array) return Float32Array.from(data, Number);
  return Float32Array.from(data as ArrayLike<number>);
}

/** Numbers of an integer or float tensor (for shapes, indices, zero points). */
export function toNumbers(value: ConstantValue): number[] {
  const { data } = value;
  if (data instanceof BigInt64Array) return Array.from(data, Number);
  return Array.from(toFloat32(value));
}

/** Elementwise ops folded when every input is a float scalar constant (arity = length). */
const SCALAR_FOLDS: Record<string, ((...v: number[]) => number) | undefined> = {
  Sqrt: (a) => Math.sqrt(a),
  Reciprocal: (a) => 1 / a,
  Neg: (a) => -a,
  Cast: (a) => a,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
};

export class GraphIndex {
  private readonly producers = new Map<string, OnnxNodeView>();
  private readonly consumers = new Map<string, OnnxNodeView[]>();
  private readonly decoded = new Map<string, ConstantValue | null>();

  constructor(readonly graph: OnnxGraphView) {
    for (const node of graph.nodes) {
      for (const out of node.outputs) if (out) this.producers.set(out, node);
      for (const input of node.inputs) {
        if (!input) continue;
        const list = this.consumers.get(input);
        if (list) list.push(node);
        else this.consumers.set(input, [node]);
      }
    }
  }

  producer(name: string): OnnxNodeView | undefined {
    return this.producers.get(name);
  }

  consumersOf(name: string): readonly OnnxNodeView[] {
    return this.consumers.get(name) ?? [];
  }

  isGraphInput(name: string): boolean {
    return this.graph.inputs.some((i) => i.name === name) && !this.graph.initializers.has(name);
  }

  /** The value's constant, through Identity nodes; undefined for a computed value. */
  constant(name: string): ConstantValue | undefined {
    const cached = this.decoded.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const value = this.resolveConstant(name, 0);
    this.decoded.set(name, value ?? null);
    return value;
  }

  isConstant(name: string): boolean {
    if (this.graph.initializers.has(name)) return true;
    const node = this.producers.get(name);
    if (!node) return false;
    if (node.opType === 'Constant') return true;
    if (node.opType === 'Identity') return this.isConstant(node.inputs[0]);
    return SCALAR_FOLDS[node.opType] !== undefined && this.constant(name) !== undefined;
  }

  /** Element count of a constant without decoding it (initializers), else by decoding. */
  constantDims(name: string): readonly number[] | undefined {
    const init = this.graph.initializers.get(name);
    if (init) return init.dims;
    return this.constant(name)?.dims;
  }

  private resolveConstant(name: string, depth: number): ConstantValue | undefined {
    if (depth > 8) return undefined;
    const init = this.graph.initializers.get(name);
    if (init) return fromRef(init);
    const node = this.producers.get(name);
    if (!node) return undefined;
    if (node.opType === 'Identity') return this.resolveConstant(node.inputs[0], depth + 1);
    const fold = SCALAR_FOLDS[node.opType];
    if (fold) {
      // Scalar arithmetic on constants that the exporter did not fold, e.g. Sqrt(scale) in
      // torch's scaled_dot_product_attention export.
      const args: number[] = [];
      for (const input of node.inputs) {
        const c = this.constant(input);
        if (!c || c.data.length !== 1 || c.dataType === 'int64') return undefined;
        args.push(toNumbers(c)[0]);
      }
      if (args.length !== fold.length) return undefined;
      return { dims: [], data: Float32Array.of(fold(...args)), dataType: 'float' };
    }
    if (node.opType !== 'Constant') return undefined;
    const a = node.attributes[0];
    if (!a) return undefined;
    switch (a.name) {
      case 'value':
        return a.type === 'tensor' ? fromRef(a.value) : undefined;
      case 'value_float':
        return a.type === 'float'
          ? { dims: [], data: Float32Array.of(a.value), dataType: 'float' }
          : undefined;
      case 'value_floats':
        return a.type === 'floats'
          ? { dims: [a.value.length], data: Float32Array.from(a.value), dataType: 'float' }
          : undefined;
      case 'value_int':
        return a.type === 'int'
          ? { dims: [], data: BigInt64Array.of(BigInt(a.value)), dataType: 'int64' }
          : undefined;
      case 'value_ints':
        return a.type === 'ints'
          ? {
              dims: [a.value.length],
              data: BigInt64Array.from(a.value, (v) => BigInt(v)),
              dataType: 'int64',
            }
          : undefined;
      default:
        return undefined;
    }
  }

  /** A scalar constant (one element, any rank), or undefined. */
  scalar(name: string): number | undefined {
    const dims = this.constantDims(name);
    if (!dims || dims.reduce((a, b) => a * b, 1) !== 1) return undefined;
    const value = this.constant(name);
    return value ? toNumbers(value)[0] : undefined;
  }

  /** True when `ancestor` is `value` or is reachable from it backwards through producers. */
  isAncestor(ancestor: string, value: string): boolean {
    const seen = new Set<string>();
    const stack = [value];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v === ancestor) return true;
      if (seen.has(v)) continue;
      seen.add(v);
      const node = this.producers.get(v);
      if (node) for (const input of node.inputs) if (input && !seen.has(input)) stack.push(input);
    }
    return false;
  }
}

function fromRef(ref: TensorRef): ConstantValue {
  return {
    dims: ref.dims,
    data: tensorData(ref),
    dataType: ref.dataType ?? String(ref.dataTypeCode),
  };
}
