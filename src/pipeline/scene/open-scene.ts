/**
 * Opens any supported scene from a FileSource: detects the format from the file names present
 * and dispatches to the matching reader. Owned by the scene readers; each reader registers a
 * detector here.
 */
import { UnsupportedError } from '../errors';
import type { FileSource } from '../io/file-source';
import type { Scene } from './types';

export interface OpenSceneOptions {
  signal?: AbortSignal;
  /** Called with non-fatal warnings as they are found (also collected in scene.warnings). */
  onWarning?: (message: string) => void;
}

export async function openScene(source: FileSource, _options: OpenSceneOptions = {}): Promise<Scene> {
  const files = await source.list();
  throw new UnsupportedError(
    `${source.name}: no supported scene format found among ${files.length} files`,
  );
}
