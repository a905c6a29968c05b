import { ErrorPanel } from './ErrorPanel';
import { FrameView } from './FrameView';
import { ScenePanel } from './ScenePanel';
import { StatusLine } from './StatusLine';
import { TokensPanel } from './TokensPanel';
import { ViewPanel } from './ViewPanel';
import { Viewport } from './Viewport';

export function App() {
  return (
    <div className="app">
      <Viewport />
      <aside className="side-panel" aria-label="Controls">
        <h1>scene3d-llm</h1>
        <ScenePanel />
        <TokensPanel />
        <ViewPanel />
      </aside>
      <FrameView />
      <ErrorPanel />
      <StatusLine />
    </div>
  );
}
