import { Collapsible } from './Collapsible';
import { ErrorPanel } from './ErrorPanel';
import { ExportPanel } from './ExportPanel';
import { FrameView } from './FrameView';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { MeasurePanel } from './MeasurePanel';
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
        {/* The query and its results stay pinned below; the other sections scroll and fold. */}
        <div className="side-scroll">
          <h1>scene3d-llm</h1>
          <Collapsible title="Scene">
            <ScenePanel />
          </Collapsible>
          <Collapsible title="Model">
            <ModelPanel />
          </Collapsible>
          <Collapsible title="Pipeline">
            <PipelinePanel />
          </Collapsible>
          <Collapsible title="Objects">
            <ObjectsPanel />
          </Collapsible>
          <Collapsible title="Location tokens">
            <TokensPanel />
          </Collapsible>
          <Collapsible title="View">
            <ViewPanel />
          </Collapsible>
          <Collapsible title="Measure">
            <MeasurePanel />
          </Collapsible>
          <Collapsible title="Export">
            <ExportPanel />
          </Collapsible>
          <KeyboardShortcuts />
        </div>
        <div className="side-pinned">
          <QueryPanel />
        </div>
      </aside>
      <FrameView />
      <ErrorPanel />
      <StatusLine />
    </div>
  );
}
