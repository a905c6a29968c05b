import { selectBox } from './controller';
import { setLabelOverlay } from './label-overlay';
import { labelledBoxes, shortLabel, useShownBoxes } from './shown-boxes';
import { useApp } from './store';

/**
 * Short box labels (rank, label, score) as buttons over the 3D view; LabelPlacer positions them
 * without overlap. Unplaced ones (no free spot, off screen) are transparent and not clickable.
 */
export function BoxLabels() {
  const boxes = useShownBoxes();
  const selected = useApp((s) => s.selectedBox);
  const labelled = labelledBoxes(boxes, selected);
  return (
    <div className="box-labels" ref={setLabelOverlay} data-testid="box-labels">
      {labelled.map((b) => (
        <button
          key={b.key}
          type="button"
          data-label-key={b.key}
          className={`box-label-button box-label-${b.source}${b.key === selected ? ' selected' : ''}`}
          data-testid={`box-label-${b.source}`}
          data-placed="false"
          onClick={() => selectBox(b)}
        >
          {shortLabel(b)}
        </button>
      ))}
    </div>
  );
}
