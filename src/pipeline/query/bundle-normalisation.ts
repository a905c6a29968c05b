/**
 * The scene normalisation (3D-LLM: centroid and largest distance to it) from a feature bundle's
 * meta.json, without loading the points or features: all that location tokens need.
 */
import { MissingFileError, ParseError } from '../errors';
import type { FileSource } from '../io/file-source';
import type { SceneNormalisation } from '../../tokens/location-tokens';

/** meta.json is small; anything this large is not one. */
const MAX_META_BYTES = 16 * 1024 * 1024;

export async function readBundleNormalisation(source: FileSource): Promise<SceneNormalisation> {
  const file = `${source.name}/meta.json`;
  if (!(await source.exists('meta.json'))) {
    throw new MissingFileError(file, 'not a feature bundle (no meta.json); run `extract` first');
  }
  if ((await source.size('meta.json')) > MAX_META_BYTES) {
    throw new ParseError({ file, byteOffset: 0 }, `larger than ${MAX_META_BYTES} bytes`);
  }
  return parseBundleNormalisation(await source.read('meta.json'), file);
}

export function parseBundleNormalisation(bytes: Uint8Array, file: string): SceneNormalisation {
  let meta: unknown;
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new ParseError({ file, line: 1 }, `not valid JSON (${(err as Error).message})`);
  }
  const n = (meta as { normalisation?: unknown } | null)?.normalisation as
    { centroid?: unknown; radius?: unknown } | undefined;
  const centroid = n?.centroid;
  const radius = n?.radius;
  if (
    !Array.isArray(centroid) ||
    centroid.length !== 3 ||
    !centroid.every((c) => typeof c === 'number' && Number.isFinite(c)) ||
    typeof radius !== 'number' ||
    !Number.isFinite(radius) ||
    radius <= 0
  ) {
    throw new ParseError(
      { file, line: 1 },
      '"normalisation" must be { "centroid": [x, y, z], "radius": r > 0 } with finite numbers',
    );
  }
  return { centroid: [centroid[0], centroid[1], centroid[2]], radius };
}
