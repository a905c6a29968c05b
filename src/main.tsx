import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { appSnapshot, type AppSnapshot } from './viewer/app-snapshot';
import { App } from './viewer/App';
import { diagnosticsRemote, type PipelineRemote } from '../workers/client';
import { requestCameraPose } from './viewer/camera-pose';
import {
  openBuiltIn,
  pipelineRemote,
  restoreCachedFeatures,
  selectBox,
  startWorker,
} from './viewer/controller';
import { getState, reportError, setState } from './viewer/store';
import { keepHashInSync, readHash } from './viewer/url-hash';
import './viewer/styles.css';

declare global {
  interface Window {
    /** Read-only snapshot of the app state, for end-to-end tests. */
    readonly __app: AppSnapshot;
    /** The worker's typed comlink API, for end-to-end tests (undefined before it starts). */
    readonly __pipeline: PipelineRemote | undefined;
    /** The diagnostics worker's API (image decoder comparison), started on first call. */
    readonly __diagnostics: typeof diagnosticsRemote;
  }
}

Object.defineProperty(window, '__app', { get: appSnapshot, configurable: true });
Object.defineProperty(window, '__pipeline', { get: pipelineRemote, configurable: true });
Object.defineProperty(window, '__diagnostics', { value: diagnosticsRemote, configurable: true });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// A shared link restores its built-in scene and query text (the query runs after extraction).
const shared = readHash();
if (shared.query) setState({ queryText: shared.query });
if (shared.edl !== undefined) setState({ edl: shared.edl });
const bench = new URLSearchParams(location.search).has('bench');
startWorker().then(() => {
  if (bench) return; // the benchmark brings its own cloud
  const scenes = getState().scenes;
  const linked = scenes.find((s) => s.id === shared.scene);
  if (shared.scene && !linked) {
    // Say so rather than silently showing another scene under the link's camera and query.
    requestCameraPose(undefined);
    reportError(
      new Error(
        `This link's scene (${shared.scene}) was opened from local files, which a link cannot ` +
          'reopen: open the scan folder again. Showing the default scene instead.',
      ),
    );
  } else if (shared.camera) requestCameraPose(shared.camera);
  const wanted = linked ?? scenes[0];
  if (!wanted) return;
  return openBuiltIn(wanted.id)
    .then(() => {
      // View options apply to the opened scene (opening resets the colour mode).
      if (!linked) return;
      if (shared.colorMode) setState({ colorMode: shared.colorMode });
      if (shared.colormap) setState({ colormap: shared.colormap });
      if (shared.pointSize !== undefined) setState({ pointSize: shared.pointSize });
      if (shared.showGt !== undefined) setState({ showGt: shared.showGt });
      return restoreCachedFeatures();
    })
    .then(() => {
      const box = getState().boxes.find((b) => b.key === shared.selected);
      if (linked && box) return selectBox(box);
    })
    .finally(() => keepHashInSync());
});
