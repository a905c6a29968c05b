import { ErrorPanel } from './ErrorPanel';
import { ExportPanel } from './ExportPanel';
import { FrameView } from './FrameView';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { ModelPanel } from './ModelPanel';
import { ObjectsPanel } from './ObjectsPanel';
import { PipelinePanel } from './PipelinePanel';
import { QueryPanel } from './QueryPanel';
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
        <ModelPanel />
        <PipelinePanel />
        <QueryPanel />
        <ObjectsPanel />
        <TokensPanel />
        <ViewPanel />
        <ExportPanel />
        <KeyboardShortcuts />
      </aside>
      <FrameView />
      <ErrorPanel />
      <StatusLine />
    </div>
  );
}
