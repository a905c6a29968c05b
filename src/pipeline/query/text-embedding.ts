/**
 * Text → unit embedding through the ClipEncoder, and the negative phrases' embeddings cached per
 * model id (they are the same for every query and every scene).
 */
import type { ClipEncoder } from '../clip/types';
import type { NegativeSet } from './relevancy';

export async function embedQueryText(encoder: ClipEncoder, text: string): Promise<Float32Array> {
  const embedding = await encoder.embedTexts([text]);
  return normaliseInPlace(embedding.slice(0, encoder.dim));
}

/** Encoders return unit vectors; re-normalising is cheap insurance against a model that doesn't. */
export function normaliseInPlace(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

export class NegativeEmbeddingCache {
  private readonly entries = new Map<string, Promise<NegativeSet>>();

  /** Embeddings of `phrases` for this encoder; computed once per (model id, phrases). */
  get(encoder: ClipEncoder, phrases: readonly string[]): Promise<NegativeSet> {
    const key = [encoder.modelId, ...phrases].join('\u0000');
    let entry = this.entries.get(key);
    if (!entry) {
      entry = embedNegatives(encoder, phrases, key);
      this.entries.set(key, entry);
      // A failed embedding must not poison the cache.
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }
}

async function embedNegatives(
  encoder: ClipEncoder,
  phrases: readonly string[],
  key: string,
): Promise<NegativeSet> {
  const dim = encoder.dim;
  if (phrases.length === 0) return { key, embeddings: new Float32Array(0), count: 0 };
  const raw = await encoder.embedTexts([...phrases]);
  const embeddings = new Float32Array(phrases.length * dim);
  for (let i = 0; i < phrases.length; i++) {
    embeddings.set(normaliseInPlace(raw.slice(i * dim, (i + 1) * dim)), i * dim);
  }
  return { key, embeddings, count: phrases.length };
}

/** One cache for the process (worker or CLI). */
export const negativeEmbeddingCache = new NegativeEmbeddingCache();
