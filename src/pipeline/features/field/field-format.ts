/**
 * The binary `.field` file (layout in field-layout.ts): writing a pca-q8 field's parts, and
 * reading them back with every header value checked before anything is sized by it.
 */
import { ParseError } from '../../errors';
import {
  FIELD_FORMAT_VERSION,
  FIELD_HEADER,
  FIELD_HEADER_BYTES,
  FIELD_MAGIC,
  align4,
  fieldFileBytes,
} from './field-layout';
import { PcaQ8FeatureField, serialisedFieldSize } from './pca-q8-field';

export function serialiseFeatureField(f: PcaQ8FeatureField): Uint8Array {
  const out = new Uint8Array(serialisedFieldSize(f));
  const view = new DataView(out.buffer);
  view.setUint32(FIELD_HEADER.magic, FIELD_MAGIC, true);
  view.setUint32(FIELD_HEADER.version, FIELD_FORMAT_VERSION, true);
  view.setUint32(FIELD_HEADER.count, f.count, true);
  view.setUint32(FIELD_HEADER.dim, f.dim, true);
  view.setUint32(FIELD_HEADER.components, f.components, true);
  view.setUint32(FIELD_HEADER.identityBasis, f.identityBasis ? 1 : 0, true);
  view.setUint32(FIELD_HEADER.exceptions, f.exceptionIndices.length, true);
  view.setFloat32(FIELD_HEADER.minCosine, f.stats.minCosine, true);
  let o = FIELD_HEADER_BYTES;
  const put = (a: ArrayBufferView) => {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
    o += align4(a.byteLength);
  };
  put(f.basis);
  put(f.weights);
  put(f.codes);
  put(f.exceptionIndices);
  put(f.exceptionVectors);
  return out;
}

/** Parses bytes from `serialiseFeatureField`. Throws ParseError naming `file` and the offset. */
export function deserialiseFeatureField(
  bytes: Uint8Array,
  file = 'features.field',
): PcaQ8FeatureField {
  const fail = (byteOffset: number, reason: string): never => {
    throw new ParseError({ file, byteOffset }, reason);
  };
  if (bytes.length < FIELD_HEADER_BYTES)
    fail(bytes.length, 'file too short for a feature-field header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (offset: number) => view.getUint32(offset, true);
  if (u32(FIELD_HEADER.magic) !== FIELD_MAGIC)
    fail(FIELD_HEADER.magic, 'not a feature-field file (bad magic)');
  const version = u32(FIELD_HEADER.version);
  if (version !== FIELD_FORMAT_VERSION)
    fail(FIELD_HEADER.version, `unsupported feature-field version ${version}`);
  const count = u32(FIELD_HEADER.count);
  const dim = u32(FIELD_HEADER.dim);
  const K = u32(FIELD_HEADER.components);
  const identity = u32(FIELD_HEADER.identityBasis);
  const nExc = u32(FIELD_HEADER.exceptions);
  const minCosine = view.getFloat32(FIELD_HEADER.minCosine, true);
  if (dim === 0 || dim > 65536) fail(FIELD_HEADER.dim, `absurd dimension ${dim}`);
  if (K === 0 || K > dim) fail(FIELD_HEADER.components, `component count ${K} not in 1..${dim}`);
  if (identity > 1 || (identity === 1 && K !== dim))
    fail(FIELD_HEADER.identityBasis, 'bad identity-basis flag');
  if (nExc > count)
    fail(FIELD_HEADER.exceptions, `exception count ${nExc} exceeds point count ${count}`);
  const sections = {
    basis: identity ? 0 : K * dim * 4,
    weights: count * 4,
    codes: count * K,
    exceptionIndices: nExc * 4,
    exceptionVectors: nExc * dim * 2,
  };
  const expected = fieldFileBytes(sections);
  if (bytes.length !== expected)
    fail(Math.min(bytes.length, expected), `expected ${expected} bytes, file has ${bytes.length}`);
  let o = FIELD_HEADER_BYTES;
  const take = (n: number) => {
    const slice = bytes.slice(o, o + n).buffer;
    o += align4(n);
    return slice;
  };
  const basis = new Float32Array(take(sections.basis));
  const weights = new Float32Array(take(sections.weights));
  const codes = new Int8Array(take(sections.codes));
  const excStart = o;
  const exceptionIndices = new Uint32Array(take(sections.exceptionIndices));
  const exceptionVectors = new Uint16Array(take(sections.exceptionVectors));
  for (let e = 0; e < nExc; e++) {
    if (exceptionIndices[e] >= count)
      fail(excStart + e * 4, `exception index ${exceptionIndices[e]} out of range`);
  }
  let unseen = 0;
  for (let i = 0; i < count; i++) if (Number.isNaN(weights[i])) unseen++;
  return new PcaQ8FeatureField(
    count,
    dim,
    K,
    basis,
    codes,
    weights,
    exceptionIndices,
    exceptionVectors,
    {
      components: K,
      identityBasis: identity === 1,
      exceptions: nExc,
      unseen,
      minCosine,
      meanCosine: NaN,
    },
  );
}
