/**
 * Opening user files and adopting the features that came with them: a scan folder holding
 * OpenScene's `<scene>_<n>.pt` next to its mesh opens with those features as its extraction (the
 * worker read them while opening), so the Query panel works at once, without Extract.
 */
import type { DroppedFile } from '../../workers/pipeline-api';
import { openFiles, pipelineRemote, runQuery } from './controller';
import { getState, reportError, setState } from './store';

export async function openFilesWithFeatures(files: DroppedFile[]): Promise<void> {
  await openFiles(files);
  const api = pipelineRemote();
  // A failed open keeps the scene (and features) on screen: nothing new to adopt then.
  if (!api || !getState().scene || getState().extraction) return;
  const onScreen = (epoch: number | undefined) => epoch === getState().scene?.epoch;
  try {
    const extraction = await api.getImportedExtraction();
    if (!extraction || !onScreen(extraction.sceneEpoch)) return;
    const viewCounts = await api.getViewCounts();
    if (!onScreen(extraction.sceneEpoch)) return;
    setState({ extraction, viewCounts, lastQuery: undefined, scores: undefined });
  } catch (err) {
    reportError(err);
    return;
  }
  // A query typed before opening runs as after an extraction, when the model can answer it.
  const pending = getState().queryText.trim();
  if (pending && getState().model?.dim === getState().extraction?.dim) await runQuery(pending);
}
