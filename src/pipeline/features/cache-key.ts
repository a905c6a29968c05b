/**
 * Cache keys for extracted features: (scene identity, model id, options) → a string. Any
 * changed option, frame pose, intrinsics or point gives a different key. The worker stores the
 * serialised bundle under it (IndexedDB/OPFS); this module only computes keys.
 */
import type { Scene } from '../scene/types';
import type { ExtractOptions } from './extract';

export const FEATURE_CACHE_VERSION = 1;

/** Two independent 32-bit hashes (FNV-1a and a multiplicative mix) over bytes, as 16 hex chars. */
export class Hasher {
  private a = 0x811c9dc5;
  private b = 0x9747b28c;

  bytes(data: Uint8Array): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < data.length; i++) {
      const x = data[i];
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.a = a;
    this.b = b;
    return this;
  }

  view(data: ArrayBufferView): this {
    return this.bytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  text(s: string): this {
    return this.bytes(new TextEncoder().encode(s + '\u0000'));
  }

  hex(): string {
    return (
      (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0')
    );
  }
}

/** Identity of a scene's content: name, format, frames (names, poses, intrinsics) and cloud. */
export function sceneFingerprint(scene: Scene): string {
  const h = new Hasher().text(scene.name).text(scene.format).text(String(scene.frames.length));
  for (const f of scene.frames) {
    h.text(f.name)
      .view(f.cameraToWorld)
      .text(JSON.stringify([f.intrinsics, f.depthIntrinsics]));
  }
  if (scene.cloud) h.view(scene.cloud.positions).view(scene.cloud.colors);
  return h.hex();
}

/** JSON with sorted keys, so equal options give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What every key of one scene's features starts with (to clear that scene's entries). */
export function sceneCacheKeyPrefix(sceneHash: string): string {
  return `features-v${FEATURE_CACHE_VERSION}:${sceneHash}:`;
}

export function featureCacheKey(
  sceneHash: string,
  modelId: string,
  options: ExtractOptions,
): string {
  // Batch size changes speed only, so it is not part of the key.
  const { batchSize: _speedOnly, ...resultOptions } = options;
  void _speedOnly;
  const optionsHash = new Hasher().text(canonicalJson(resultOptions)).hex();
  return `${sceneCacheKeyPrefix(sceneHash)}${modelId}:${optionsHash}`;
}
