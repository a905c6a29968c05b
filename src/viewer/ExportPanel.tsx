import { useId, useState } from 'react';
import { export3dLlm, exportBoxesJson, exportBundle, exportScreenshot } from './export-actions';
import { useApp } from './store';

/** Downloads: feature bundle, 3D-LLM export, boxes JSON, screenshot PNG. */
export function ExportPanel() {
  const id = useId();
  const hasFeatures = useApp((s) => !!s.extraction);
  const hasBoxes = useApp((s) => s.boxes.length > 0);
  const hasCloud = useApp((s) => !!s.cloud);
  const ready = useApp((s) => s.status === 'ready');
  const lastExport = useApp((s) => s.lastExport);
  // The pipeline's default (from the worker; undefined until it arrives) under the user's edit.
  const defaultPeWeight = useApp((s) => s.defaults?.export.peWeight);
  const [peWeightEdit, setPeWeight] = useState<number>();
  const peWeight = peWeightEdit ?? defaultPeWeight;
  return (
    <section className="panel export-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Export</h2>
      <button type="button" disabled={!ready || !hasFeatures} onClick={() => exportBundle()}>
        Feature bundle (.zip)
      </button>
      <div className="row">
        <label htmlFor={`${id}-pe`}>PE weight</label>
        <input
          id={`${id}-pe`}
          type="number"
          step={0.001}
          value={peWeight ?? ''}
          disabled={peWeight === undefined}
          onChange={(e) => setPeWeight(Number(e.target.value))}
        />
        <button
          type="button"
          disabled={!ready || !hasFeatures || peWeight === undefined}
          onClick={() => export3dLlm(peWeight)}
        >
          3D-LLM export (.zip)
        </button>
      </div>
      <button type="button" disabled={!hasBoxes} onClick={() => exportBoxesJson()}>
        Boxes (.json)
      </button>
      <button type="button" disabled={!hasCloud} onClick={() => exportScreenshot()}>
        Screenshot (.png)
      </button>
      {lastExport ? (
        <p className="hint" aria-live="polite">
          Saved {lastExport.name} ({lastExport.bytes.toLocaleString('en')} bytes)
        </p>
      ) : null}
    </section>
  );
}
