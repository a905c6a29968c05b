import { useMemo } from 'react';
import { colormapCss } from './colormaps';
import { heightRange } from './point-geometry';
import { useApp } from './store';

const CAPTION = { heatmap: 'relevancy', views: 'views', height: 'height (m)' } as const;

/** The colour ramp with the range it maps, for the heatmap, view-count and height modes. */
export function Legend() {
  const colorMode = useApp((s) => s.colorMode);
  const colormap = useApp((s) => s.colormap);
  const heatRange = useApp((s) => s.heatRange);
  const viewMax = useApp((s) => s.viewCounts?.max);
  const positions = useApp((s) => s.cloud?.positions);
  const up = useApp((s) => s.scene?.up);
  // The same range the shader maps (PointCloud.tsx), computed only while it is shown.
  const heights = useMemo(
    () =>
      colorMode === 'height' && positions ? heightRange(positions, up ?? [0, 0, 1]) : undefined,
    [colorMode, positions, up],
  );
  if (colorMode !== 'heatmap' && colorMode !== 'views' && colorMode !== 'height') return null;
  const [lo, hi] =
    colorMode === 'heatmap'
      ? heatRange
      : colorMode === 'views'
        ? [0, Math.max(1, viewMax ?? 1)]
        : (heights ?? [0, 1]);
  return (
    <figure className="legend" aria-label={`Colour legend from ${lo} to ${hi}`}>
      <div className="legend-ramp" style={{ background: colormapCss(colormap) }} />
      <figcaption>
        <span>{lo.toFixed(3)}</span>
        <span>{CAPTION[colorMode]}</span>
        <span>{hi.toFixed(3)}</span>
      </figcaption>
    </figure>
  );
}
