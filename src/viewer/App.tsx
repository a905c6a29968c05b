import { ErrorPanel } from './ErrorPanel';
import { ScenePanel } from './ScenePanel';
import { StatusLine } from './StatusLine';
import { ViewPanel } from './ViewPanel';
import { Viewport } from './Viewport';

export function App() {
  return (
    <div className="app">
      <Viewport />
      <aside className="side-panel" aria-label="Controls">
        <h1>scene3d-llm</h1>
        <ScenePanel />
        <ViewPanel />
      </aside>
      <ErrorPanel />
      <StatusLine />
    </div>
  );
}
