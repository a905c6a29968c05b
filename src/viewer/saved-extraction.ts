/**
 * The last extraction's options per scene (localStorage), so a reload can restore its cached
 * features without pressing Extract. Only offline-model extractions are remembered: a hub or
 * folder model would have to be fetched or picked again first.
 */
import type { ExtractInput } from '../../workers/pipeline-api';

const KEY_PREFIX = 'scene3d:last-extraction:';

export function saveExtractionInput(sceneId: string, input: ExtractInput): void {
  try {
    localStorage.setItem(KEY_PREFIX + sceneId, JSON.stringify(input));
  } catch {
    // Storage full or disabled: the reload simply will not restore.
  }
}

export function savedExtractionInput(sceneId: string): ExtractInput | undefined {
  try {
    const text = localStorage.getItem(KEY_PREFIX + sceneId);
    const value: unknown = text ? JSON.parse(text) : undefined;
    return value && typeof value === 'object' ? (value as ExtractInput) : undefined;
  } catch {
    return undefined;
  }
}
