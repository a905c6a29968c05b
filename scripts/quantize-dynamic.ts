/**
 * Dynamic quantization in onnxruntime's `quantize_dynamic` layout (what the hub's
 * `*_quantized.onnx` files use): every MatMul whose B input is a float initializer becomes
 *
 *   x_q, x_scale, x_zp = DynamicQuantizeLinear(x)
 *   y_i = MatMulInteger(x_q, W_quantized, x_zp, W_zero_point)
 *   y   = Mul(Cast(y_i, to=FLOAT), Mul(x_scale, W_scale))
 *
 * with per-tensor weights: uint8 asymmetric (default, as transformers.js files) or int8
 * symmetric (zero point 0). Other nodes are copied unchanged. The model is re-encoded in full
 * (value_info is dropped; the runtime infers it), so this is for scripts and tests, not the app.
 *
 *   npx tsx scripts/quantize-dynamic.ts IN.onnx OUT.onnx [--weight-type uint8|int8]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  materializeTensor,
  readOnnxModel,
  tensorData,
  type OnnxAttributeView,
} from '../src/pipeline/clip/onnx/onnx-reader';
import {
  encodeOnnxModel,
  type OnnxAttribute,
  type OnnxNode,
  type OnnxTensor,
} from '../src/pipeline/clip/onnx/onnx-model';
import { ModelError } from '../src/pipeline/errors';

export type WeightType = 'uint8' | 'int8';

export interface QuantizeResult {
  bytes: Uint8Array;
  /** Names of the MatMul weights that were quantized. */
  quantized: string[];
}

/** Per-tensor weight quantization as onnxruntime's quantize_data (round half to even). */
export function quantizeWeights(
  w: Float32Array,
  type: WeightType,
): { q: Uint8Array | Int8Array; scale: number; zeroPoint: number } {
  let min = 0;
  let max = 0;
  for (const v of w) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let scale: number;
  let zeroPoint: number;
  let qmin: number;
  let qmax: number;
  if (type === 'int8') {
    [qmin, qmax] = [-127, 127];
    const absMax = Math.max(-min, max);
    scale = absMax / 127;
    zeroPoint = 0;
  } else {
    [qmin, qmax] = [0, 255];
    scale = (max - min) / 255;
    zeroPoint = scale > 0 ? Math.min(255, Math.max(0, roundHalfEven(-min / scale))) : 0;
  }
  scale = Math.fround(scale);
  if (!(scale > 0)) scale = 1;
  const q = type === 'int8' ? new Int8Array(w.length) : new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    q[i] = Math.min(qmax, Math.max(qmin, roundHalfEven(w[i] / scale) + zeroPoint));
  }
  return { q, scale, zeroPoint };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function toAttribute(a: OnnxAttributeView, node: string): OnnxAttribute {
  if (a.type === 'tensor')
    return { name: a.name, type: 'tensor', value: materializeTensor(a.value) };
  if (a.type === 'strings' || a.type === 'unsupported') {
    throw new ModelError(`node '${node}': attribute '${a.name}' (${a.type}) cannot be re-encoded`);
  }
  return a;
}

