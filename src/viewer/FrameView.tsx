import { useEffect, useRef } from 'react';
import { colormapLut } from './colormaps';
import { setState, useApp } from './store';

/** One frame's colour image, drawn from its RGB bytes, with the query heatmap blended in. */
export function FrameView() {
  const frame = useApp((s) => s.frameImage);
  const colormap = useApp((s) => s.colormap);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !frame) return;
    c.width = frame.width;
    c.height = frame.height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(frame.width, frame.height);
    const lut = colormapLut(colormap);
    const n = frame.width * frame.height;
    for (let i = 0; i < n; i++) {
      let r = frame.rgb[i * 3];
      let g = frame.rgb[i * 3 + 1];
      let b = frame.rgb[i * 3 + 2];
      const h = frame.heat?.[i];
      if (h !== undefined && h >= 0 && h <= 1) {
        const k = Math.round(h * 255) * 4;
        r = (r + 2 * lut[k]) / 3;
        g = (g + 2 * lut[k + 1]) / 3;
        b = (b + 2 * lut[k + 2]) / 3;
      }
      img.data[i * 4] = r;
      img.data[i * 4 + 1] = g;
      img.data[i * 4 + 2] = b;
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [frame, colormap]);

  if (!frame) return null;
  return (
    <figure className="frame-view" aria-label={`Frame ${frame.index}`}>
      <canvas ref={canvas} data-testid="frame-canvas" />
      <figcaption>
        Frame {frame.index} ({frame.width}×{frame.height})
        {frame.heat ? ' with the query heatmap' : ''}
        <button type="button" onClick={() => setState({ frameImage: undefined })}>
          Close
        </button>
      </figcaption>
    </figure>
  );
}
