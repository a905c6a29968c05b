import { useEffect, useId, useMemo, useRef } from 'react';
import { countInsideClipBox, moveClipBound, type ClipBox } from './clip-box';
import { setState, useApp } from './store';

const AXES = ['X', 'Y', 'Z'] as const;
/** Slider steps across each axis of the scene's bounds. */
const STEPS = 200;

/**
 * An axis-aligned clipping box: points outside are not drawn (boxes and labels still are).
 * Turned on, it starts at the scene's bounds; the sliders move each face within them.
 */
export function ClipPanel() {
  const id = useId();
  const bounds = useApp((s) => s.scene?.info.bounds);
  const clipBox = useApp((s) => s.clipBox);
  const positions = useApp((s) => s.cloud?.positions);
  // A box is made for one scene's bounds: another scene opens unclipped.
  const scene = useApp((s) => s.scene);
  const boxScene = useRef(scene);
  useEffect(() => {
    if (boxScene.current !== scene && boxScene.current) setState({ clipBox: undefined });
    boxScene.current = scene;
  }, [scene]);
  const inside = useMemo(
    () => (clipBox && positions ? countInsideClipBox(clipBox, positions) : undefined),
    [clipBox, positions],
  );
  if (!bounds) return null;
  const box: ClipBox = { min: [...bounds.min], max: [...bounds.max] };

  return (
    <div className="clip-panel">
      <div className="row">
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={!!clipBox}
          onChange={(e) => setState({ clipBox: e.target.checked ? box : undefined })}
        />
        <label htmlFor={`${id}-on`}>Clipping box</label>
        {inside !== undefined && positions ? (
          <span data-testid="clip-count">
            {inside.toLocaleString('en')} of {(positions.length / 3).toLocaleString('en')} points
          </span>
        ) : null}
      </div>
      {clipBox
        ? AXES.map((name, axis) => {
            const lo = bounds.min[axis];
            const hi = bounds.max[axis];
            const step = Math.max((hi - lo) / STEPS, 1e-6);
            return (
              <div className="row" key={name}>
                {(['min', 'max'] as const).map((side) => (
                  <span key={side}>
                    <label htmlFor={`${id}-${name}-${side}`}>{`${name} ${side}`}</label>{' '}
                    <input
                      id={`${id}-${name}-${side}`}
                      type="range"
                      min={lo}
                      max={hi}
                      step={step}
                      value={clipBox[side][axis]}
                      onChange={(e) =>
                        setState({
                          clipBox: moveClipBound(
                            clipBox,
                            box,
                            axis as 0 | 1 | 2,
                            side,
                            Number(e.target.value),
                          ),
                        })
                      }
                    />
                  </span>
                ))}
              </div>
            );
          })
        : null}
    </div>
  );
}
