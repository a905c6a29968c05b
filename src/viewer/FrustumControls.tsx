import { useId, useState } from 'react';
import { showFrame } from './controller';
import { setState, useApp } from './store';
import { useViewFrames } from './view-frames';

/**
 * Frustum display (size, opacity, how many are drawn) and a Frame slider that steps through the
 * frames, opening each one's image; it follows the frame on show, however that was chosen (a
 * click on a frustum, the frame view).
 */
export function FrustumControls() {
  const id = useId();
  const frames = useViewFrames();
  const scale = useApp((s) => s.frustumScale);
  const opacity = useApp((s) => s.frustumOpacity);
  const maxFrusta = useApp((s) => s.maxFrusta);
  const shown = useApp((s) => s.frameImage?.index);
  // While a frame's image loads, the slider stays where it was dragged to.
  const [dragged, setDragged] = useState<{ position: number; shown: number | undefined }>();
  if (frames.length === 0) return null;
  const shownAt = frames.findIndex((f) => f.index === shown);
  const position = dragged && dragged.shown === shown ? dragged.position : Math.max(0, shownAt);
  const frame = frames[Math.min(position, frames.length - 1)];

  return (
    <div className="frustum-controls">
      <div className="row">
        <label htmlFor={`${id}-frame`}>Step through frames</label>
        <input
          id={`${id}-frame`}
          type="range"
          min={0}
          max={frames.length - 1}
          step={1}
          value={position}
          onChange={(e) => {
            const k = Number(e.target.value);
            setDragged({ position: k, shown });
            const f = frames[k];
            if (f) void showFrame(f.index);
          }}
        />
        <output htmlFor={`${id}-frame`} data-testid="frame-number">
          {shownAt >= 0 || dragged
            ? `${frame.name || frame.index} (${position + 1}/${frames.length})`
            : '–'}
        </output>
      </div>
      <div className="row">
        <label htmlFor={`${id}-fsize`}>Frustum size</label>
        <input
          id={`${id}-fsize`}
          type="range"
          min={0.25}
          max={4}
          step={0.25}
          value={scale}
          onChange={(e) => setState({ frustumScale: Number(e.target.value) })}
        />
        <label htmlFor={`${id}-fopacity`}>opacity</label>
        <input
          id={`${id}-fopacity`}
          type="range"
          min={0.1}
          max={1}
          step={0.05}
          value={opacity}
          onChange={(e) => setState({ frustumOpacity: Number(e.target.value) })}
        />
      </div>
      <div className="row">
        <label htmlFor={`${id}-fmax`}>Frusta drawn at most</label>
        <input
          id={`${id}-fmax`}
          type="number"
          min={1}
          max={5000}
          step={1}
          value={maxFrusta}
          onChange={(e) => {
            const n = Math.floor(Number(e.target.value));
            if (n >= 1) setState({ maxFrusta: n });
          }}
        />
        <span>of {frames.length}</span>
      </div>
    </div>
  );
}