/** Quantizes the MatMul weights of an fp32 model (bytes of a .onnx file). */
export function quantizeDynamic(
  bytes: Uint8Array,
  file: string,
  options: { weightType?: WeightType } = {},
): QuantizeResult {
  const weightType = options.weightType ?? 'uint8';
  const model = readOnnxModel(bytes, file);
  const { graph } = model;
  for (const [domain] of model.opsetImports) {
    if (domain !== '') throw new ModelError(`${file}: opset domain '${domain}' is not supported`);
  }
  const opset = model.opsetImports.get('') ?? 0;
  if (opset < 11) throw new ModelError(`${file}: opset ${opset} < 11 has no DynamicQuantizeLinear`);

  const isQuantizable = (n: { opType: string; inputs: string[] }) =>
    n.opType === 'MatMul' && graph.initializers.get(n.inputs[1])?.dataType === 'float';
  // Float weights still needed by some other node stay in the model.
  const otherUses = new Set<string>();
  for (const n of graph.nodes) {
    n.inputs.forEach((input, i) => {
      if (!(isQuantizable(n) && i === 1)) otherUses.add(input);
    });
  }

  const names = new Set<string>([
    ...graph.nodes.flatMap((n) => [...n.inputs, ...n.outputs]),
    ...graph.initializers.keys(),
  ]);
  const unique = (name: string): string => {
    let out = name;
    for (let k = 1; names.has(out); k++) out = `${name}_${k}`;
    names.add(out);
    return out;
  };

  const newInits: OnnxTensor[] = [];
  const weightQ = new Map<string, { q: string; scale: string; zp: string }>();
  const activationQ = new Map<string, { q: string; scale: string; zp: string }>();
  const nodes: OnnxNode[] = [];
  const quantized: string[] = [];
  const zpType = weightType;

  for (const n of graph.nodes) {
    const label = n.name || n.outputs[0];
    if (!isQuantizable(n)) {
      nodes.push({
        opType: n.opType,
        inputs: n.inputs,
        outputs: n.outputs,
        name: n.name || undefined,
        domain: n.domain || undefined,
        attributes: n.attributes.map((a) => toAttribute(a, label)),
      });
      continue;
    }
    const [x, wName] = n.inputs;
    const y = n.outputs[0];
    let w = weightQ.get(wName);
    if (!w) {
      const ref = graph.initializers.get(wName)!;
      const { q, scale, zeroPoint } = quantizeWeights(tensorData(ref) as Float32Array, weightType);
      w = {
        q: unique(`${wName}_quantized`),
        scale: unique(`${wName}_scale`),
        zp: unique(`${wName}_zero_point`),
      };
      newInits.push({ name: w.q, dataType: weightType, dims: ref.dims, data: q });
      newInits.push({ name: w.scale, dataType: 'float', dims: [], data: Float32Array.of(scale) });
      newInits.push({
        name: w.zp,
        dataType: zpType,
        dims: [],
        data: weightType === 'int8' ? Int8Array.of(zeroPoint) : Uint8Array.of(zeroPoint),
      });
      weightQ.set(wName, w);
      quantized.push(wName);
    }
    let a = activationQ.get(x);
    if (!a) {
      a = {
        q: unique(`${x}_quantized`),
        scale: unique(`${x}_scale`),
        zp: unique(`${x}_zero_point`),
      };
      nodes.push({
        opType: 'DynamicQuantizeLinear',
        inputs: [x],
        outputs: [a.q, a.scale, a.zp],
        name: unique(`${x}_QuantizeLinear`),
      });
      activationQ.set(x, a);
    }
    const yInt = unique(`${y}_output_quantized`);
    const yFloat = unique(`${yInt}_cast_output`);
    const scales = unique(`${y}_scales_mul`);
    nodes.push(
      {
        opType: 'MatMulInteger',
        inputs: [a.q, w.q, a.zp, w.zp],
        outputs: [yInt],
        name: unique(`${label}_quant`),
      },
      {
        opType: 'Cast',
        inputs: [yInt],
        outputs: [yFloat],
        name: unique(`${yInt}_cast`),
        attributes: [{ name: 'to', type: 'int', value: 1 }],
      },
      {
        opType: 'Mul',
        inputs: [a.scale, w.scale],
        outputs: [scales],
        name: unique(`${scales}_node`),
      },
      {
        opType: 'Mul',
        inputs: [yFloat, scales],
        outputs: [y],
        name: unique(`${y}_scales_mul_output_node`),
      },
    );
  }

  const initializers = [
    ...[...graph.initializers.values()]
      .filter((ref) => !(weightQ.has(ref.name) && !otherUses.has(ref.name)))
      .map(materializeTensor),
    ...newInits,
  ];
  const out = encodeOnnxModel({
    irVersion: model.irVersion || 8,
    producerName: model.producerName || undefined,
    producerVersion: model.producerVersion || undefined,
    opsetVersion: opset,
    graph: {
      name: graph.name,
      nodes,
      initializers,
      inputs: graph.inputs,
      outputs: graph.outputs,
      docString: graph.docString || undefined,
    },
  });
  return { bytes: out, quantized };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const typeAt = args.indexOf('--weight-type');
  const weightType = (typeAt >= 0 ? args.splice(typeAt, 2)[1] : 'uint8') as WeightType;
  if (args.length !== 2 || (weightType !== 'uint8' && weightType !== 'int8')) {
    console.error(
      'usage: npx tsx scripts/quantize-dynamic.ts IN.onnx OUT.onnx [--weight-type uint8|int8]',
    );
    process.exit(2);
  }
  const [input, output] = args;
  const { bytes, quantized } = quantizeDynamic(new Uint8Array(readFileSync(input)), input, {
    weightType,
  });
  writeFileSync(output, bytes);
  console.log(
    `${output}: ${quantized.length} MatMul weights quantized to ${weightType}, ${bytes.length} bytes`,
  );
}
