/**
 * readFeatureBundle validates meta.json and the arrays (issue 15): a bad normalisation, a
 * missing model or non-finite values are ParseErrors naming the field or byte, never wrong
 * output. The same reader opens cached bundles in the browser (restoreBundle).
 */
import { describe, expect, it } from 'vitest';
import { encodeFeatureBundle, readFeatureBundle } from '../../../src/pipeline/features/bundle';
import { resolveExtractOptions } from '../../../src/pipeline/features/extraction/options';
import type { ExtractResult } from '../../../src/pipeline/features/extraction/types';
import { encodeFeatureField } from '../../../src/pipeline/features/field/field-encoder';
import { ParseError } from '../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import { restoreBundle } from '../../../src/pipeline/session/extract-bundle';

const N = 40;
const DIM = 8;

function bundleFiles(dtype: '<f2' | '<f4' = '<f4'): Map<string, Uint8Array> {
  const features = new Float32Array(N * DIM).map((_, i) => Math.cos(i * 0.7));
  const viewCounts = new Uint16Array(N).fill(2);
  const result = {
    sceneName: 't',
    modelId: 'm',
    dim: DIM,
    count: N,
    positions: new Float32Array(N * 3).map((_, i) => (i % 5) * 0.3),
    colors: new Uint8Array(N * 3).fill(7),
    features,
    viewCounts,
    frames: [0, 1],
    options: resolveExtractOptions({}),
    stats: { views: 2, crops: 4, featureSource: 'crops', seenPoints: N },
    timings: { loadS: 0, encodeS: 0, fuseS: 0 },
    warnings: [],
  } as unknown as ExtractResult;
  const field = encodeFeatureField(features, N, DIM, viewCounts);
  return encodeFeatureBundle(result, field, { featuresDtype: dtype }).files;
}

function withMeta(edit: (meta: Meta) => void): Map<string, Uint8Array> {
  const files = bundleFiles();
  const meta = JSON.parse(new TextDecoder().decode(files.get('meta.json')));
  edit(meta);
  files.set('meta.json', new TextEncoder().encode(JSON.stringify(meta)));
  return files;
}

/** meta.json as edited by the cases: sections by name (top-level scalars set through `top`). */
type Meta = Record<string, Record<string, unknown>>;
const top = (m: Meta) => m as Record<string, unknown>;

const read = (files: Map<string, Uint8Array>) =>
  readFeatureBundle(new MemoryFileSource(files, 'B'));

describe('readFeatureBundle validation', () => {
  it('reads an intact bundle (both dtypes)', async () => {
    for (const dtype of ['<f2', '<f4'] as const) {
      const b = await read(bundleFiles(dtype));
      expect(b.meta.normalisation.radius).toBeGreaterThan(0);
      expect(b.features.length).toBe(N * DIM);
    }
  });

  it('refuses a bad normalisation naming the field', async () => {
    const cases: [(m: Meta) => void, RegExp][] = [
      [(m) => (m.normalisation.radius = 0), /normalisation\.radius: expected a radius > 0.*got 0/],
      [(m) => (m.normalisation.radius = -2), /normalisation\.radius: expected a radius > 0/],
      [(m) => (m.normalisation.radius = '1'), /normalisation\.radius: expected a finite number/],
      [
        (m) => (m.normalisation.centroid = null),
        /normalisation\.centroid: expected 3 numbers, got null/,
      ],
      [(m) => (m.normalisation.centroid = 'abc'), /normalisation\.centroid: expected 3 numbers/],
      [(m) => (m.normalisation.centroid = [0, 'Infinity', 0]), /normalisation\.centroid\[1\]/],
      [(m) => delete m.normalisation, /normalisation: expected an object/],
    ];
    for (const [edit, message] of cases) {
      const err = await read(withMeta(edit)).catch((e) => e);
      expect(err).toBeInstanceOf(ParseError);
      expect(err.message).toMatch(/^B\/meta\.json: /);
      expect(err.message).toMatch(message);
    }
  });

  it('refuses a meta.json without model, or with inconsistent counts and dtype', async () => {
    const cases: [(m: Meta) => void, RegExp][] = [
      [(m) => delete m.model, /model: expected an object, got undefined/],
      [(m) => (m.model.dim = 0), /model\.dim: expected an integer/],
      [(m) => (m.counts.seenPoints = N + 1), /counts\.seenPoints/],
      [(m) => (m.counts.points = 2.5), /counts\.points/],
      [(m) => (top(m).featuresDtype = '<f2'), /features\.npy.*meta\.json says <f2/],
      [(m) => (top(m).frames = [0, -1]), /frames\[1\]/],
    ];
    for (const [edit, message] of cases) {
      const err = await read(withMeta(edit)).catch((e) => e);
      expect(err).toBeInstanceOf(ParseError);
      expect(err.message).toMatch(message);
    }
  });

  it('refuses NaN/Inf in points and features at their byte offset', async () => {
    const files = bundleFiles('<f4');
    const points = files.get('points.npy')!.slice();
    const dataOffset = points.length - N * 3 * 4;
    new DataView(points.buffer).setFloat32(dataOffset + 4 * 7, NaN, true);
    files.set('points.npy', points);
    const err = await read(files).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.location).toEqual({ file: 'B/points.npy', byteOffset: dataOffset + 28 });

    const f2 = bundleFiles('<f2');
    const feats = f2.get('features.npy')!.slice();
    const featOffset = feats.length - N * DIM * 2;
    new DataView(feats.buffer).setUint16(featOffset + 2 * 5, 0x7c00, true); // +Inf in half
    f2.set('features.npy', feats);
    await expect(read(f2)).rejects.toThrow(
      /B\/features\.npy at byte \d+: feature: value 5 is Infinity/,
    );
  });

  it('validates bundles restored from the browser cache the same way', async () => {
    const files = withMeta((m) => (m.normalisation.radius = 0));
    await expect(restoreBundle(files, 'cache', 'key')).rejects.toThrow(/normalisation\.radius/);
  });
});
