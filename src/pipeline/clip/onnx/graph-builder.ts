/**
 * A small builder over the ONNX model types: named initializers, nodes with typed attributes,
 * auto-generated unique intermediate names. Keeps graph-construction code readable.
 */
import {
  encodeOnnxModel,
  type OnnxAttribute,
  type OnnxDim,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
  type OnnxDataTypeName,
} from './onnx-model';

export type AttributeSpec = Record<
  string,
  | { float: number }
  | { int: number }
  | { ints: number[] }
  | { floats: number[] }
  | { string: string }
>;

function toAttributes(attributes: AttributeSpec): OnnxAttribute[] {
  return Object.entries(attributes).map(([name, spec]): OnnxAttribute => {
    if ('float' in spec) return { name, type: 'float', value: spec.float };
    if ('int' in spec) return { name, type: 'int', value: spec.int };
    if ('ints' in spec) return { name, type: 'ints', value: spec.ints };
    if ('floats' in spec) return { name, type: 'floats', value: spec.floats };
    return { name, type: 'string', value: spec.string };
  });
}

export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(
    readonly name: string,
    readonly opsetVersion = 13,
  ) {}

  private claim(name: string): string {
    if (this.names.has(name))
      throw new Error(`graph '${this.name}': duplicate value name '${name}'`);
    this.names.add(name);
    return name;
  }

  input(name: string, elemType: OnnxDataTypeName, shape: readonly OnnxDim[]): string {
    this.inputs.push({ name: this.claim(name), elemType, shape });
    return name;
  }

  /** Declares `value` (already produced by a node) as a graph output. */
  output(value: string, elemType: OnnxDataTypeName, shape: readonly OnnxDim[]): void {
    if (!this.names.has(value))
      throw new Error(`graph '${this.name}': output '${value}' is never produced`);
    this.outputs.push({ name: value, elemType, shape });
  }

  floats(name: string, dims: readonly number[], data: ArrayLike<number>): string {
    this.initializers.push({
      name: this.claim(name),
      dataType: 'float',
      dims,
      data: Float32Array.from(data),
    });
    return name;
  }

  int64s(name: string, dims: readonly number[], data: ArrayLike<number>): string {
    const values = BigInt64Array.from(Array.from(data, (v) => BigInt(v)));
    this.initializers.push({ name: this.claim(name), dataType: 'int64', dims, data: values });
    return name;
  }

  /**
   * Adds a node; returns its output names. `outputName` fixes the (first) output's name, else a
   * unique one is derived from the op type.
   */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: AttributeSpec = {},
    outputName?: string,
  ): string {
    const output = this.claim(outputName ?? `${opType.toLowerCase()}_${this.counter++}`);
    this.nodes.push({
      opType,
      inputs,
      outputs: [output],
      name: `${opType}_${this.nodes.length}`,
      attributes: toAttributes(attributes),
    });
    return output;
  }

  /** A node with several named outputs (e.g. Split). */
  nodeMulti(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: AttributeSpec = {},
  ): string[] {
    outputs.forEach((o) => this.claim(o));
    this.nodes.push({
      opType,
      inputs,
      outputs,
      name: `${opType}_${this.nodes.length}`,
      attributes: toAttributes(attributes),
    });
    return [...outputs];
  }

  graph(docString?: string): OnnxGraph {
    return {
      name: this.name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      docString,
    };
  }

  model(options: { producerName?: string; docString?: string } = {}): OnnxModel {
    return {
      graph: this.graph(options.docString),
      opsetVersion: this.opsetVersion,
      irVersion: 8,
      producerName: options.producerName ?? 'scene3d-llm',
      producerVersion: '1',
    };
  }

  encode(options: { producerName?: string; docString?: string } = {}): Uint8Array {
    return encodeOnnxModel(this.model(options));
  }
}
