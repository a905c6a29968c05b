/**
 * The entry point the worker and the CLI use: text → embedding (ClipEncoder) → scores straight
 * from the compact field → grounded boxes with location tokens. Negative phrases' embeddings are
 * cached per model, their similarity per field.
 */
import type { ClipEncoder } from '../clip/types';
import { QUERY_DEFAULTS } from '../defaults';
import { platform } from '../platform';
import type { SceneNormalisation } from '../../tokens/location-tokens';
import { groundScores, resolveQueryOptions, type QueryOptions } from './ground';
import { groundScoresOnObjects } from './ground-objects';
import type { ProposalIndex } from './proposal-grounding';
import { NegativeSimilarityCache, scorePoints } from './relevancy';
import { embedQueryText, negativeEmbeddingCache, NegativeEmbeddingCache } from './text-embedding';
import type { GroundingResult, SimilarityField } from './types';

export interface QueryScene {
  field: SimilarityField;
  /** N×3 metres, parallel to the field's points. */
  positions: Float32Array;
  /** The bundle's 3D-LLM normalisation; boxes get location tokens when present. */
  normalisation?: SceneNormalisation;
  /**
   * The scene's objects (segmentation proposals over the same points): boxes are objects, and a
   * query nothing stands out for returns none. Without it, the points above the threshold are
   * clustered into voxel blobs.
   */
  objects?: ProposalIndex;
}

export interface TextQueryOptions extends Partial<QueryOptions> {
  /** Negative phrases for LERF relevancy (default: object, things, stuff, texture). */
  negatives?: readonly string[];
}

export interface TextQueryResult extends GroundingResult {
  text: string;
  /** Milliseconds: text embedding, scoring, threshold + clustering + boxes. */
  timings: { embedMs: number; scoreMs: number; groundMs: number };
}

export interface QueryCaches {
  negativeEmbeddings: NegativeEmbeddingCache;
  negativeSimilarity: NegativeSimilarityCache;
}

/** Process-wide caches (one worker, one CLI run). */
export const defaultQueryCaches: QueryCaches = {
  negativeEmbeddings: negativeEmbeddingCache,
  negativeSimilarity: new NegativeSimilarityCache(),
};

const now = () => platform().now();

export async function queryByText(
  scene: QueryScene,
  encoder: ClipEncoder,
  text: string,
  options: TextQueryOptions = {},
  caches: QueryCaches = defaultQueryCaches,
): Promise<TextQueryResult> {
  const resolved = resolveQueryOptions({
    ...options,
    normalisation: options.normalisation ?? scene.normalisation,
  });
  const t0 = now();
  const query = await embedQueryText(encoder, text);
  const phrases = options.negatives ?? QUERY_DEFAULTS.negatives;
  const negatives =
    resolved.mode === 'lerf' && phrases.length > 0
      ? await caches.negativeEmbeddings.get(encoder, phrases)
      : null;
  const t1 = now();
  const scores = scorePoints(scene.field, query, negatives, resolved, caches.negativeSimilarity);
  const t2 = now();
  const result = scene.objects
    ? groundScoresOnObjects(scores, scene.objects, {
        ...resolved,
        logistic: resolved.mode === 'lerf',
      })
    : groundScores(scores, scene.positions, resolved);
  const t3 = now();
  // A word the model has no meaning for makes any box a guess: say so instead.
  const unknown = encoder.unknownWords?.(text) ?? [];
  if (unknown.length > 0) {
    result.boxes = [];
    result.confident = false;
    result.reason = `the model does not know ${unknown.map((w) => `'${w}'`).join(', ')}`;
  }
  return { ...result, text, timings: { embedMs: t1 - t0, scoreMs: t2 - t1, groundMs: t3 - t2 } };
}
