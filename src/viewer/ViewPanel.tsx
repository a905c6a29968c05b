import { useId } from 'react';
import { ClipPanel } from './ClipPanel';
import { restartWorker, setPointBudget } from './controller';
import { FrustumControls } from './FrustumControls';
import { Legend } from './Legend';
import { setState, useApp, type ColorMode, type ColormapName, type SizeUnits } from './store';
import { writeHash } from './url-hash';

const BUDGETS = [100_000, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000];

/**
 * Display options: colour mode and map, range, point size, eye-dome lighting, clipping box,
 * budget, layers and frusta, worker restart.
 */
export function ViewPanel() {
  const id = useId();
  const colorMode = useApp((s) => s.colorMode);
  const colormap = useApp((s) => s.colormap);
  const heatRange = useApp((s) => s.heatRange);
  const pointSize = useApp((s) => s.pointSize);
  const sizeUnits = useApp((s) => s.sizeUnits);
  const pointBudget = useApp((s) => s.pointBudget);
  const showGt = useApp((s) => s.showGt);
  const showFrusta = useApp((s) => s.showFrusta);
  const edl = useApp((s) => s.edl);
  const edlStrength = useApp((s) => s.edlStrength);
  const hasInstances = useApp((s) => !!s.cloud?.instanceIds);
  const hasSegments = useApp((s) => !!s.segmentIds);

  return (
    <section className="panel view-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>View</h2>
      <label htmlFor={`${id}-mode`}>Colour</label>
      <select
        id={`${id}-mode`}
        value={colorMode}
        onChange={(e) => setState({ colorMode: e.target.value as ColorMode })}
      >
        <option value="rgb">RGB</option>
        <option value="heatmap">Query heatmap</option>
        <option value="views">View count</option>
        <option value="instance" disabled={!hasInstances}>
          GT instances
        </option>
        <option value="segment" disabled={!hasSegments}>
          Segments
        </option>
        <option value="height">Height</option>
        <option value="normal">Normal</option>
      </select>
      <label htmlFor={`${id}-map`}>Colour map</label>
      <select
        id={`${id}-map`}
        value={colormap}
        onChange={(e) => setState({ colormap: e.target.value as ColormapName })}
      >
        <option value="turbo">Turbo</option>
        <option value="viridis">Viridis</option>
      </select>
      <Legend />
      <div className="row">
        <label htmlFor={`${id}-rmin`}>Range min</label>
        <input
          id={`${id}-rmin`}
          type="number"
          step="0.001"
          value={heatRange[0]}
          onChange={(e) => setState({ heatRange: [Number(e.target.value), heatRange[1]] })}
        />
        <label htmlFor={`${id}-rmax`}>max</label>
        <input
          id={`${id}-rmax`}
          type="number"
          step="0.001"
          value={heatRange[1]}
          onChange={(e) => setState({ heatRange: [heatRange[0], Number(e.target.value)] })}
        />
      </div>
      <div className="row">
        <label htmlFor={`${id}-size`}>Point size</label>
        <input
          id={`${id}-size`}
          type="range"
          min={sizeUnits === 'pixels' ? 1 : 0.002}
          max={sizeUnits === 'pixels' ? 10 : 0.05}
          step={sizeUnits === 'pixels' ? 0.5 : 0.002}
          value={pointSize}
          onChange={(e) => setState({ pointSize: Number(e.target.value) })}
        />
        <label htmlFor={`${id}-units`}>in</label>
        <select
          id={`${id}-units`}
          value={sizeUnits}
          onChange={(e) => {
            const units = e.target.value as SizeUnits;
            setState({ sizeUnits: units, pointSize: units === 'pixels' ? 2 : 0.01 });
          }}
        >
          <option value="pixels">pixels</option>
          <option value="metres">metres</option>
        </select>
      </div>
      <div className="row">
        <input
          id={`${id}-edl`}
          type="checkbox"
          checked={edl}
          onChange={(e) => {
            setState({ edl: e.target.checked });
            writeHash();
          }}
        />
        <label htmlFor={`${id}-edl`}>Eye-dome lighting</label>
        <label htmlFor={`${id}-edls`}>strength</label>
        <input
          id={`${id}-edls`}
          type="range"
          min={0.1}
          max={5}
          step={0.1}
          value={edlStrength}
          disabled={!edl}
          onChange={(e) => setState({ edlStrength: Number(e.target.value) })}
        />
      </div>
      <ClipPanel />
      <label htmlFor={`${id}-budget`}>Point budget</label>
      <select
        id={`${id}-budget`}
        value={pointBudget}
        onChange={(e) => setPointBudget(Number(e.target.value))}
      >
        {BUDGETS.map((b) => (
          <option key={b} value={b}>
            {b.toLocaleString('en')}
          </option>
        ))}
      </select>
      <div className="row">
        <input
          id={`${id}-gt`}
          type="checkbox"
          checked={showGt}
          onChange={(e) => setState({ showGt: e.target.checked })}
        />
        <label htmlFor={`${id}-gt`}>GT boxes</label>
        <input
          id={`${id}-frusta`}
          type="checkbox"
          checked={showFrusta}
          onChange={(e) => setState({ showFrusta: e.target.checked })}
        />
        <label htmlFor={`${id}-frusta`}>Camera frusta</label>
      </div>
      {showFrusta ? <FrustumControls /> : null}
      <button type="button" onClick={() => restartWorker()}>
        Restart worker
      </button>
    </section>
  );
}
