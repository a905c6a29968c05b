/** What the page asks the worker to load, and the model source each choice means here. */
import { FolderModelSource } from '../../pipeline/clip/model-source/folder-model-source';
import {
  hubModelSource,
  offlineHttpModelSource,
} from '../../pipeline/clip/model-source/http-model-source';
import type { ModelSource } from '../../pipeline/clip/model-source/model-source';
import { UnsupportedError } from '../../pipeline/errors';
import type { ModelVariantName } from '../../pipeline/session/types';
import { BlobFileSource, type DroppedFile } from './blob-file-source';

export type ModelSpec =
  /** The bundled colour encoder served from our origin: colour words only. */
  | { kind: 'offline' }
  /** A CLIP export on the Hugging Face hub, downloaded once and kept in Cache Storage. */
  | { kind: 'hub'; repo?: string; variant?: ModelVariantName }
  /** A model folder the user picked or dropped. */
  | { kind: 'folder'; files: DroppedFile[] };

export function modelSourceFor(spec: ModelSpec): ModelSource {
  if (spec?.kind === 'offline') return offlineHttpModelSource();
  if (spec?.kind === 'hub') return hubModelSource({ repo: spec.repo, variant: spec.variant });
  if (spec?.kind === 'folder') {
    if (!spec.files?.length) throw new UnsupportedError('The model folder is empty');
    return new FolderModelSource(BlobFileSource.fromDropped(spec.files));
  }
  throw new UnsupportedError(`Unknown model source: ${String((spec as { kind?: unknown })?.kind)}`);
}
