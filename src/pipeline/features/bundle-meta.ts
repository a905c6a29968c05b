/**
 * Validation of a feature bundle's meta.json (folders and browser cache entries alike): every
 * field the readers and exporters use is checked for type, range and consistency, so a bad value
 * becomes a ParseError naming the field instead of wrong output (radius 0 collapsed every point
 * into 8 voxels) or a TypeError (no `model`).
 */
import { checkPointCount } from '../budget/resource-budget';
import { ParseError } from '../errors';
import { describeJsonValue } from '../io/safe-json';

/** Largest feature dimension we accept (CLIP ViT-L/14 is 768; bigH 1024). */
const MAX_FEATURE_DIM = 65_536;

type Json = Record<string, unknown>;

/**
 * Checks the parsed meta.json in place (returns it typed by the caller). `format` and
 * `formatVersion` are checked by the caller first (they decide "not a bundle" vs "unsupported").
 */
export function validateFeatureBundleMeta(meta: Json, file: string): void {
  const fail = (path: string, expected: string, value: unknown) =>
    new ParseError({ file }, `${path}: expected ${expected}, got ${describeJsonValue(value)}`);
  const obj = (v: unknown, path: string): Json => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail(path, 'an object', v);
    return v as Json;
  };
  const int = (v: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw fail(path, `an integer in ${min}..${max}`, v);
    }
    return v;
  };
  const finite = (v: unknown, path: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(path, 'a finite number', v);
    return v;
  };

  if (typeof meta.scene !== 'string') throw fail('scene', 'a string', meta.scene);
  const model = obj(meta.model, 'model');
  if (typeof model.id !== 'string' || model.id === '')
    throw fail('model.id', 'a model id', model.id);
  int(model.dim, 'model.dim', 1, MAX_FEATURE_DIM);

  const counts = obj(meta.counts, 'counts');
  const points = int(counts.points, 'counts.points', 1);
  checkPointCount(points, { file }, 'counts.points');
  int(counts.seenPoints, 'counts.seenPoints', 0, points);
  int(counts.views, 'counts.views', 0);
  int(counts.crops, 'counts.crops', 0);

  if (!Array.isArray(meta.frames)) throw fail('frames', 'an array of frame indices', meta.frames);
  meta.frames.forEach((f, i) => int(f, `frames[${i}]`, 0));

  const norm = obj(meta.normalisation, 'normalisation');
  const c = norm.centroid;
  if (!Array.isArray(c) || c.length !== 3) throw fail('normalisation.centroid', '3 numbers', c);
  c.forEach((v, i) => finite(v, `normalisation.centroid[${i}]`));
  const radius = finite(norm.radius, 'normalisation.radius');
  if (!(radius > 0)) throw fail('normalisation.radius', 'a radius > 0 (metres)', radius);

  if (meta.featuresDtype !== '<f2' && meta.featuresDtype !== '<f4') {
    throw fail('featuresDtype', "'<f2' or '<f4'", meta.featuresDtype);
  }
  obj(meta.field, 'field');
  obj(meta.options ?? {}, 'options');
  obj(meta.stats ?? {}, 'stats');
}

/** First non-finite value of a float array, as a ParseError at its byte offset in the .npy. */
export function requireFiniteArray(
  values: Float32Array,
  file: string,
  dataOffset: number,
  itemBytes: number,
  what: string,
): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ParseError(
        { file, byteOffset: dataOffset + i * itemBytes },
        `${what}: value ${i} is ${values[i]} (must be finite)`,
      );
    }
  }
}
