/**
 * Checks a loaded ONNX session against the CLIP export contract (names, element types, ranks and
 * fixed dims) before anything runs, so a wrong file fails at load with a message that names the
 * file and says what was expected.
 */
import type { InferenceSession } from 'onnxruntime-web';
import { ModelError } from '../../errors';

type Meta = InferenceSession.ValueMetadata;
type TensorMeta = InferenceSession.TensorValueMetadata;

export interface TensorExpectation {
  name: string;
  /** Accepted element types, e.g. ['float32', 'float16']. */
  types: readonly string[];
  /** Expected dims; null = any (symbolic batch or sequence). */
  dims: readonly (number | null)[];
}

export interface SessionExpectation {
  file: string;
  inputs: readonly TensorExpectation[];
  /** Inputs the encoder can feed if present (e.g. a text model's attention_mask). */
  optionalInputs?: readonly TensorExpectation[];
  outputs: readonly TensorExpectation[];
}

export interface CheckedValue {
  name: string;
  type: string;
  /** Numeric dims as in the file; null for symbolic or unknown ones. */
  dims: (number | null)[];
}

function describe(meta: readonly Meta[]): string {
  return meta
    .map((m) =>
      m.isTensor ? `${m.name} ${m.type}[${m.shape.join(',')}]` : `${m.name} (not a tensor)`,
    )
    .join(', ');
}

function expectation(e: TensorExpectation): string {
  return `${e.name} ${e.types.join('|')}[${e.dims.map((d) => d ?? '?').join(',')}]`;
}

function checkValue(file: string, role: string, meta: Meta, want: TensorExpectation): CheckedValue {
  if (!meta.isTensor) throw new ModelError(`${file}: ${role} '${want.name}' is not a tensor`);
  const tensor = meta as TensorMeta;
  if (!want.types.includes(tensor.type)) {
    throw new ModelError(
      `${file}: ${role} '${want.name}' is ${tensor.type}, expected ${want.types.join(' or ')}`,
    );
  }
  // An empty shape means the file does not declare one; the run-time check covers it then.
  const shape = tensor.shape;
  if (shape.length > 0 && shape.length !== want.dims.length) {
    throw new ModelError(
      `${file}: ${role} '${want.name}' has ${shape.length} dims [${shape.join(',')}], expected ${want.dims.length} (${expectation(want)})`,
    );
  }
  const dims = want.dims.map((_, i) =>
    typeof shape[i] === 'number' ? (shape[i] as number) : null,
  );
  want.dims.forEach((expected, i) => {
    const actual = dims[i];
    if (expected !== null && actual !== null && actual !== expected) {
      throw new ModelError(
        `${file}: ${role} '${want.name}' has dim ${i} = ${actual}, expected ${expected} (${expectation(want)})`,
      );
    }
  });
  return { name: want.name, type: tensor.type, dims };
}

export interface CheckedSession {
  inputs: Map<string, CheckedValue>;
  outputs: Map<string, CheckedValue>;
}

export function checkSessionContract(
  session: InferenceSession,
  spec: SessionExpectation,
): CheckedSession {
  const { file } = spec;
  const inputs = new Map<string, CheckedValue>();
  const outputs = new Map<string, CheckedValue>();
  const inputMeta = session.inputMetadata ?? [];
  const outputMeta = session.outputMetadata ?? [];
  for (const want of spec.inputs) {
    const meta = inputMeta.find((m) => m.name === want.name);
    if (!meta) {
      throw new ModelError(
        `${file}: no input '${want.name}' (expected ${expectation(want)}; the file has ${describe(inputMeta) || 'none'})`,
      );
    }
    inputs.set(want.name, checkValue(file, 'input', meta, want));
  }
  for (const want of spec.optionalInputs ?? []) {
    const meta = inputMeta.find((m) => m.name === want.name);
    if (meta) inputs.set(want.name, checkValue(file, 'input', meta, want));
  }
  const unknown = inputMeta.filter((m) => !inputs.has(m.name));
  if (unknown.length > 0) {
    throw new ModelError(
      `${file}: unexpected input(s) ${describe(unknown)}; expected only ${spec.inputs.map(expectation).join(', ')}`,
    );
  }
  for (const want of spec.outputs) {
    const meta = outputMeta.find((m) => m.name === want.name);
    if (!meta) {
      throw new ModelError(
        `${file}: no output '${want.name}' (expected ${expectation(want)}; the file has ${describe(outputMeta) || 'none'})`,
      );
    }
    outputs.set(want.name, checkValue(file, 'output', meta, want));
  }
  return { inputs, outputs };
}
