/**
 * Reconstructing the open scan's cloud again (Scene panel, Reconstruction group): the worker
 * rebuilds it from the frames as asked, which makes it a new opening of the scene (new epoch).
 * Features, objects, scores and picks of the old cloud no longer match its points, so they are
 * cleared as when a scene is opened, and the new cloud is fetched.
 */
import { progressProxy } from '../../workers/client';
import type { ReconstructionInput } from '../../workers/pipeline-api';
import { clearedScene, pipelineRemote, setPointBudget } from './controller';
import { getState, reportError, setState } from './store';

/** What belonged to the old cloud: everything a new opening clears, except the scene itself. */
const { scene: _scene, ...OLD_CLOUD_STATE } = clearedScene;

const onProgress = progressProxy((p) => {
  if (getState().job === 'reconstruct') setState({ progress: p });
});

/** Whether this reconstruction's job is still the one the status line shows. */
const stillRunning = () => getState().job === 'reconstruct';

/**
 * Rebuilds the open scene's cloud with `input` (frame stride, voxel size in metres); a cancel
 * or a failure keeps the scene and cloud on screen. Resolves when the new cloud is loaded.
 */
export async function reconstructScene(input: ReconstructionInput): Promise<void> {
  const api = pipelineRemote();
  const before = getState().scene;
  if (!api || !before) return;
  setState({
    status: 'busy',
    statusText: 'Reconstructing the cloud…',
    job: 'reconstruct',
    progress: undefined,
  });
  let scene;
  try {
    scene = await api.reconstructScene(input, onProgress);
  } catch (err) {
    const cancelled = (err as Error)?.name === 'CancelledError';
    // A newer job (another scene opened) owns the status now.
    if (stillRunning()) {
      setState({
        status: 'ready',
        statusText: cancelled ? 'Cancelled' : 'Ready',
        job: undefined,
        progress: undefined,
      });
    }
    if (!cancelled) reportError(err);
    return;
  }
  // Another scene was opened meanwhile: this reply is about one no longer on screen.
  if (!stillRunning() || getState().scene?.epoch !== before.epoch) return;
  setState({ ...OLD_CLOUD_STATE, colorMode: 'rgb', scene, job: undefined, progress: undefined });
  // Fetches the new cloud at the current point budget (and sets the status when done).
  await setPointBudget(getState().pointBudget);
}
