/** The bundled offline encoder built in memory (no files, no fetch): tests, benches, fallbacks. */
import { MemoryFileSource } from '../../io/memory-file-source';
import { buildOfflineModelFiles } from '../offline/offline-model-files';
import { OFFLINE_MODEL_ID } from '../offline/offline-spec';
import { FolderModelSource } from './folder-model-source';

export function inMemoryOfflineModelSource(): FolderModelSource {
  return new FolderModelSource(new MemoryFileSource(buildOfflineModelFiles(), OFFLINE_MODEL_ID), {
    id: OFFLINE_MODEL_ID,
    variant: 'fp32',
  });
}
