import { colormapCss } from './colormaps';
import { useApp } from './store';

/** The colour ramp with the range it maps, for the heatmap and view-count modes. */
export function Legend() {
  const colorMode = useApp((s) => s.colorMode);
  const colormap = useApp((s) => s.colormap);
  const heatRange = useApp((s) => s.heatRange);
  const viewMax = useApp((s) => s.viewCounts?.max);
  if (colorMode !== 'heatmap' && colorMode !== 'views') return null;
  const [lo, hi] = colorMode === 'heatmap' ? heatRange : [0, Math.max(1, viewMax ?? 1)];
  return (
    <figure className="legend" aria-label={`Colour legend from ${lo} to ${hi}`}>
      <div className="legend-ramp" style={{ background: colormapCss(colormap) }} />
      <figcaption>
        <span>{lo.toFixed(3)}</span>
        <span>{colorMode === 'heatmap' ? 'relevancy' : 'views'}</span>
        <span>{hi.toFixed(3)}</span>
      </figcaption>
    </figure>
  );
}
